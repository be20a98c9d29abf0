/**
 * The sandbox's side of the integration registry: a Task attempt is performed by its module's performer,
 * and a machine with a Task no performer runs is refused when it is deployed or created.
 */
import { actionLabel, allActions, integrationOf } from "../../integrations";
import { EXPRESS_PATTERNS, EXPRESS_SUPPORTS_ACTIVITIES } from "../../integrations/patterns";
import { TaskFailure, type IntegrationServices, type TaskAttempt } from "../../integrations/performer";
import { walkDefinition, type JsonObject } from "../../policy/analysis/walk";
import { parseTaskResource } from "./task-resource";

export { TaskFailure, type IntegrationServices, type TaskAttempt };
export { serviceCallFailure } from "../../integrations/perform/task-events";

// The performers' code loads with the sandbox, so it shares the sandbox's modules (its error classes): a program
// model loaded later makes Node forget and reload the project's sources (sandbox/model.ts).
for (const { support } of allActions()) support.perform?.preload?.();

/** A Task state the sandbox cannot run, with why. */
export interface UnrunnableTask {
  /** The state path, e.g. `Fan out > Branch 1 > Start`. */
  readonly state: string;
  readonly resource: string;
  readonly reason: string;
}

/** What the sandbox runs, as Resources are written: the actions whose module has a performer. */
export function runnableIntegrations(): string[] {
  return allActions()
    .filter((a) => a.support.perform !== undefined)
    .map((a) => (a.module.kind === "lambda-function" ? "Lambda function ARNs" : actionLabel(a)));
}

function reasonNotRun(resource: ReturnType<typeof parseTaskResource>): string | undefined {
  if (resource.kind === "activity") return "activities are not run by the sandbox";
  const entry = integrationOf(resource);
  const written = `${resource.kind === "sdk" ? "aws-sdk:" : ""}${resource.service}:${resource.action}`;
  if (!entry) return "the sandbox does not run this integration";
  if (!entry.support.patterns.includes(resource.pattern)) return `${written} has no .${resource.pattern}`;
  if (!entry.support.perform) return `the sandbox does not run ${written}`;
  return undefined;
}

/**
 * Every Task of a definition whose integration the sandbox has no performer for. A machine with one is refused
 * at deployment rather than failing when the state is reached.
 */
export function unrunnableTasks(definition: JsonObject): UnrunnableTask[] {
  const found: UnrunnableTask[] = [];
  for (const visit of walkDefinition(definition).states) {
    if (visit.type !== "Task") continue;
    const resource = parseTaskResource(visit.state.Resource);
    const reason = reasonNotRun(resource);
    if (reason) found.push({ state: visit.path, resource: resource.raw, reason });
  }
  return found;
}

/**
 * Tasks an EXPRESS machine may not have: "Standard vs. Express Workflows" says Express workflows support neither
 * `.sync` nor `.waitForTaskToken`, nor activities. AWS refuses such a definition; the sandbox must not run it as
 * if it were STANDARD.
 */
export function expressViolations(definition: JsonObject): UnrunnableTask[] {
  const found: UnrunnableTask[] = [];
  for (const visit of walkDefinition(definition).states) {
    if (visit.type !== "Task") continue;
    const resource = parseTaskResource(visit.state.Resource);
    if (resource.kind === "activity" && !EXPRESS_SUPPORTS_ACTIVITIES) {
      found.push({ state: visit.path, resource: resource.raw, reason: "Express workflows do not support activities" });
    } else if (!EXPRESS_PATTERNS.includes(resource.pattern)) {
      found.push({ state: visit.path, resource: resource.raw, reason: `Express workflows do not support the .${resource.pattern} integration pattern` });
    }
  }
  return found;
}

/** The refusal message: each state and its Resource, and what the sandbox runs. */
export function unrunnableMessage(machineName: string, tasks: readonly UnrunnableTask[]): string {
  const lines = tasks.map((t) => `  - state "${t.state}", Resource ${t.resource}: ${t.reason}`);
  return (
    `State machine "${machineName}" cannot run in the sandbox: it has Tasks whose integration the sandbox does not run:\n${lines.join("\n")}\n` +
    `The sandbox runs: ${runnableIntegrations().join(", ")}.`
  );
}

/**
 * Runs one attempt of a Task with its registry module's performer. The semantics come only from the
 * Resource: the service, the action and the integration pattern.
 */
export async function runTaskAttempt(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  const { resource } = attempt;
  const perform = integrationOf(resource)?.support.perform;
  if (!perform) {
    // Deployment refuses such machines; this guards a Resource that reached here some other way.
    const reason = reasonNotRun(resource) ?? "no performer";
    throw new TaskFailure("States.Runtime", `The sandbox cannot run the Resource "${resource.raw}" of state "${attempt.stateName}": ${reason}. It runs: ${runnableIntegrations().join(", ")}.`);
  }
  return perform(attempt, services);
}
