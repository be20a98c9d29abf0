import { ScopeGraph } from "./graph";
import { parseResource } from "./resource";
import { sdkServiceName } from "./support";
import { ParsedResource } from "./types";

const STATUS_READ_ACTION = /^(get|describe|list|batchGet)[A-Z]/;

/** A Task that reads the status of work of a service: a get/describe/list call of that service. */
export function isStatusRead(resource: ParsedResource, service: string): boolean {
  if ((resource.kind !== "sdk" && resource.kind !== "optimized") || !resource.service || !resource.action) return false;
  if (resource.pattern !== "request-response") return false;
  return sdkServiceName(resource.service) === sdkServiceName(service) && STATUS_READ_ACTION.test(resource.action);
}

function choiceBranchTargets(graph: ScopeGraph, name: string): string[] {
  const state = graph.state(name);
  if (!state || state.Type !== "Choice") return [];
  const targets: string[] = [];
  if (Array.isArray(state.Choices)) {
    for (const choice of state.Choices) {
      const next = (choice as { Next?: unknown } | null)?.Next;
      if (typeof next === "string") targets.push(next);
    }
  }
  if (typeof state.Default === "string") targets.push(state.Default);
  return targets.filter((t) => graph.has(t));
}

/**
 * Is the request-response start `startName` followed by a polling loop: a path from the start through a
 * Wait to a status read of the same service, then a Choice with a branch that leads back to that Wait
 * (so the loop waits, reads the status and decides, again and again). Found through the transition graph
 * (Next, Default, Choices, Catch), never by state names; loops that never branch back do not count.
 */
export function hasPollingLoop(graph: ScopeGraph, startName: string, service: string): boolean {
  const fromStart = graph.reachableFrom(startName);
  const names = graph.names();
  const waits = names.filter((n) => n !== startName && fromStart.has(n) && graph.state(n)?.Type === "Wait");
  const reads = names.filter((n) => {
    const state = graph.state(n);
    return n !== startName && fromStart.has(n) && state?.Type === "Task" && isStatusRead(parseResource(state.Resource), service);
  });
  const choices = names.filter((n) => fromStart.has(n) && graph.state(n)?.Type === "Choice");

  for (const choice of choices) {
    const branches = choiceBranchTargets(graph, choice);
    for (const wait of waits) {
      if (!branches.some((target) => graph.reaches(target, wait))) continue;
      for (const read of reads) {
        if (graph.reaches(wait, read) && graph.reaches(read, choice)) return true;
      }
    }
  }
  return false;
}
