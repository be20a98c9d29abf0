/**
 * A module for an optimized integration the analysis knows but the sandbox does not run: its patterns (from
 * the optimized integrations table), the actions that offer .sync, and the jobs those start. No performer,
 * no IAM templates: the sandbox refuses it, the components ask for additionalStatements.
 */
import type { IntegrationPattern } from "../policy/analysis/types";
import type { IntegrationServices, Performer, TaskAttempt } from "./performer";
import type { ActionSupport, AsyncJob, IntegrationModule } from "./types";
import { OTHER_ACTIONS } from "./types";

export interface OptimizedServiceFacts {
  readonly service: string;
  readonly docs: string;
  /** Patterns the service offers at all. */
  readonly patterns: readonly IntegrationPattern[];
  /** The only actions that offer .sync; the others offer the service's other patterns. */
  readonly syncActions?: readonly string[];
  /** Jobs that actions start (rule async-job-should-wait). */
  readonly jobs?: Readonly<Record<string, AsyncJob>>;
  /** Where an action's request carries a task token to the code that answers (.waitForTaskToken). */
  readonly tokenCarriers?: Readonly<Record<string, { readonly member: string; readonly hint?: string }>>;
}

export function optimizedService(facts: OptimizedServiceFacts): IntegrationModule {
  const withoutSync = facts.patterns.filter((p) => p !== "sync" && p !== "sync:2");
  const actions: Record<string, ActionSupport> = { [OTHER_ACTIONS]: { patterns: facts.syncActions ? withoutSync : facts.patterns } };
  for (const action of facts.syncActions ?? []) actions[action] = { patterns: facts.patterns };
  for (const [action, job] of Object.entries(facts.jobs ?? {})) actions[action] = { ...(actions[action] ?? { patterns: withoutSync }), job };
  for (const [action, carrier] of Object.entries(facts.tokenCarriers ?? {})) {
    actions[action] = { ...(actions[action] ?? { patterns: actions[OTHER_ACTIONS].patterns }), tokenCarrier: carrier.member, ...(carrier.hint ? { tokenCarrierHint: carrier.hint } : {}) };
  }
  return { name: facts.service, kind: "optimized", service: facts.service, docs: facts.docs, actions };
}

/**
 * A performer whose code is loaded when the sandbox loads (sandbox/sfn/integrations.ts preloads every one) or
 * first performs it: loading the registry alone (sfn-lab lint does) loads no sandbox module.
 */
export function lazyPerformer(load: () => (attempt: TaskAttempt, services: IntegrationServices) => Promise<unknown>): Performer {
  let loaded: ReturnType<typeof load> | undefined;
  const preload = () => void (loaded ??= load());
  return Object.assign((attempt: TaskAttempt, services: IntegrationServices) => (loaded ??= load())(attempt, services), { preload });
}
