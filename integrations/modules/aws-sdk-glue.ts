/**
 * AWS SDK integration with Glue (aws-sdk:glue:<action>): any Glue API action, request-response or
 * .waitForTaskToken ("Run AWS Glue jobs with Step Functions" sends crawlers, workflows and triggers here).
 * The sandbox's Glue runs job runs, workflows and triggers, crawlers and the Data Catalog's reads (getDatabase,
 * getTable, getTables); blueprints and the rest are refused.
 * Where a start* request carries a task token to the work: the Glue API's request members (StartJobRun's
 * Arguments, StartWorkflowRun's RunProperties, StartBlueprintRun's Parameters); StartCrawler and StartTrigger
 * take only a name, so .waitForTaskToken has nowhere to put the token.
 */
import type * as Glue from "../perform/glue";
import type * as GlueCatalog from "../perform/glue-catalog";
import type * as GlueWorkflow from "../perform/glue-workflow";
import { lazyPerformer } from "../define";
import { SDK_PATTERNS } from "../patterns";
import type { ActionSupport, IamStatementTemplate, IntegrationModule } from "../types";

/** The same statements for both patterns an SDK call has. */
const both = (statements: readonly IamStatementTemplate[]): ActionSupport["iam"] => ({ "request-response": statements, waitForTaskToken: statements });
/** The API action on the resources named. */
const onResources = (...resources: string[]): ActionSupport["iam"] => both([{ actions: ["glue:${Action}"], resources }]);

/** The API action on the job the request names. */
const onJob = onResources("arn:${Partition}:glue:${Region}:${Account}:job/${JobName}");

/** A start* call, with the read that tells how its work went; the sandbox runs it only where a performer is given. */
const start = (statusRead: string, tokenCarrier?: string, iam?: ActionSupport["iam"]): ActionSupport => ({
  patterns: SDK_PATTERNS,
  statusRead,
  ...(tokenCarrier ? { tokenCarrier } : {}),
  ...(iam ? { iam } : {}),
});

/** The API action on the crawler the request names (Service Authorization Reference: resource type crawler). */
const onCrawler = onResources("arn:${Partition}:glue:${Region}:${Account}:crawler/${Name}");

/**
 * Data Catalog reads: the Service Authorization Reference lists the catalog, the database and (for table
 * actions) the table as their resources; GetTables reads every table of the database.
 */
const CATALOG = "arn:${Partition}:glue:${Region}:${Account}:catalog";
const onDatabase = onResources(CATALOG, "arn:${Partition}:glue:${Region}:${Account}:database/${Name}");
const onTable = onResources(CATALOG, "arn:${Partition}:glue:${Region}:${Account}:database/${DatabaseName}", "arn:${Partition}:glue:${Region}:${Account}:table/${DatabaseName}/${Name}");
const onTables = onResources(CATALOG, "arn:${Partition}:glue:${Region}:${Account}:database/${DatabaseName}", "arn:${Partition}:glue:${Region}:${Account}:table/${DatabaseName}/*");
const catalogPerformer = (name: keyof typeof GlueCatalog) => lazyPerformer(() => (require("../perform/glue-catalog") as typeof GlueCatalog)[name]);

/**
 * The API action on the workflow or trigger the request's Name names (Service Authorization Reference, AWS Glue:
 * resource types workflow "arn:${Partition}:glue:${Region}:${Account}:workflow/${WorkflowName}" and trigger
 * "...:trigger/${TriggerName}").
 */
const onWorkflow = onResources("arn:${Partition}:glue:${Region}:${Account}:workflow/${Name}");
const onTrigger = onResources("arn:${Partition}:glue:${Region}:${Account}:trigger/${Name}");
const workflowPerformer = (name: keyof typeof GlueWorkflow) => lazyPerformer(() => (require("../perform/glue-workflow") as typeof GlueWorkflow)[name]);
/** A workflow or trigger call the sandbox performs. */
const workflowCall = (iam: ActionSupport["iam"], name: keyof typeof GlueWorkflow): ActionSupport => ({ patterns: SDK_PATTERNS, iam, perform: workflowPerformer(name) });

export const awsSdkGlue: IntegrationModule = {
  name: "aws-sdk:glue",
  kind: "sdk",
  service: "glue",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-glue.html",
  actions: {
    startJobRun: {
      patterns: SDK_PATTERNS,
      iam: onJob,
      tokenCarrier: "Arguments",
      tokenCarrierHint: 'inside Arguments, as a job argument such as "--task-token.$"',
      statusRead: "getJobRun",
      perform: lazyPerformer(() => (require("../perform/glue") as typeof Glue).sdkStartJobRun),
    },
    getJobRun: {
      patterns: SDK_PATTERNS,
      iam: onJob,
      perform: lazyPerformer(() => (require("../perform/glue") as typeof Glue).sdkGetJobRun),
    },
    getJobRuns: {
      patterns: SDK_PATTERNS,
      iam: onJob,
      perform: lazyPerformer(() => (require("../perform/glue") as typeof Glue).sdkGetJobRuns),
    },
    batchStopJobRun: {
      patterns: SDK_PATTERNS,
      iam: onJob,
      perform: lazyPerformer(() => (require("../perform/glue") as typeof Glue).sdkBatchStopJobRun),
    },
    startCrawler: { ...start("getCrawler", undefined, onCrawler), perform: catalogPerformer("startCrawler") },
    getCrawler: { patterns: SDK_PATTERNS, iam: onCrawler, perform: catalogPerformer("getCrawler") },
    stopCrawler: { patterns: SDK_PATTERNS, iam: onCrawler, perform: catalogPerformer("stopCrawler") },
    getDatabase: { patterns: SDK_PATTERNS, iam: onDatabase, perform: catalogPerformer("getDatabase") },
    getTable: { patterns: SDK_PATTERNS, iam: onTable, perform: catalogPerformer("getTable") },
    getTables: { patterns: SDK_PATTERNS, iam: onTables, perform: catalogPerformer("getTables") },
    // StartTrigger on an on-demand trigger starts the trigger's jobs: their runs are what to read.
    startTrigger: { ...start("getJobRuns", undefined, onTrigger), perform: workflowPerformer("sdkStartTrigger") },
    startWorkflowRun: {
      ...start("getWorkflowRun", "RunProperties", onWorkflow),
      tokenCarrierHint: 'inside RunProperties, as a run property such as "task_token.$" that a job reads with GetWorkflowRunProperties',
      perform: workflowPerformer("sdkStartWorkflowRun"),
    },
    getWorkflow: workflowCall(onWorkflow, "sdkGetWorkflow"),
    getWorkflowRun: workflowCall(onWorkflow, "sdkGetWorkflowRun"),
    getWorkflowRuns: workflowCall(onWorkflow, "sdkGetWorkflowRuns"),
    getWorkflowRunProperties: workflowCall(onWorkflow, "sdkGetWorkflowRunProperties"),
    putWorkflowRunProperties: workflowCall(onWorkflow, "sdkPutWorkflowRunProperties"),
    stopWorkflowRun: workflowCall(onWorkflow, "sdkStopWorkflowRun"),
    getTrigger: workflowCall(onTrigger, "sdkGetTrigger"),
    stopTrigger: workflowCall(onTrigger, "sdkStopTrigger"),
    startBlueprintRun: start("getBlueprintRun", "Parameters"),
    startMLEvaluationTaskRun: start("getMLTaskRun"),
    startMLLabelingSetGenerationTaskRun: start("getMLTaskRun"),
    startExportLabelsTaskRun: start("getMLTaskRun"),
    startImportLabelsTaskRun: start("getMLTaskRun"),
    startDataQualityRuleRecommendationRun: start("getDataQualityRuleRecommendationRun"),
    startDataQualityRulesetEvaluationRun: start("getDataQualityRulesetEvaluationRun"),
    startColumnStatisticsTaskRun: start("getColumnStatisticsTaskRun"),
    // They switch a schedule on: there is no work to wait for.
    startCrawlerSchedule: { patterns: SDK_PATTERNS, startsNoWork: true },
    startColumnStatisticsTaskRunSchedule: { patterns: SDK_PATTERNS, startsNoWork: true },
    "*": { patterns: SDK_PATTERNS, iam: onJob },
  },
};
