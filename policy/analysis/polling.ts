/**
 * Polling loops that wait for the work a start began: Start → Wait → status read → Choice back to the
 * Wait (AWS's job-poller sample, "Poll for job status"). Found through the transition graph, never by
 * state names. A loop counts for a start only when
 * - it is on the path the start takes when it succeeds (Next, Choices, Default; not only through a Catch);
 * - its status read reads that work: the run id or name from the start's result (its ResultPath, or a
 *   variable the start assigns), or the same literal name, with a read of the same kind of work
 *   (`getJobRun` for `startJobRun`, not `getTable`);
 * - nothing in it starts the same work again (a "poll" branch that restarts the job is not waiting).
 * A loop whose status read is a Lambda function (the job-poller sample's shape) counts too, but the rule
 * cannot see what the function reads: the verdict says so.
 */
import { ScopeGraph, stronglyConnected, transitionsOf } from "./graph";
import { parseResource } from "./resource";
import { GLUE_STATUS_READS, sdkServiceName } from "./support";
import { taskPayload } from "./token";
import { ParsedResource, QueryLanguage } from "./types";
import { isObject, JsonObject } from "./walk";

const STATUS_READ_ACTION = /^(get|describe|list|batchGet)[A-Z]/;

/** A Task that reads the status of work of a service: a get/describe/list call of that service. */
export function isStatusRead(resource: ParsedResource, service: string): boolean {
  if ((resource.kind !== "sdk" && resource.kind !== "optimized") || !resource.service || !resource.action) return false;
  if (resource.pattern !== "request-response") return false;
  return sdkServiceName(resource.service) === sdkServiceName(service) && STATUS_READ_ACTION.test(resource.action);
}

/** For Glue, the read must be of the kind of work the start began (getJobRun(s) for startJobRun...). */
function readsSameKindOfWork(read: ParsedResource, start: ParsedResource): boolean {
  if (!isStatusRead(read, start.service ?? "")) return false;
  if (start.service !== "glue") return true;
  const expected = GLUE_STATUS_READS[start.action ?? ""];
  return expected === undefined || (read.action ?? "").startsWith(expected.replace(/s$/, ""));
}

function isLambdaCall(resource: ParsedResource): boolean {
  if (resource.pattern !== "request-response") return false;
  return resource.kind === "lambda-function" || (resource.kind === "optimized" && resource.service === "lambda" && resource.action === "invoke");
}

/** How a start's run is found again: literal names it sends, where its result goes, variables it assigns. */
interface WorkHandle {
  literals: Set<string>;
  /** JSONPath paths under which the result lands ("$" by default); JSONata: "$states.input". */
  roots: string[];
  variables: Set<string>;
}

function handleOf(state: JsonObject, language: QueryLanguage): WorkHandle {
  const literals = new Set<string>();
  const payload = taskPayload(state, language);
  if (isObject(payload)) {
    for (const [key, value] of Object.entries(payload)) {
      if (typeof value === "string" && !key.endsWith(".$") && !/^\s*\{%/.test(value)) literals.add(value);
    }
  }
  const roots: string[] = [];
  if (language === "JSONata") roots.push("$states.input");
  else if (state.ResultPath === undefined) roots.push("$");
  else if (typeof state.ResultPath === "string") roots.push(state.ResultPath);
  const variables = new Set(isObject(state.Assign) ? Object.keys(state.Assign).map((k) => k.replace(/\.\$$/, "")) : []);
  return { literals, roots, variables };
}

/** Whether an expression refers below a JSONPath root ("$" takes any input path, not the context "$$"). */
function refersTo(expression: string, root: string): boolean {
  if (root === "$") return /(^|[^$\w])\$(\.|\[|$)/.test(expression);
  if (root === "$states.input") return expression.includes("$states.input");
  const at = expression.indexOf(root);
  return at >= 0 && !/[\w]/.test(expression.charAt(at + root.length));
}

function refersToVariable(expression: string, name: string): boolean {
  return new RegExp(`\\$${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w])`).test(expression);
}

/** Whether a status read's request names the start's work. */
function readsTheWork(read: JsonObject, language: QueryLanguage, handle: WorkHandle): boolean {
  const found = { yes: false };
  const visit = (value: unknown, key: string | undefined): void => {
    if (found.yes) return;
    if (typeof value === "string") {
      const isExpression = language === "JSONata" ? /^\s*\{%[\s\S]*%\}\s*$/.test(value) : key?.endsWith(".$") === true;
      if (!isExpression) {
        if (handle.literals.has(value)) found.yes = true;
        return;
      }
      if (handle.roots.some((root) => refersTo(value, root)) || [...handle.variables].some((v) => refersToVariable(value, v))) found.yes = true;
    } else if (Array.isArray(value)) value.forEach((child) => visit(child, key));
    else if (isObject(value)) for (const [k, child] of Object.entries(value)) visit(child, k);
  };
  visit(taskPayload(read, language), undefined);
  return found.yes;
}

export type PollingVerdict =
  | { kind: "none" }
  | { kind: "reads" }
  /** The status read is a Lambda function: what it reads cannot be seen. */
  | { kind: "lambda"; reader: string };

/** Transitions a state takes when it succeeds: Next, a Choice's Choices and Default, never a Catch. */
function successTargets(graph: ScopeGraph, name: string): string[] {
  const state = graph.state(name);
  if (!state) return [];
  return transitionsOf(state)
    .filter((t) => !t.field.startsWith("/Catch") && graph.has(t.target))
    .map((t) => t.target);
}

/** Does a polling loop after the start `startName` wait for the work it began? */
export function pollingLoopFor(graph: ScopeGraph, startName: string, languageOf: (name: string) => QueryLanguage): PollingVerdict {
  const startState = graph.state(startName);
  if (!startState) return { kind: "none" };
  const start = parseResource(startState.Resource);
  const handle = handleOf(startState, languageOf(startName));

  const reachable: string[] = [];
  const seen = new Set<string>([startName]);
  const queue = [startName];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    reachable.push(name);
    for (const next of successTargets(graph, name)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }

  let verdict: PollingVerdict = { kind: "none" };
  for (const component of stronglyConnected(reachable, (name) => successTargets(graph, name).filter((n) => seen.has(n)))) {
    if (component.length < 3) continue;
    const members = new Set(component);
    let hasWait = false;
    let branchesBack = false;
    let restarts = false;
    let reads = false;
    let lambdaReader: string | undefined;
    for (const name of component) {
      const state = graph.state(name);
      if (!state) continue;
      if (state.Type === "Wait") hasWait = true;
      else if (state.Type === "Choice") {
        if (transitionsOf(state).some((t) => t.isChoiceBranch && members.has(t.target))) branchesBack = true;
      } else if (state.Type === "Task") {
        const r = parseResource(state.Resource);
        if (r.service === start.service && r.action === start.action) restarts = true;
        else if (readsSameKindOfWork(r, start) && readsTheWork(state, languageOf(name), handle)) reads = true;
        else if (isLambdaCall(r)) lambdaReader ??= name;
      }
    }
    if (restarts || !hasWait || !branchesBack) continue;
    if (reads) return { kind: "reads" };
    if (lambdaReader !== undefined) verdict = { kind: "lambda", reader: lambdaReader };
  }
  return verdict;
}
