import { crawlerProblem } from "./glue/crawler-model";
import { glueTriggerProblem } from "./glue/workflow-model";
import { functionProblem, RESOURCE_TYPES } from "./model-view";
import type { ModelResource, ProgramModel } from "./program-model";
import { BUCKET_CONFIGURATION_TYPES } from "./s3/bucket-configuration";

/**
 * What the sandbox does not deploy from a program, said at start: each resource with why, and what fails when
 * a state machine (or a function) calls it. Nothing a program declares is skipped without a line here.
 */
export interface NotDeployed {
  readonly type: string;
  readonly name: string;
  /** Why it is not deployed. */
  readonly reason: string;
  /** What happens to a call that needs it. */
  readonly consequence: string;
}

/** Types the sandbox deploys or reads as another resource's configuration. */
const DEPLOYED_TYPES: ReadonlySet<string> = new Set<string>([...Object.values(RESOURCE_TYPES), ...Object.values(BUCKET_CONFIGURATION_TYPES).flat()]);

/** The service of a type token: "aws:sns/topic:Topic" -> "sns". */
function serviceOf(type: string): string {
  return /^aws:([^/]+)\//.exec(type)?.[1] ?? type.split(":")[0];
}

function notDeployedResource(r: ModelResource): NotDeployed | undefined {
  // Component resources only group others; providers and the stack are Pulumi's own.
  if (r.custom === false || r.type.startsWith("pulumi:")) return undefined;
  if (r.type === RESOURCE_TYPES.function) {
    const problem = functionProblem(r);
    if (problem === undefined) return undefined;
    return { type: r.type, name: r.name, reason: problem, consequence: "a Task or SDK call invoking it fails with Lambda.ResourceNotFoundException" };
  }
  if (r.type === RESOURCE_TYPES.crawler) {
    const problem = crawlerProblem(r);
    if (problem === undefined) return undefined;
    return { type: r.type, name: r.name, reason: problem, consequence: "StartCrawler and GetCrawler on it fail with Glue.EntityNotFoundException" };
  }
  if (r.type === RESOURCE_TYPES.glueTrigger) {
    const problem = glueTriggerProblem(r);
    if (problem === undefined) return undefined;
    return { type: r.type, name: r.name, reason: problem, consequence: "its actions never start, and a workflow it would start refuses StartWorkflowRun (it has no start trigger the sandbox runs)" };
  }
  if (DEPLOYED_TYPES.has(r.type)) return undefined;
  return {
    type: r.type,
    name: r.name,
    reason: `the sandbox has no ${serviceOf(r.type)} resources of this type`,
    consequence: "a Task or function calling it fails (the sandbox refuses the integration or has no such resource)",
  };
}

export function notDeployed(model: ProgramModel): NotDeployed[] {
  return model.resources.map(notDeployedResource).filter((n): n is NotDeployed => n !== undefined);
}

/** One line per resource, for the start-up report. */
export function describeNotDeployed(item: NotDeployed): string {
  return `${item.type} "${item.name}": not deployed, ${item.reason}; ${item.consequence}`;
}
