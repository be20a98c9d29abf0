/**
 * A Glue trigger as CreateTrigger takes it and GetTrigger returns it (Glue API model: Trigger, Action, Predicate,
 * Condition), what the sandbox refuses of one, and when a CONDITIONAL trigger's predicate holds.
 */

export const TRIGGER_TYPES = ["SCHEDULED", "CONDITIONAL", "ON_DEMAND", "EVENT"] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];
/** The states a trigger rests in ("AWS Glue triggers": CREATED, ACTIVATED or DEACTIVATED; the rest are transitions). */
export type TriggerState = "CREATED" | "ACTIVATED" | "DEACTIVATED";

export interface TriggerAction {
  readonly JobName?: string;
  readonly CrawlerName?: string;
  /** Replace the job's default arguments for this run, key by key (model: Action.Arguments). */
  readonly Arguments?: Readonly<Record<string, string>>;
  /** Minutes; overrides the job's timeout (model: Action.Timeout, min 1). */
  readonly Timeout?: number;
  readonly SecurityConfiguration?: string;
  readonly NotificationProperty?: { readonly NotifyDelayAfter?: number };
}

export interface TriggerCondition {
  readonly LogicalOperator?: "EQUALS";
  readonly JobName?: string;
  readonly State?: string;
  readonly CrawlerName?: string;
  readonly CrawlState?: string;
}

export interface TriggerPredicate {
  /** Optional with one condition; AND or ANY (model: Logical). */
  readonly Logical?: "AND" | "ANY";
  readonly Conditions?: readonly TriggerCondition[];
}

export interface TriggerDefinition {
  readonly Name: string;
  readonly WorkflowName?: string;
  readonly Type: TriggerType;
  readonly Description?: string;
  readonly Schedule?: string;
  readonly Actions: readonly TriggerAction[];
  readonly Predicate?: TriggerPredicate;
  readonly EventBatchingCondition?: { readonly BatchSize: number; readonly BatchWindow?: number };
}

/**
 * The completion states a condition can watch (model: Condition.State, "the only job states that a trigger can
 * listen for are SUCCEEDED, STOPPED, FAILED, and TIMEOUT. The only crawler states ... SUCCEEDED, FAILED, and CANCELLED").
 */
export const WATCHED_JOB_STATES: readonly string[] = ["SUCCEEDED", "STOPPED", "FAILED", "TIMEOUT"];
export const WATCHED_CRAWL_STATES: readonly string[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

/** What a trigger's definition is checked against: the jobs that exist, and whether crawlers can run here. */
export interface TriggerContext {
  readonly hasJob: (jobName: string) => boolean;
  readonly hasWorkflow: (workflowName: string) => boolean;
  readonly runsCrawlers: boolean;
}

/** Why a definition cannot be created: the error code Glue (or the sandbox's limit) answers with and the message. */
export interface TriggerProblem {
  readonly code: "InvalidInputException" | "EntityNotFoundException";
  readonly message: string;
}

const invalid = (message: string): TriggerProblem => ({ code: "InvalidInputException", message });

/** The first problem of a trigger definition, or undefined when the sandbox can create and run it. */
export function triggerProblem(trigger: TriggerDefinition, context: TriggerContext): TriggerProblem | undefined {
  if (!TRIGGER_TYPES.includes(trigger.Type)) return invalid(`Trigger type must be one of ${TRIGGER_TYPES.join(", ")}, got ${JSON.stringify(trigger.Type)}`);
  // The sandbox has no clock to fire cron schedules and no EventBridge source feeding Glue event triggers.
  if (trigger.Type === "SCHEDULED") return invalid(`Trigger ${trigger.Name}: the sandbox does not run SCHEDULED triggers (it has no clock for ${trigger.Schedule ?? "the schedule"}); use ON_DEMAND and StartTrigger or StartWorkflowRun`);
  if (trigger.Type === "EVENT") return invalid(`Trigger ${trigger.Name}: the sandbox does not run EVENT triggers (no EventBridge events reach Glue workflows here); use ON_DEMAND and StartWorkflowRun`);
  if (trigger.WorkflowName !== undefined && !context.hasWorkflow(trigger.WorkflowName)) {
    return { code: "EntityNotFoundException", message: `Workflow ${trigger.WorkflowName} not found` };
  }
  if (trigger.Actions.length === 0) return invalid(`Trigger ${trigger.Name} has no actions`);
  for (const [index, action] of trigger.Actions.entries()) {
    const problem = actionProblem(trigger.Name, index, action, context);
    if (problem) return problem;
  }
  if (trigger.Type === "CONDITIONAL") {
    // Model: Predicate "is required when the trigger type is CONDITIONAL".
    const conditions = trigger.Predicate?.Conditions ?? [];
    if (conditions.length === 0) return invalid(`Trigger ${trigger.Name}: a CONDITIONAL trigger needs a Predicate with at least one condition`);
    for (const [index, condition] of conditions.entries()) {
      const problem = conditionProblem(trigger.Name, index, condition, context);
      if (problem) return problem;
    }
    const logical = trigger.Predicate?.Logical;
    if (logical !== undefined && logical !== "AND" && logical !== "ANY") return invalid(`Trigger ${trigger.Name}: Predicate.Logical must be AND or ANY, got ${JSON.stringify(logical)}`);
  }
  return undefined;
}

function actionProblem(triggerName: string, index: number, action: TriggerAction, context: TriggerContext): TriggerProblem | undefined {
  const where = `Trigger ${triggerName} action ${index + 1}`;
  if ((action.JobName === undefined) === (action.CrawlerName === undefined)) return invalid(`${where} must name exactly one of JobName and CrawlerName`);
  if (action.JobName !== undefined && !context.hasJob(action.JobName)) return { code: "EntityNotFoundException", message: `Job ${action.JobName} not found` };
  if (action.CrawlerName !== undefined && !context.runsCrawlers) return invalid(`${where} starts crawler ${action.CrawlerName}: this sandbox runs no crawlers`);
  if (action.Timeout !== undefined && (!Number.isInteger(action.Timeout) || action.Timeout < 1)) return invalid(`${where}: Timeout must be an integer of at least 1 minute`);
  return undefined;
}

function conditionProblem(triggerName: string, index: number, condition: TriggerCondition, context: TriggerContext): TriggerProblem | undefined {
  const where = `Trigger ${triggerName} condition ${index + 1}`;
  if ((condition.JobName === undefined) === (condition.CrawlerName === undefined)) return invalid(`${where} must name exactly one of JobName and CrawlerName`);
  if (condition.LogicalOperator !== undefined && condition.LogicalOperator !== "EQUALS") return invalid(`${where}: LogicalOperator must be EQUALS`);
  if (condition.JobName !== undefined) {
    if (!WATCHED_JOB_STATES.includes(condition.State ?? "")) return invalid(`${where}: a trigger can watch a job's ${WATCHED_JOB_STATES.join(", ")} only, got ${JSON.stringify(condition.State)}`);
    if (!context.hasJob(condition.JobName)) return { code: "EntityNotFoundException", message: `Job ${condition.JobName} not found` };
  } else {
    if (!WATCHED_CRAWL_STATES.includes(condition.CrawlState ?? "")) return invalid(`${where}: a trigger can watch a crawl's ${WATCHED_CRAWL_STATES.join(", ")} only, got ${JSON.stringify(condition.CrawlState)}`);
    if (!context.runsCrawlers) return invalid(`${where} watches crawler ${condition.CrawlerName}: this sandbox runs no crawlers`);
  }
  return undefined;
}

/** How one action of a run ended: a job run's JobRunState or a crawl's state. */
export interface EndedAction {
  readonly kind: "job" | "crawler";
  readonly name: string;
  readonly state: string;
}

/**
 * Whether a CONDITIONAL trigger fires over the actions that ended in one run (a workflow run, or the chain of one
 * standalone trigger): a condition holds when a run of its job (crawl of its crawler) ended in its state; AND needs
 * every condition, ANY one ("AWS Glue triggers": fire "when any or all of the watched events occur").
 */
export function predicateHolds(predicate: TriggerPredicate | undefined, ended: readonly EndedAction[]): boolean {
  const conditions = predicate?.Conditions ?? [];
  if (conditions.length === 0) return false;
  const holds = (c: TriggerCondition) =>
    ended.some((a) => (c.JobName !== undefined ? a.kind === "job" && a.name === c.JobName && a.state === c.State : a.kind === "crawler" && a.name === c.CrawlerName && a.state === c.CrawlState));
  return predicate?.Logical === "ANY" ? conditions.some(holds) : conditions.every(holds);
}
