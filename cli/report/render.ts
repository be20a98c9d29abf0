import { readFileSync } from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../../components/packageRoot";
import { readableCause } from "../ops/history";
import { formatDuration } from "../format/text";
import type { ReportData, ReportExecution } from "./model";

/** dagre's browser build (a script that defines the global `dagre`, graphlib included). */
function dagreBrowserBuild(): string {
  const dir = path.dirname(require.resolve("@dagrejs/dagre/package.json"));
  // The source map comment would make a browser with devtools open fetch a file: drop it.
  return readFileSync(path.join(dir, "dist", "dagre.min.js"), "utf8").replace(/\/\/# sourceMappingURL=.*$/m, "");
}

function clientScript(): string {
  // Read from the sources, not next to this module: dist/ holds compiled TypeScript only.
  return readFileSync(path.join(packageRoot(), "cli", "report", "client.js"), "utf8");
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

/** JSON safe inside a <script> element: "<" never appears, so "</script>" cannot end it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

const STYLE = `
:root { --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; --run: #9a6700; --run-bg: #fff8c5; --idle: #8c959f; --idle-bg: #f6f8fa; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1f2328; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 0; } h3 { font-size: 14px; margin: 16px 0 6px; }
.meta { color: #59636e; margin-bottom: 20px; }
section.execution { border: 1px solid #d1d9e0; border-radius: 8px; padding: 16px; margin-bottom: 24px; }
.status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; margin-left: 8px; font-size: 12px; }
.status.SUCCEEDED { background: var(--ok-bg); color: var(--ok); } .status.FAILED, .status.TIMED_OUT, .status.ABORTED { background: var(--bad-bg); color: var(--bad); }
.status.RUNNING { background: var(--run-bg); color: var(--run); }
.arn { font-family: ui-monospace, monospace; font-size: 12px; color: #59636e; word-break: break-all; }
.columns { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; }
.graph { min-width: 300px; } .details { flex: 1; min-width: 380px; }
.graph svg { display: block; }
.node rect { stroke-width: 2; } .node text { text-anchor: middle; } .node .label { font-weight: 600; font-size: 13px; } .node .sub { font-size: 11px; fill: #59636e; }
.outcome-succeeded rect { fill: var(--ok-bg); stroke: var(--ok); } .outcome-failed rect { fill: var(--bad-bg); stroke: var(--bad); }
.outcome-running rect { fill: var(--run-bg); stroke: var(--run); } .outcome-not-reached rect { fill: var(--idle-bg); stroke: var(--idle); stroke-dasharray: 4 3; }
.edge { fill: none; stroke: #afb8c1; stroke-width: 1.5; } .edge.taken { stroke: #1f2328; stroke-width: 2.5; } .edge-catch { stroke-dasharray: 5 4; }
.arrow-head { fill: #59636e; }
.cause { background: var(--bad-bg); border-left: 4px solid var(--bad); padding: 8px 12px; white-space: pre-wrap; word-break: break-word; }
table { border-collapse: collapse; width: 100%; font-size: 12px; } th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } td.detail { word-break: break-word; }
.legend span { display: inline-block; margin-right: 14px; } .legend i { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 4px; vertical-align: -1px; border: 2px solid; }
`;

function seconds(ms: number | undefined): string {
  return ms === undefined ? "" : `${(ms / 1000).toFixed(2)}s`;
}

function renderExecution(execution: ReportExecution, index: number): string {
  const status = `<span class="status ${escapeHtml(execution.status)}">${escapeHtml(execution.status)}${
    execution.failedState ? ` at ${escapeHtml(execution.failedState)}` : ""
  }</span>`;
  const duration = execution.durationMs === undefined ? "" : ` in ${escapeHtml(formatDuration(execution.durationMs))}`;
  const cause = execution.error
    ? `<h3>Error</h3><div class="cause"><strong>${escapeHtml(execution.error)}</strong>${
        execution.cause ? `\n${escapeHtml(readableCause(execution.cause) ?? "")}` : ""
      }</div>`
    : "";
  const runs =
    execution.glueRuns.length === 0
      ? "<p>No Glue run.</p>"
      : `<table><thead><tr><th>Glue run</th><th>state</th><th>duration</th><th>started</th><th>ended</th><th>error</th></tr></thead><tbody>${execution.glueRuns
          .map(
            (run) =>
              `<tr><td class="arn">${escapeHtml(run.id)}</td><td>${escapeHtml(run.state)}</td><td class="num">${escapeHtml(
                run.durationMs === undefined ? "" : formatDuration(run.durationMs),
              )}</td><td class="num">${escapeHtml(run.startedAtMs === undefined ? "" : `+${seconds(run.startedAtMs)}`)}</td><td class="num">${escapeHtml(
                run.completedAtMs === undefined ? "" : `+${seconds(run.completedAtMs)}`,
              )}</td><td class="detail">${escapeHtml(run.error ?? "")}</td></tr>`,
          )
          .join("")}</tbody></table>`;
  const timeline = `<table class="timeline"><thead><tr><th>time</th><th>event</th><th>state</th><th>detail</th></tr></thead><tbody>${execution.timeline
    .map(
      (entry) =>
        `<tr><td class="num">+${escapeHtml(seconds(entry.atMs))}</td><td>${escapeHtml(entry.type)}</td><td>${escapeHtml(entry.state ?? "")}</td><td class="detail">${escapeHtml(
          entry.detail ?? "",
        )}</td></tr>`,
    )
    .join("")}</tbody></table>`;
  return `<section class="execution" data-pattern="${escapeHtml(execution.pattern)}" data-state-count="${execution.nodes.length}">
<h2>${escapeHtml(execution.pattern)}${status}${duration}</h2>
<div class="arn">${escapeHtml(execution.executionArn)}</div>
<div class="columns">
<div class="graph" data-graph="${index}" aria-label="state graph of ${escapeHtml(execution.pattern)}"></div>
<div class="details">${cause}<h3>Glue runs</h3>${runs}<h3>Events</h3>${timeline}</div>
</div>
</section>`;
}

/** One self-contained HTML file: styles, data, dagre and the drawing script are all inline; nothing is fetched. */
export function renderReport(data: ReportData): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(data.title)}</h1>
<div class="meta">${escapeHtml(data.target)} · generated ${escapeHtml(data.generatedAt)}</div>
<div class="legend"><span><i style="background:var(--ok-bg);border-color:var(--ok)"></i>succeeded</span><span><i style="background:var(--bad-bg);border-color:var(--bad)"></i>failed</span><span><i style="background:var(--run-bg);border-color:var(--run)"></i>running</span><span><i style="background:var(--idle-bg);border-color:var(--idle)"></i>not reached</span><span>thick arrow: the path taken; dashed: a Catch</span></div>
${data.executions.map(renderExecution).join("\n")}
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${dagreBrowserBuild()}</script>
<script>${clientScript()}</script>
</body>
</html>
`;
}
