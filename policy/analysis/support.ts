/**
 * Which integration patterns exist, derived from the integration registry (integrations/): the tables the
 * rules read, in the shapes they read them. No fact about an integration is written here.
 *
 * Sources are cited in each module (AWS Step Functions Developer Guide: "Integrating optimized services",
 * each service's integration page, "Standard vs. Express Workflows").
 */
import { INTEGRATIONS, OTHER_ACTIONS, allActions, findIntegration, type IntegrationAction } from "../../integrations";
// Re-exported from the patterns file itself, so these declarations do not reach the sandbox's performer types.
import { ALL_PATTERNS, EXPRESS_PATTERNS, EXPRESS_SUPPORTS_ACTIVITIES, SDK_PATTERNS } from "../../integrations/patterns";
import { IntegrationPattern, WorkflowType } from "./types";

export { SDK_PATTERNS, EXPRESS_PATTERNS, EXPRESS_SUPPORTS_ACTIVITIES };

export interface OptimizedServiceSupport {
  /** The only actions the optimized integration has, where the service's page lists them; others need the SDK form. */
  actions?: readonly string[];
  /** Patterns the service offers at all (per the optimized integrations table). */
  patterns: readonly IntegrationPattern[];
  /** Actions that offer `.sync` (and `.sync:2` where listed); `.sync` on any other action does not exist. */
  syncActions?: readonly string[];
  syncV2Actions?: readonly string[];
}

/** The optimized integrations of one service, folded from its modules. */
function serviceSupport(service: string): OptimizedServiceSupport {
  const modules = INTEGRATIONS.filter((m) => m.kind === "optimized" && m.service === service);
  const entries = modules.flatMap((m) => Object.entries(m.actions));
  const listed = entries.filter(([action]) => action !== OTHER_ACTIONS);
  const offered = new Set(entries.flatMap(([, s]) => s.patterns));
  const withPattern = (pattern: IntegrationPattern) => listed.filter(([, s]) => s.patterns.includes(pattern)).map(([action]) => action);
  const open = entries.some(([action]) => action === OTHER_ACTIONS);
  return {
    ...(open ? {} : { actions: listed.map(([action]) => action) }),
    patterns: ALL_PATTERNS.filter((p) => offered.has(p)),
    ...(offered.has("sync") ? { syncActions: withPattern("sync") } : {}),
    ...(offered.has("sync:2") ? { syncV2Actions: withPattern("sync:2") } : {}),
  };
}

/** Optimized integrations, keyed by the service name used in `arn:aws:states:::<service>:<action>`. */
export const OPTIMIZED_INTEGRATIONS: Readonly<Record<string, OptimizedServiceSupport>> = Object.fromEntries(
  [...new Set(INTEGRATIONS.filter((m) => m.kind === "optimized").map((m) => m.service))].map((service) => [service, serviceSupport(service)]),
);

/**
 * Starts of asynchronous job work that offer `.sync` (optimized form), with the SDK calls that start the
 * same work. A request-response start of one of these moves on before the job ends.
 */
export interface AsyncJobStart {
  service: string;
  action: string;
  /** What the job is, for messages. */
  label: string;
  /** SDK calls (`service:action` as in `aws-sdk:<service>:<action>`) that start the same work. */
  sdk: readonly string[];
}

const jobStarts: AsyncJobStart[] = allActions()
  .filter((a) => a.module.kind === "optimized" && a.support.job)
  .map((a) => ({ service: a.module.service, action: a.action, label: a.support.job!.label, sdk: a.support.job!.sdk }));

export const GLUE_JOB_START: AsyncJobStart = jobStarts.find((s) => s.service === "glue" && s.action === "startJobRun")!;

/** Other job services (rule async-job-should-wait). */
export const ASYNC_JOB_STARTS: readonly AsyncJobStart[] = jobStarts.filter((s) => s !== GLUE_JOB_START);

const glueSdkActions: IntegrationAction[] = allActions().filter((a) => a.module.kind === "sdk" && a.module.service === "glue" && a.listed);

/** SDK Glue calls named start* that are not asynchronous work: they switch a schedule on. */
export const GLUE_SDK_STARTS_WITHOUT_WORK: readonly string[] = glueSdkActions.filter((a) => a.support.startsNoWork).map((a) => a.action);

/** Where a Glue start* request can carry a task token to the work it starts. */
export const GLUE_TOKEN_CARRIERS: Readonly<Record<string, string>> = Object.fromEntries(
  glueSdkActions.filter((a) => a.support.tokenCarrier).map((a) => [a.action, a.support.tokenCarrier!]),
);

/** The call that reads the status of work started by a Glue SDK start* call, for messages. */
export const GLUE_STATUS_READS: Readonly<Record<string, string>> = Object.fromEntries(
  glueSdkActions.filter((a) => a.support.statusRead).map((a) => [a.action, a.support.statusRead!]),
);

/** The SDK call that reads the status of the work an SDK `<service>:<action>` starts, if the registry names it. */
export function sdkStatusRead(service: string, action: string): string | undefined {
  const entry = findIntegration("sdk", service, action);
  return entry?.listed ? entry.support.statusRead : undefined;
}

/**
 * Where a `<service>:<action>` request carries a task token to the code that answers, for messages (the
 * optimized integration's, else the SDK integration's), if the registry names it.
 */
export function tokenCarrierHint(service: string, action: string): string | undefined {
  for (const kind of ["optimized", "sdk"] as const) {
    const entry = findIntegration(kind, service, action);
    if (entry?.listed && entry.support.tokenCarrier) return entry.support.tokenCarrierHint ?? `inside ${entry.support.tokenCarrier}`;
  }
  return undefined;
}

/**
 * Service names differ between the optimized and the SDK form of the same service; status reads are
 * matched on the SDK name.
 */
const SDK_SERVICE_NAMES: Readonly<Record<string, string>> = {
  states: "sfn",
  elasticmapreduce: "emr",
  "emr-containers": "emrcontainers",
  "emr-serverless": "emrserverless",
};

export function sdkServiceName(service: string): string {
  return SDK_SERVICE_NAMES[service] ?? service;
}

/** Why a pattern is not available, or undefined when it is. */
export function unsupportedPatternReason(
  kind: "optimized" | "sdk",
  service: string,
  action: string,
  pattern: IntegrationPattern,
  workflowType: WorkflowType,
): string | undefined {
  if (kind === "sdk") {
    if (!SDK_PATTERNS.includes(pattern)) return `AWS SDK integrations have no .${pattern}`;
  } else {
    const support = OPTIMIZED_INTEGRATIONS[service];
    if (support) {
      if (support.actions && !support.actions.includes(action)) {
        return `${service}:${action} is not an optimized integration (the optimized ${service} integration has only ${support.actions.join(", ")})`;
      }
      if (!support.patterns.includes(pattern)) return `the optimized ${service} integration has no .${pattern}`;
      if (pattern === "sync" && support.syncActions && !support.syncActions.includes(action)) {
        return `${service}:${action} has no .sync (it exists for ${support.syncActions.join(", ")})`;
      }
      if (pattern === "sync:2" && !(support.syncV2Actions ?? []).includes(action)) {
        return `${service}:${action} has no .sync:2`;
      }
    }
  }
  // What the action's module lists is the last word (e.g. an action offering fewer patterns than its service).
  const entry = findIntegration(kind, service, action);
  if (entry && !entry.support.patterns.includes(pattern)) {
    return `${kind === "sdk" ? "aws-sdk:" : ""}${service}:${action} has no .${pattern}`;
  }
  if (workflowType === "EXPRESS" && !EXPRESS_PATTERNS.includes(pattern)) {
    return `EXPRESS workflows support only request-response, not .${pattern}`;
  }
  return undefined;
}
