/**
 * Every registry module, from one table: what the analysis accepts and refuses, what the role derivation
 * grants, and whether the sandbox runs it or refuses the machine when it is created. Expected values come
 * from each integration's AWS page (cited in its module), not from the registry: a new module needs its row.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { INTEGRATIONS, integrationOf } from "../../integrations";
import { derivePermissions } from "../../components/taskPermissions";
import { analyzeDefinition } from "../../policy/analysis";
import { parseResource } from "../../policy/analysis/resource";
import { unrunnableTasks } from "../../sandbox/sfn/integrations";
import { ACCOUNT, harness, machineArn, REGION } from "./harness";

type Verdict = "accepted" | RegExp;
interface Row {
  readonly resource: string;
  readonly parameters?: Record<string, unknown>;
  readonly standard: Verdict;
  /** Default: like STANDARD for request-response, refused otherwise (Express is request-response only). */
  readonly express?: Verdict;
  /** [actions, resources] per statement, or the reason the role cannot be derived. */
  readonly grants: readonly [string[], string[]][] | RegExp;
  readonly sandbox: "runs" | "refused";
}

const S = "arn:aws:states:::";
const FN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:check`;
const JOB = `arn:aws:glue:${REGION}:${ACCOUNT}:job/etl`;
const CRAWLER = `arn:aws:glue:${REGION}:${ACCOUNT}:crawler/c`;
const CATALOG = `arn:aws:glue:${REGION}:${ACCOUNT}:catalog`;
const DATABASE = `arn:aws:glue:${REGION}:${ACCOUNT}:database`;
const GLUE_TABLE = `arn:aws:glue:${REGION}:${ACCOUNT}:table`;
const WORKFLOW = `arn:aws:glue:${REGION}:${ACCOUNT}:workflow/wf`;
const TRIGGER = `arn:aws:glue:${REGION}:${ACCOUNT}:trigger/go`;
const CHILD = machineArn("child");
const NO_TABLE = /no permission table/;
const TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:events`;
const QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:work`;
const QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/work`;
const EXPRESS_ONLY_RR = /EXPRESS workflows support only request-response/;

const ROWS: readonly Row[] = [
  // Lambda ("Invoke an AWS Lambda function with Step Functions"; AWS CDK LambdaInvoke grants).
  { resource: FN, standard: "accepted", express: "accepted", grants: [[["lambda:InvokeFunction"], [FN]]], sandbox: "runs" },
  { resource: `${S}lambda:invoke`, parameters: { FunctionName: "check" }, standard: "accepted", express: "accepted", grants: [[["lambda:InvokeFunction"], [FN, `${FN}:*`]]], sandbox: "runs" },
  { resource: `${S}lambda:invoke.waitForTaskToken`, parameters: { FunctionName: FN }, standard: "accepted", grants: [[["lambda:InvokeFunction"], [FN, `${FN}:*`]]], sandbox: "runs" },
  { resource: `${S}lambda:invoke.sync`, parameters: { FunctionName: "check" }, standard: /the optimized lambda integration has no \.sync/, grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}lambda:getFunction`, standard: /lambda:getFunction is not an optimized integration \(the optimized lambda integration has only invoke\)/, express: /not an optimized integration/, grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}aws-sdk:lambda:invoke`, parameters: { FunctionName: "check" }, standard: "accepted", express: "accepted", grants: [[["lambda:InvokeFunction"], [FN, `${FN}:*`]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:lambda:getFunction`, standard: "accepted", express: "accepted", grants: NO_TABLE, sandbox: "refused" },
  // Glue ("Run AWS Glue jobs with Step Functions"; AWS CDK GlueStartJobRun grants).
  { resource: `${S}glue:startJobRun`, parameters: { JobName: "etl" }, standard: "accepted", express: "accepted", grants: [[["glue:StartJobRun"], [JOB]]], sandbox: "runs" },
  {
    resource: `${S}glue:startJobRun.sync`,
    parameters: { JobName: "etl" },
    standard: "accepted",
    grants: [[["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"], [JOB]]],
    sandbox: "runs",
  },
  { resource: `${S}glue:startJobRun.waitForTaskToken`, parameters: { JobName: "etl" }, standard: /the optimized glue integration has no \.waitForTaskToken/, grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}glue:startCrawler`, parameters: { Name: "c" }, standard: /glue:startCrawler is not an optimized integration/, express: /not an optimized integration/, grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}aws-sdk:glue:startJobRun.waitForTaskToken`, parameters: { JobName: "etl" }, standard: "accepted", grants: [[["glue:StartJobRun"], [JOB]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:glue:getJobRun`, parameters: { JobName: "etl", RunId: "jr_1" }, standard: "accepted", express: "accepted", grants: [[["glue:GetJobRun"], [JOB]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:glue:getJobRuns`, parameters: { JobName: "etl" }, standard: "accepted", express: "accepted", grants: [[["glue:GetJobRuns"], [JOB]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:glue:batchStopJobRun`, parameters: { JobName: "etl", JobRunIds: ["jr_1"] }, standard: "accepted", express: "accepted", grants: [[["glue:BatchStopJobRun"], [JOB]]], sandbox: "runs" },
  // StartCrawler, GetCrawler and StopCrawler act on the crawler (Service Authorization Reference, AWS Glue).
  { resource: `${S}aws-sdk:glue:startCrawler`, parameters: { Name: "c" }, standard: "accepted", express: "accepted", grants: [[["glue:StartCrawler"], [CRAWLER]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:glue:getCrawler`, parameters: { Name: "c" }, standard: "accepted", express: "accepted", grants: [[["glue:GetCrawler"], [CRAWLER]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:glue:stopCrawler`, parameters: { Name: "c" }, standard: "accepted", express: "accepted", grants: [[["glue:StopCrawler"], [CRAWLER]]], sandbox: "runs" },
  // Data Catalog reads need the catalog, the database and (table actions) the table (Service Authorization Reference).
  { resource: `${S}aws-sdk:glue:getDatabase`, parameters: { Name: "d" }, standard: "accepted", express: "accepted", grants: [[["glue:GetDatabase"], [CATALOG, `${DATABASE}/d`]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:glue:getTable`, parameters: { DatabaseName: "d", Name: "t" }, standard: "accepted", express: "accepted", grants: [[["glue:GetTable"], [CATALOG, `${DATABASE}/d`, `${GLUE_TABLE}/d/t`]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:glue:getTables`, parameters: { DatabaseName: "d" }, standard: "accepted", express: "accepted", grants: [[["glue:GetTables"], [CATALOG, `${DATABASE}/d`, `${GLUE_TABLE}/d/*`]]], sandbox: "runs" },
  // Other catalog calls keep the module's default statement (on a job), which needs a JobName; the sandbox refuses them.
  { resource: `${S}aws-sdk:glue:getPartitions`, parameters: { DatabaseName: "d", TableName: "t" }, standard: "accepted", express: "accepted", grants: /Parameters has no JobName/, sandbox: "refused" },
  // Workflows and triggers (Service Authorization Reference, AWS Glue: glue:<Action> on the workflow or trigger the Name names).
  { resource: `${S}aws-sdk:glue:startWorkflowRun`, parameters: { Name: "wf" }, standard: "accepted", express: "accepted", grants: [[["glue:StartWorkflowRun"], [WORKFLOW]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:glue:startWorkflowRun.waitForTaskToken`, parameters: { Name: "wf", RunProperties: { "token.$": "$$.Task.Token" } }, standard: "accepted", grants: [[["glue:StartWorkflowRun"], [WORKFLOW]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:glue:getWorkflowRun`, parameters: { Name: "wf", RunId: "wr_1" }, standard: "accepted", express: "accepted", grants: [[["glue:GetWorkflowRun"], [WORKFLOW]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:glue:getWorkflowRunProperties`, parameters: { Name: "wf", RunId: "wr_1" }, standard: "accepted", express: "accepted", grants: [[["glue:GetWorkflowRunProperties"], [WORKFLOW]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:glue:stopWorkflowRun`, parameters: { Name: "wf", RunId: "wr_1" }, standard: "accepted", express: "accepted", grants: [[["glue:StopWorkflowRun"], [WORKFLOW]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:glue:startTrigger`, parameters: { Name: "go" }, standard: "accepted", express: "accepted", grants: [[["glue:StartTrigger"], [TRIGGER]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:glue:getTrigger`, parameters: { Name: "go" }, standard: "accepted", express: "accepted", grants: [[["glue:GetTrigger"], [TRIGGER]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:glue:startJobRun.sync`, parameters: { JobName: "etl" }, standard: /AWS SDK integrations have no \.sync/, grants: NO_TABLE, sandbox: "refused" },
  // Step Functions ("Start a new AWS Step Functions state machine from a running execution"; "IAM policies for AWS Step Functions").
  { resource: `${S}states:startExecution`, parameters: { StateMachineArn: CHILD }, standard: "accepted", express: "accepted", grants: [[["states:StartExecution"], [CHILD]]], sandbox: "runs" },
  {
    resource: `${S}states:startExecution.sync:2`,
    parameters: { StateMachineArn: CHILD },
    standard: "accepted",
    grants: [
      [["states:StartExecution"], [CHILD]],
      [["states:DescribeExecution", "states:StopExecution"], [`arn:aws:states:${REGION}:${ACCOUNT}:execution:child:*`]],
      [["events:PutTargets", "events:PutRule", "events:DescribeRule"], [`arn:aws:events:${REGION}:${ACCOUNT}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`]],
    ],
    sandbox: "runs",
  },
  { resource: `${S}states:startExecution.waitForTaskToken`, parameters: { StateMachineArn: CHILD }, standard: "accepted", grants: [[["states:StartExecution"], [CHILD]]], sandbox: "runs" },
  { resource: `${S}states:describeExecution`, standard: /states:describeExecution is not an optimized integration \(the optimized states integration has only startExecution\)/, express: /not an optimized/, grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}aws-sdk:sfn:startExecution`, parameters: { StateMachineArn: CHILD }, standard: "accepted", express: "accepted", grants: [[["states:StartExecution"], [CHILD]]], sandbox: "runs" },
  {
    resource: `${S}aws-sdk:sfn:describeExecution`,
    parameters: { ExecutionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:child:run-1` },
    standard: "accepted",
    express: "accepted",
    grants: [[["states:DescribeExecution"], [`arn:aws:states:${REGION}:${ACCOUNT}:execution:child:run-1`]]],
    sandbox: "runs",
  },
  { resource: `${S}aws-sdk:sfn:listExecutions`, standard: "accepted", express: "accepted", grants: NO_TABLE, sandbox: "refused" },
  // Optimized integrations the sandbox does not run ("Integrating optimized services with Step Functions").
  { resource: `${S}apigateway:invoke.waitForTaskToken`, standard: "accepted", grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}athena:startQueryExecution.sync`, standard: "accepted", grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}athena:getQueryExecution.sync`, standard: /athena:getQueryExecution has no \.sync \(it exists for startQueryExecution\)/, grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}batch:submitJob.sync`, standard: "accepted", grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}bedrock:invokeModel`, standard: "accepted", express: "accepted", grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}codebuild:startBuild.sync`, standard: "accepted", grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}databrew:startJobRun.sync`, standard: "accepted", grants: NO_TABLE, sandbox: "refused" },
  // DynamoDB ("Perform DynamoDB CRUD operations with Step Functions": getItem, putItem, updateItem, deleteItem,
  // request-response only; its IAM example grants dynamodb:<Action> on the table).
  { resource: `${S}dynamodb:putItem`, parameters: { TableName: "orders" }, standard: "accepted", express: "accepted", grants: [[["dynamodb:PutItem"], [TABLE]]], sandbox: "runs" },
  { resource: `${S}dynamodb:getItem`, parameters: { TableName: "orders" }, standard: "accepted", express: "accepted", grants: [[["dynamodb:GetItem"], [TABLE]]], sandbox: "runs" },
  { resource: `${S}dynamodb:query`, parameters: { TableName: "orders" }, standard: /dynamodb:query is not an optimized integration/, express: /not an optimized integration/, grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}dynamodb:putItem.waitForTaskToken`, standard: /the optimized dynamodb integration has no \.waitForTaskToken/, grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}ecs:runTask.sync`, standard: "accepted", grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}eks:runJob.sync`, standard: "accepted", grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}elasticmapreduce:addStep.sync`, standard: "accepted", grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}emr-containers:startJobRun.sync`, standard: "accepted", grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}emr-serverless:startJobRun.sync`, standard: "accepted", grants: NO_TABLE, sandbox: "refused" },
  // EventBridge ("Add EventBridge events with Step Functions"; "IAM policies for calling Amazon EventBridge": PutEvents on the bus).
  {
    resource: `${S}events:putEvents`,
    parameters: { Entries: [{ Source: "lab.app", DetailType: "x", Detail: {} }] },
    standard: "accepted",
    express: "accepted",
    grants: [[["events:PutEvents"], [`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`]]],
    sandbox: "runs",
  },
  {
    resource: `${S}events:putEvents.waitForTaskToken`,
    parameters: { Entries: [{ Source: "lab.app", DetailType: "x", Detail: { "token.$": "$$.Task.Token" } }] },
    standard: "accepted",
    grants: [[["events:PutEvents"], [`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`]]],
    sandbox: "runs",
  },
  { resource: `${S}events:putEvents.sync`, standard: /the optimized events integration has no \.sync/, grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}http:invoke`, standard: "accepted", express: "accepted", grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}mediaconvert:createJob.sync`, standard: "accepted", grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}sagemaker:createTrainingJob.sync`, standard: "accepted", grants: NO_TABLE, sandbox: "refused" },
  // SNS and SQS ("Publish messages to an Amazon SNS topic" / "Send messages to an Amazon SQS queue with Step
  // Functions": request-response and .waitForTaskToken; IAM examples: sns:Publish on the topic, sqs:SendMessage on the queue).
  { resource: `${S}sns:publish`, parameters: { TopicArn: TOPIC, Message: "m" }, standard: "accepted", express: "accepted", grants: [[["sns:Publish"], [TOPIC]]], sandbox: "runs" },
  { resource: `${S}sns:publish.waitForTaskToken`, parameters: { TopicArn: TOPIC }, standard: "accepted", grants: [[["sns:Publish"], [TOPIC]]], sandbox: "runs" },
  { resource: `${S}sns:publish.sync`, parameters: { TopicArn: TOPIC }, standard: /the optimized sns integration has no \.sync/, grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}sqs:sendMessage.waitForTaskToken`, parameters: { QueueUrl: QUEUE_URL }, standard: "accepted", grants: [[["sqs:SendMessage"], [QUEUE]]], sandbox: "runs" },
  // AWS SDK integrations: request-response and .waitForTaskToken, never .sync. S3's getObject, putObject and
  // listObjectsV2 run (Service Authorization Reference: s3:GetObject/PutObject on the object, s3:ListBucket on the bucket).
  { resource: `${S}aws-sdk:s3:getObject`, parameters: { Bucket: "b", Key: "k" }, standard: "accepted", express: "accepted", grants: [[["s3:GetObject"], ["arn:aws:s3:::b/k"]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:s3:putObject.waitForTaskToken`, parameters: { Bucket: "b", Key: "k" }, standard: "accepted", grants: [[["s3:PutObject"], ["arn:aws:s3:::b/k"]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:s3:listObjectsV2`, parameters: { Bucket: "b" }, standard: "accepted", express: "accepted", grants: [[["s3:ListBucket"], ["arn:aws:s3:::b"]]], sandbox: "runs" },
  { resource: `${S}aws-sdk:s3:deleteObject`, parameters: { Bucket: "b", Key: "k" }, standard: "accepted", express: "accepted", grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}aws-sdk:ec2:describeInstances`, standard: "accepted", express: "accepted", grants: NO_TABLE, sandbox: "refused" },
  { resource: `${S}aws-sdk:s3:getObject.sync`, standard: /AWS SDK integrations have no \.sync/, grants: NO_TABLE, sandbox: "refused" },
];

const definitionOf = (row: Row) => ({ StartAt: "T", States: { T: { Type: "Task", Resource: row.resource, ...(row.parameters ? { Parameters: row.parameters } : {}), End: true } } });

function patternFinding(row: Row, workflowType: "STANDARD" | "EXPRESS"): string | undefined {
  const { findings } = analyzeDefinition(definitionOf(row), { workflowType });
  return findings.find((f) => f.rule === "integration-pattern-supported")?.message;
}

const resolved = <T>(value: pulumi.Input<T>) => new Promise<T>((resolve) => pulumi.output(value).apply((v) => resolve(v as T)));

function expressVerdict(row: Row): Verdict {
  if (row.express) return row.express;
  return parseResource(row.resource).pattern === "request-response" ? row.standard : row.standard === "accepted" ? EXPRESS_ONLY_RR : row.standard;
}

describe("integration registry: every module from one table", function () {
  it("the table covers every module of the registry", function () {
    const covered = new Set(ROWS.map((row) => integrationOf(parseResource(row.resource))?.module.name));
    assert.deepEqual(INTEGRATIONS.map((m) => m.name).filter((name) => !covered.has(name)), [], "modules without a row in the table");
  });

  for (const row of ROWS) {
    describe(row.resource.replace(S, ""), function () {
      it(`STANDARD: ${row.standard === "accepted" ? "accepted" : "refused"}; EXPRESS: ${expressVerdict(row) === "accepted" ? "accepted" : "refused"}`, function () {
        for (const [type, verdict] of [["STANDARD", row.standard], ["EXPRESS", expressVerdict(row)]] as const) {
          const message = patternFinding(row, type);
          if (verdict === "accepted") assert.equal(message, undefined, `${type}: ${message}`);
          else assert.match(message ?? "(accepted)", verdict, type);
        }
      });

      it(row.grants instanceof RegExp ? "the role cannot be derived: the user grants it" : "the role derivation grants exactly what AWS documents", async function () {
        const task = { path: "T", resource: parseResource(row.resource), parameters: row.parameters };
        const derived = derivePermissions([task], { partition: "aws", region: REGION, accountId: ACCOUNT }, () => undefined);
        if (row.grants instanceof RegExp) {
          assert.equal(derived.statements.length, 0);
          assert.match(derived.unsupported[0]?.message ?? "(granted)", row.grants);
          return;
        }
        assert.deepEqual(derived.unsupported.map((e) => e.message), []);
        const statements = await Promise.all(derived.statements.map(async (s) => [[...s.Action], await Promise.all(s.Resource.map((r) => resolved(r)))]));
        assert.deepEqual(statements, row.grants);
      });

      it(row.sandbox === "runs" ? "the sandbox runs it: the machine is created" : "the sandbox refuses the machine when it is created, naming the state, the Resource and what it runs", async function () {
        const h = harness();
        const created = h.create("machine", definitionOf(row));
        if (row.sandbox === "runs") {
          assert.deepEqual(unrunnableTasks(definitionOf(row)), []);
          await created;
          return;
        }
        assert.equal(unrunnableTasks(definitionOf(row)).length, 1);
        await assert.rejects(created, (error: Error) => {
          assert.equal(error.name, "InvalidDefinition");
          assert.ok(error.message.includes(`state "T", Resource ${row.resource}`), error.message);
          assert.match(error.message, /The sandbox runs: Lambda function ARNs, lambda:invoke, .*states:startExecution/);
          return true;
        });
      });
    });
  }
});
