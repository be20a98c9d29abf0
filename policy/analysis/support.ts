/**
 * Which integration patterns exist, as data, in one place.
 *
 * Sources (AWS Step Functions Developer Guide):
 * - "Integrating optimized services with Step Functions" (integrate-optimized / connect-supported-services):
 *   per-service table of Request Response, Run a Job (.sync) and Wait for Callback (.waitForTaskToken);
 *   AWS SDK integrations: Request Response and Wait for Callback, never .sync; Express workflows: Request
 *   Response only.
 * - Each service's integration page for the actions that offer .sync (e.g. "Run AWS Glue jobs": only
 *   StartJobRun, with .sync; "Start a new AWS Step Functions execution": .sync and .sync:2).
 * - "Standard vs. Express Workflows": Express workflows do not support activities.
 */
import { IntegrationPattern, WorkflowType } from "./types";

export interface OptimizedServiceSupport {
  /** The only actions the optimized integration has, where the service's page lists them; others need the SDK form. */
  actions?: readonly string[];
  /** Patterns the service offers at all (per the optimized integrations table). */
  patterns: readonly IntegrationPattern[];
  /** Actions that offer `.sync` (and `.sync:2` where listed); `.sync` on any other action does not exist. */
  syncActions?: readonly string[];
  syncV2Actions?: readonly string[];
}

const RR: IntegrationPattern = "request-response";

/** Optimized integrations, keyed by the service name used in `arn:aws:states:::<service>:<action>`. */
export const OPTIMIZED_INTEGRATIONS: Readonly<Record<string, OptimizedServiceSupport>> = {
  apigateway: { patterns: [RR, "waitForTaskToken"] },
  athena: { patterns: [RR, "sync"], syncActions: ["startQueryExecution"] },
  batch: { patterns: [RR, "sync"], syncActions: ["submitJob"] },
  bedrock: { patterns: [RR, "sync", "waitForTaskToken"], syncActions: ["createModelCustomizationJob"] },
  codebuild: { patterns: [RR, "sync"], syncActions: ["startBuild", "startBuildBatch", "retryBuildBatch"] },
  dynamodb: { patterns: [RR] },
  ecs: { patterns: [RR, "sync", "waitForTaskToken"], syncActions: ["runTask"] },
  eks: {
    patterns: [RR, "sync", "waitForTaskToken"],
    syncActions: ["createCluster", "deleteCluster", "createFargateProfile", "deleteFargateProfile", "createNodegroup", "deleteNodegroup", "runJob"],
  },
  elasticmapreduce: { patterns: [RR, "sync"], syncActions: ["createCluster", "terminateCluster", "addStep"] },
  "emr-containers": { patterns: [RR, "sync"], syncActions: ["startJobRun", "createVirtualCluster", "deleteVirtualCluster"] },
  "emr-serverless": {
    patterns: [RR, "sync"],
    syncActions: ["createApplication", "startApplication", "stopApplication", "deleteApplication", "startJobRun", "cancelJobRun"],
  },
  events: { patterns: [RR, "waitForTaskToken"] },
  // "Run AWS Glue jobs with Step Functions": the optimized integration has StartJobRun only; crawlers,
  // workflows and triggers are called through the AWS SDK integration (aws-sdk:glue:startCrawler...).
  glue: { actions: ["startJobRun"], patterns: [RR, "sync"], syncActions: ["startJobRun"] },
  databrew: { patterns: [RR, "sync"], syncActions: ["startJobRun"] },
  http: { patterns: [RR] },
  lambda: { patterns: [RR, "waitForTaskToken"] },
  mediaconvert: { patterns: [RR, "sync"], syncActions: ["createJob"] },
  sagemaker: {
    patterns: [RR, "sync"],
    syncActions: ["createTrainingJob", "createTransformJob", "createProcessingJob", "createHyperParameterTuningJob", "createLabelingJob"],
  },
  sns: { patterns: [RR, "waitForTaskToken"] },
  sqs: { patterns: [RR, "waitForTaskToken"] },
  states: { patterns: [RR, "sync", "sync:2", "waitForTaskToken"], syncActions: ["startExecution"], syncV2Actions: ["startExecution"] },
};

/** AWS SDK integrations (`arn:aws:states:::aws-sdk:<service>:<action>`), for every service. */
export const SDK_PATTERNS: readonly IntegrationPattern[] = [RR, "waitForTaskToken"];

/** What Express workflows allow. */
export const EXPRESS_PATTERNS: readonly IntegrationPattern[] = [RR];
export const EXPRESS_SUPPORTS_ACTIVITIES = false;

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

export const GLUE_JOB_START: AsyncJobStart = { service: "glue", action: "startJobRun", label: "Glue job run", sdk: ["glue:startJobRun"] };

/** Other job services (rule async-job-should-wait). */
export const ASYNC_JOB_STARTS: readonly AsyncJobStart[] = [
  { service: "batch", action: "submitJob", label: "AWS Batch job", sdk: ["batch:submitJob"] },
  { service: "ecs", action: "runTask", label: "ECS/Fargate task", sdk: ["ecs:runTask"] },
  { service: "elasticmapreduce", action: "addStep", label: "EMR step", sdk: ["emr:addJobFlowSteps"] },
  { service: "elasticmapreduce", action: "createCluster", label: "EMR cluster", sdk: ["emr:runJobFlow"] },
  { service: "emr-containers", action: "startJobRun", label: "EMR on EKS job run", sdk: ["emrcontainers:startJobRun"] },
  { service: "emr-serverless", action: "startJobRun", label: "EMR Serverless job run", sdk: ["emrserverless:startJobRun"] },
  { service: "codebuild", action: "startBuild", label: "CodeBuild build", sdk: ["codebuild:startBuild"] },
  { service: "codebuild", action: "startBuildBatch", label: "CodeBuild batch build", sdk: ["codebuild:startBuildBatch"] },
  { service: "athena", action: "startQueryExecution", label: "Athena query", sdk: ["athena:startQueryExecution"] },
  { service: "sagemaker", action: "createTrainingJob", label: "SageMaker training job", sdk: ["sagemaker:createTrainingJob"] },
  { service: "sagemaker", action: "createTransformJob", label: "SageMaker transform job", sdk: ["sagemaker:createTransformJob"] },
  { service: "sagemaker", action: "createProcessingJob", label: "SageMaker processing job", sdk: ["sagemaker:createProcessingJob"] },
  {
    service: "sagemaker",
    action: "createHyperParameterTuningJob",
    label: "SageMaker tuning job",
    sdk: ["sagemaker:createHyperParameterTuningJob"],
  },
  { service: "states", action: "startExecution", label: "nested Step Functions execution", sdk: ["sfn:startExecution"] },
  { service: "databrew", action: "startJobRun", label: "Glue DataBrew job run", sdk: ["databrew:startJobRun"] },
  { service: "mediaconvert", action: "createJob", label: "MediaConvert job", sdk: ["mediaconvert:createJob"] },
  { service: "eks", action: "runJob", label: "EKS job", sdk: [] },
];

/**
 * SDK Glue calls named start* that are not asynchronous work: they switch a schedule on, and there is
 * nothing to wait for. (StartTrigger is not one: on an on-demand trigger it starts the trigger's jobs.)
 */
export const GLUE_SDK_STARTS_WITHOUT_WORK: readonly string[] = ["startCrawlerSchedule", "startColumnStatisticsTaskRunSchedule"];

/**
 * Where a Glue start* request can carry a task token to the work it starts (the Glue API's request
 * members: StartJobRun's Arguments, StartWorkflowRun's RunProperties, StartBlueprintRun's Parameters).
 * StartCrawler and StartTrigger take only a name: with them .waitForTaskToken has nowhere to put the token.
 */
export const GLUE_TOKEN_CARRIERS: Readonly<Record<string, string>> = {
  startJobRun: "Arguments",
  startWorkflowRun: "RunProperties",
  startBlueprintRun: "Parameters",
};

/**
 * The call that reads the status of work started by a Glue SDK start* call, for messages (the polling
 * loop itself is recognised for any get/describe/list call of the same service).
 */
export const GLUE_STATUS_READS: Readonly<Record<string, string>> = {
  startJobRun: "getJobRun",
  startCrawler: "getCrawler",
  startTrigger: "getJobRuns",
  startWorkflowRun: "getWorkflowRun",
  startBlueprintRun: "getBlueprintRun",
  startMLEvaluationTaskRun: "getMLTaskRun",
  startMLLabelingSetGenerationTaskRun: "getMLTaskRun",
  startExportLabelsTaskRun: "getMLTaskRun",
  startImportLabelsTaskRun: "getMLTaskRun",
  startDataQualityRuleRecommendationRun: "getDataQualityRuleRecommendationRun",
  startDataQualityRulesetEvaluationRun: "getDataQualityRulesetEvaluationRun",
  startColumnStatisticsTaskRun: "getColumnStatisticsTaskRun",
};

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
  if (workflowType === "EXPRESS" && !EXPRESS_PATTERNS.includes(pattern)) {
    return `EXPRESS workflows support only request-response, not .${pattern}`;
  }
  return undefined;
}
