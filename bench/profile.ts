/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, or the inspector's Profiler.stop): where the samples
 * fall, by function and by module group (a node_modules package, a project folder, node's internals),
 * as self time and as inclusive time (any frame of the group on the stack).
 */

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileEntry {
  readonly name: string;
  readonly selfMs: number;
  readonly selfShare: number;
  /** Time with this entry anywhere on the stack (counted once per sample). */
  readonly totalMs: number;
  readonly totalShare: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly byGroup: readonly ProfileEntry[];
  readonly byFunction: readonly ProfileEntry[];
}

/** "node_modules/ajv/dist/x.js" -> "ajv"; "<root>/policy/analysis/walk.ts" -> "policy/analysis"; "node:fs" -> "node internals". */
export function moduleGroup(url: string, projectRoot: string): string {
  if (url === "") return "(native / idle / GC)";
  if (url.startsWith("node:")) return "node internals";
  const path = decodeURIComponent(url.replace(/^file:\/\//, ""));
  const nm = path.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const parts = path.slice(nm + "node_modules/".length).split("/");
    return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (path.startsWith(projectRoot)) {
    const parts = path.slice(projectRoot.length).replace(/^\//, "").split("/");
    return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return "other";
}

function functionLabel(node: CpuProfileNode, projectRoot: string): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (url === "") return functionName || "(anonymous)";
  const file = decodeURIComponent(url.replace(/^file:\/\//, "")).replace(projectRoot + "/", "").replace(/^.*node_modules\//, "");
  return `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
}

/** Self and inclusive time per module group and per function. */
export function summarizeCpuProfile(profile: CpuProfile, projectRoot: string, top = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const selfGroup = new Map<string, number>();
  const totalGroup = new Map<string, number>();
  const selfFn = new Map<string, number>();
  const totalFn = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  let totalUs = 0;
  samples.forEach((id, i) => {
    // A sample's time is the gap to the next sample.
    const us = Math.max(0, deltas[i + 1] ?? 0);
    totalUs += us;
    const leaf = byId.get(id);
    if (!leaf) return;
    bump(selfGroup, moduleGroup(leaf.callFrame.url, projectRoot), us);
    bump(selfFn, functionLabel(leaf, projectRoot), us);
    const groups = new Set<string>();
    const fns = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (!node || node.callFrame.functionName === "(root)") continue;
      groups.add(moduleGroup(node.callFrame.url, projectRoot));
      fns.add(functionLabel(node, projectRoot));
    }
    for (const g of groups) bump(totalGroup, g, us);
    for (const f of fns) bump(totalFn, f, us);
  });
  const entries = (self: Map<string, number>, total: Map<string, number>, by: "self" | "total") =>
    [...new Set([...self.keys(), ...total.keys()])]
      .map((name) => {
        const s = (self.get(name) ?? 0) / 1000;
        const t = (total.get(name) ?? 0) / 1000;
        return { name, selfMs: s, selfShare: totalUs ? (s * 1000) / totalUs : 0, totalMs: t, totalShare: totalUs ? (t * 1000) / totalUs : 0 };
      })
      .sort((a, b) => (by === "self" ? b.selfMs - a.selfMs : b.totalMs - a.totalMs))
      .slice(0, top);
  return { totalMs: totalUs / 1000, byGroup: entries(selfGroup, totalGroup, "self"), byFunction: entries(selfFn, totalFn, "self") };
}

/** Lines for a report: the groups, then the hottest functions. */
export function formatProfileSummary(summary: ProfileSummary, functions = 8): string[] {
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  return [
    `  sampled ${summary.totalMs.toFixed(0)} ms; by module (self / inclusive):`,
    ...summary.byGroup.map((e) => `    ${pct(e.selfShare)} / ${pct(e.totalShare)}  ${e.name}`),
    "  hottest functions (self):",
    ...summary.byFunction.slice(0, functions).map((e) => `    ${pct(e.selfShare)}  ${e.name}`),
  ];
}
