/**
 * The integration registry: one module per integration (modules/), and the lookups every part of the
 * project uses. Adding an integration is adding its module file and listing it here.
 * Loading it loads data and small functions only: no Pulumi, no AWS SDK, no sandbox engine.
 */
import type { IntegrationPattern } from "../policy/analysis/types";
import { apigateway } from "./modules/apigateway";
import { athena } from "./modules/athena";
import { awsSdkGlue } from "./modules/aws-sdk-glue";
import { awsSdkLambda } from "./modules/aws-sdk-lambda";
import { awsSdkSfn } from "./modules/aws-sdk-sfn";
import { batch } from "./modules/batch";
import { bedrock } from "./modules/bedrock";
import { codebuild } from "./modules/codebuild";
import { databrew } from "./modules/databrew";
import { dynamodb } from "./modules/dynamodb";
import { ecs } from "./modules/ecs";
import { eks } from "./modules/eks";
import { elasticMapReduce } from "./modules/elasticmapreduce";
import { emrContainers } from "./modules/emr-containers";
import { emrServerless } from "./modules/emr-serverless";
import { events } from "./modules/events";
import { glueJobRun } from "./modules/glue-start-job-run";
import { http } from "./modules/http";
import { lambdaFunction } from "./modules/lambda-function";
import { lambdaInvoke } from "./modules/lambda-invoke";
import { mediaconvert } from "./modules/mediaconvert";
import { sagemaker } from "./modules/sagemaker";
import { sns } from "./modules/sns";
import { sqs } from "./modules/sqs";
import { statesStartExecution } from "./modules/states-start-execution";
import { SDK_PATTERNS } from "./patterns";
import { OTHER_ACTIONS, type ActionSupport, type IntegrationKind, type IntegrationModule } from "./types";

export * from "./types";
export * from "./patterns";

/** AWS SDK integrations with every service no module describes: the patterns every SDK call has, nothing run. */
const OTHER_SDK_SERVICES = "*";
const awsSdkOtherServices: IntegrationModule = {
  name: "aws-sdk (other services)",
  kind: "sdk",
  service: OTHER_SDK_SERVICES,
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html",
  actions: { [OTHER_ACTIONS]: { patterns: SDK_PATTERNS } },
};

/** Every module, in the order the docs table lists them. */
export const INTEGRATIONS: readonly IntegrationModule[] = [
  lambdaFunction,
  lambdaInvoke,
  awsSdkLambda,
  glueJobRun,
  awsSdkGlue,
  statesStartExecution,
  awsSdkSfn,
  apigateway,
  athena,
  batch,
  bedrock,
  codebuild,
  databrew,
  dynamodb,
  ecs,
  eks,
  elasticMapReduce,
  emrContainers,
  emrServerless,
  events,
  http,
  mediaconvert,
  sagemaker,
  sns,
  sqs,
  awsSdkOtherServices,
];

/** One action of one module, as a Task's Resource names it. */
export interface IntegrationAction {
  readonly module: IntegrationModule;
  /** The action as the Resource spells it. */
  readonly action: string;
  readonly support: ActionSupport;
  /** False when the action is covered by the module's OTHER_ACTIONS entry. */
  readonly listed: boolean;
}

/** The modules of one kind and service (the SDK fallback for services no module names). */
export function modulesFor(kind: IntegrationKind, service: string): IntegrationModule[] {
  const own = INTEGRATIONS.filter((m) => m.kind === kind && m.service === service);
  if (own.length > 0 || kind !== "sdk") return own;
  return INTEGRATIONS.filter((m) => m.kind === "sdk" && m.service === OTHER_SDK_SERVICES);
}

/** What the registry knows of `<kind> <service>:<action>`, or undefined when no module describes it. */
export function findIntegration(kind: IntegrationKind, service: string, action: string): IntegrationAction | undefined {
  const modules = modulesFor(kind, service);
  for (const module of modules) {
    const support = Object.hasOwn(module.actions, action) && action !== OTHER_ACTIONS ? module.actions[action] : undefined;
    if (support) return { module, action, support, listed: true };
  }
  for (const module of modules) {
    const support = module.actions[OTHER_ACTIONS];
    if (support) return { module, action, support, listed: false };
  }
  return undefined;
}

/** The integration a classified Resource names (optimized, SDK or a Lambda function ARN), if the registry knows it. */
export function integrationOf(resource: { kind: string; service?: string; action?: string }): IntegrationAction | undefined {
  const { kind, service, action } = resource;
  if (kind !== "optimized" && kind !== "sdk" && kind !== "lambda-function") return undefined;
  if (service === undefined || action === undefined) return undefined;
  return findIntegration(kind, service, action);
}

/** Every listed action of every module, and each module's OTHER_ACTIONS entry. */
export function allActions(): IntegrationAction[] {
  return INTEGRATIONS.flatMap((module) =>
    Object.entries(module.actions).map(([action, support]) => ({ module, action, support, listed: action !== OTHER_ACTIONS })),
  );
}

/** How a Resource for an action is written, for docs and messages: `aws-sdk:glue:startJobRun`, `lambda:invoke`. */
export function actionLabel(entry: Pick<IntegrationAction, "module" | "action">): string {
  const { module, action } = entry;
  if (module.kind === "lambda-function") return "Lambda function ARN";
  const service = module.service === OTHER_SDK_SERVICES ? "<service>" : module.service;
  const name = action === OTHER_ACTIONS ? "<action>" : action;
  return `${module.kind === "sdk" ? "aws-sdk:" : ""}${service}:${name}`;
}

/** The actions the sandbox performs, as written in a Resource (for refusal messages and docs). */
export function runnableActions(): string[] {
  return allActions()
    .filter((a) => a.support.perform !== undefined)
    .map(actionLabel);
}

export function patternSuffix(pattern: IntegrationPattern): string {
  return pattern === "request-response" ? "" : `.${pattern}`;
}
