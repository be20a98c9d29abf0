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
  return targets;
}

/** Whether a component is a polling loop for a service: it holds a Wait, a status read and a Choice branching inside it. */
function isPollingLoop(graph: ScopeGraph, component: string[], service: string): boolean {
  if (component.length < 3) return false;
  const members = new Set(component);
  let hasWait = false;
  let hasRead = false;
  let branchesBack = false;
  for (const name of component) {
    const state = graph.state(name);
    if (state?.Type === "Wait") hasWait = true;
    else if (state?.Type === "Task" && isStatusRead(parseResource(state.Resource), service)) hasRead = true;
    else if (state?.Type === "Choice" && choiceBranchTargets(graph, name).some((target) => members.has(target))) branchesBack = true;
  }
  return hasWait && hasRead && branchesBack;
}

/**
 * The states from which a polling loop for a service can be reached. A polling loop is a cycle holding a
 * Wait, a status read of that service and a Choice with a branch that stays in the cycle: in a strongly
 * connected component every state reaches every other, so such a component always contains the path
 * Wait → status read → Choice → back to the Wait. Computed once per scope and service over the component
 * graph (Tarjan lists components sinks first), so checking many starts stays linear.
 */
const leadsToLoopByGraph = new WeakMap<ScopeGraph, Map<string, Set<string>>>();

function statesLeadingToPollingLoop(graph: ScopeGraph, service: string): Set<string> {
  let byService = leadsToLoopByGraph.get(graph);
  if (!byService) {
    byService = new Map();
    leadsToLoopByGraph.set(graph, byService);
  }
  const key = sdkServiceName(service);
  const cached = byService.get(key);
  if (cached) return cached;

  const components = graph.stronglyConnectedComponents();
  const componentOf = new Map<string, number>();
  components.forEach((component, i) => component.forEach((name) => componentOf.set(name, i)));
  const leads: boolean[] = [];
  const result = new Set<string>();
  components.forEach((component, i) => {
    leads[i] =
      isPollingLoop(graph, component, service) ||
      component.some((name) => graph.successors(name).some((next) => componentOf.get(next) !== i && leads[componentOf.get(next) as number]));
    if (leads[i]) component.forEach((name) => result.add(name));
  });
  byService.set(key, result);
  return result;
}

/**
 * Is the request-response start `startName` followed by a polling loop: a path from the start through a
 * Wait to a status read of the same service, then a Choice with a branch that leads back to that Wait
 * (so the loop waits, reads the status and decides, again and again). Found through the transition graph
 * (Next, Default, Choices, Catch), never by state names; loops that never branch back do not count.
 */
export function hasPollingLoop(graph: ScopeGraph, startName: string, service: string): boolean {
  return statesLeadingToPollingLoop(graph, service).has(startName);
}
