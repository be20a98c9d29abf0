/**
 * The acceptance corpus: definitions in the shapes AWS's documentation and public repositories use (each
 * written here for this corpus; SOURCES.md names the document or repository, path and commit each shape
 * comes from), with the verdict expected and its reason, written before the linter ran on them.
 *
 * A verdict is the list of findings as `level rule state`, sorted; [] is clean.
 */

export interface WildCase {
  /** Also the file name under which `sfn-lab lint` reads it. */
  file: string;
  /** The key of its source in SOURCES.md. */
  source: string;
  text: string;
  /** STANDARD unless said. */
  workflowType?: "STANDARD" | "EXPRESS";
  expected: string[];
  /** Why, with the document that says so. */
  reason: string;
}

const json = (value: object): string => `${JSON.stringify(value, null, 2)}\n`;

export const WILD: readonly WildCase[] = [
  {
    file: "glue-sync-then-validate.asl.json",
    source: "connect-glue",
    text: json({
      StartAt: "Glue StartJobRun",
      States: {
        "Glue StartJobRun": { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", Parameters: { JobName: "orders-etl" }, Next: "ValidateOutput" },
        ValidateOutput: { Type: "Pass", End: true },
      },
    }),
    expected: ['advisory waiting-task-has-timeout Glue StartJobRun'],
    reason: "Run a Job (.sync) waits for the run (connect-glue); without TimeoutSeconds a Task waits up to the execution's limit (ASL: TimeoutSeconds).",
  },
  {
    file: "sam-substituted-job-name.asl.json",
    source: "serverless-patterns-sfn-glue-sam",
    text: json({
      Comment: "ETL",
      StartAt: "Feature engineering",
      States: {
        "Feature engineering": {
          Type: "Task",
          Resource: "arn:aws:states:::glue:startJobRun.sync",
          Parameters: { JobName: "${FeatureJobName}" },
          ResultPath: "$.glue_job_result",
          TimeoutSeconds: 3600,
          End: true,
        },
      },
    }),
    expected: [],
    reason: "A DefinitionSubstitutions placeholder as the job name is a name known at deploy (AWS::Serverless::StateMachine DefinitionSubstitutions); .sync waits.",
  },
  {
    file: "sam-partition-placeholder.asl.yaml",
    source: "sam-definition-substitutions",
    text: [
      "Comment: start a job, remind, notify",
      "StartAt: StartJob",
      "States:",
      "  StartJob:",
      "    Type: Task",
      "    Resource: arn:${AWS::Partition}:states:::glue:startJobRun",
      "    Parameters:",
      "      JobName: ${EtlJobName}",
      "    Next: Remind",
      "  Remind:",
      "    Type: Wait",
      "    Seconds: ${ReminderTimeout}",
      "    Next: Notify",
      "  Notify:",
      "    Type: Task",
      "    Resource: arn:${AWS::Partition}:states:::lambda:invoke",
      "    Parameters:",
      "      FunctionName: ${NotifyFunctionArn}",
      "      Payload.$: $",
      "    End: true",
      "",
    ].join("\n"),
    expected: ["mandatory glue-task-must-wait StartJob"],
    reason: "startJobRun without .sync returns once Glue accepts the run (Request Response, connect-to-resource); the partition placeholder is a partition, the Seconds placeholder a number.",
  },
  {
    file: "terraform-templatefile.asl.json",
    source: "aws-journey-templatefile",
    text: [
      "{",
      '  "StartAt": "Pause",',
      '  "States": {',
      '    "Pause": { "Type": "Wait", "Seconds": ${wait_seconds}, "Next": "Read" },',
      '    "Read": {',
      '      "Type": "Task",',
      '      "Resource": "arn:aws:states:::dynamodb:getItem",',
      '      "Parameters": { "TableName": "${TableName}", "Key": { "pk": { "S.$": "$.id" } } },',
      '      "End": true',
      "    }",
      "  }",
      "}",
      "",
    ].join("\n"),
    expected: [],
    reason: "Terraform's templatefile writes a number in place of the bare ${wait_seconds}; dynamodb:getItem is request-response only, nothing to wait for (connect-ddb).",
  },
  {
    file: "lambda-cluster-poller.asl.json",
    source: "event-driven-wrf-sf",
    text: json({
      StartAt: "Destroy cluster",
      States: {
        "Destroy cluster": { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "destroy", "Payload.$": "$" }, OutputPath: "$.Payload", Next: "Deleting?" },
        "Deleting?": { Type: "Choice", Choices: [{ Variable: "$.status", StringEquals: "DELETE_IN_PROGRESS", Next: "Wait" }], Default: "Failed" },
        Wait: { Type: "Wait", Seconds: 60, Next: "Monitor" },
        Monitor: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "monitor", "Payload.$": "$" }, OutputPath: "$.Payload", Next: "Deleted?" },
        "Deleted?": { Type: "Choice", Choices: [{ Variable: "$.status", StringEquals: "DELETE_IN_PROGRESS", Next: "Wait" }], Default: "Done" },
        Failed: { Type: "Fail", Error: "DeleteFailed" },
        Done: { Type: "Succeed" },
      },
    }),
    expected: [],
    reason: "Only Lambda functions: no job start the rules know, no callback; a valid loop.",
  },
  {
    file: "batch-job-poller.asl.json",
    source: "job-poller-sample",
    text: json({
      StartAt: "Submit Job",
      States: {
        "Submit Job": { Type: "Task", Resource: "arn:aws:states:::batch:submitJob", Parameters: { JobName: "poller", JobQueue: "q", JobDefinition: "d" }, Next: "Wait X Seconds" },
        "Wait X Seconds": { Type: "Wait", Seconds: 30, Next: "Get Job Status" },
        "Get Job Status": { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:get-status", Next: "Job Complete?" },
        "Job Complete?": {
          Type: "Choice",
          Choices: [
            { Variable: "$.status", StringEquals: "FAILED", Next: "Job Failed" },
            { Variable: "$.status", StringEquals: "SUCCEEDED", Next: "Job Succeeded" },
          ],
          Default: "Wait X Seconds",
        },
        "Job Failed": { Type: "Fail", Error: "JobFailed" },
        "Job Succeeded": { Type: "Succeed" },
      },
    }),
    expected: ["advisory polling-loop-reads-the-run Submit Job"],
    reason: "The job poller sample waits with Wait, a Lambda status check and a Choice back (sample-project-job-poller): it waits, and the rule cannot see what the function reads.",
  },
  {
    file: "sdk-crawler-polling.asl.json",
    source: "connect-to-services",
    text: json({
      StartAt: "Start crawler",
      States: {
        "Start crawler": { Type: "Task", Resource: "arn:aws:states:::aws-sdk:glue:startCrawler", Parameters: { Name: "raw-orders" }, Next: "Wait 30s" },
        "Wait 30s": { Type: "Wait", Seconds: 30, Next: "Get crawler" },
        "Get crawler": { Type: "Task", Resource: "arn:aws:states:::aws-sdk:glue:getCrawler", Parameters: { Name: "raw-orders" }, ResultPath: "$.crawler", Next: "Ready?" },
        "Ready?": { Type: "Choice", Choices: [{ Variable: "$.crawler.Crawler.State", StringEquals: "READY", Next: "Done" }], Default: "Wait 30s" },
        Done: { Type: "Succeed" },
      },
    }),
    expected: [],
    reason: "An SDK start followed by a loop reading the same crawler (same literal name) waits; SDK integrations have no .sync (connect-to-services).",
  },
  {
    file: "optimized-crawler-sync.asl.json",
    source: "connect-glue",
    text: json({
      StartAt: "Run crawler",
      States: {
        "Run crawler": { Type: "Task", Resource: "arn:aws:states:::glue:startCrawler.sync", Parameters: { Name: "raw-orders" }, Next: "Run job" },
        "Run job": { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", Parameters: { JobName: "orders-etl" }, TimeoutSeconds: 3600, End: true },
      },
    }),
    expected: ["advisory waiting-task-has-timeout Run crawler", "mandatory integration-pattern-supported Run crawler"],
    reason: "The optimized Glue integration supports StartJobRun only (connect-glue): glue:startCrawler.sync does not exist; the SDK form is the fix.",
  },
  {
    file: "jsonata-wait-timestamp.asl.json",
    source: "behave-asl-jsonata-wait",
    text: json({
      StartAt: "Until",
      States: { Until: { Type: "Wait", QueryLanguage: "JSONata", Timestamp: "{% $states.input.Timestamp %}", Next: "Done" }, Done: { Type: "Succeed" } },
    }),
    expected: [],
    reason: "A JSONata Wait takes its Timestamp from an expression (Wait state, JSONata).",
  },
  {
    file: "jsonata-arguments-expression.asl.json",
    source: "jsonata-docs",
    text: json({
      QueryLanguage: "JSONata",
      StartAt: "Invoke",
      States: {
        Invoke: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Arguments: "{% {'FunctionName': 'summarise', 'Payload': {'items': $states.input.Items, 'count': $count($states.input.Items)}} %}",
          Output: { summary: "{%\n  $states.result.Payload\n%}", note: "literal text", empty: "" },
          End: true,
        },
      },
    }),
    expected: [],
    reason: "Arguments may be one expression; strings outside {% %} are literals; expressions may span lines (Transforming data with JSONata).",
  },
  {
    file: "jsonata-syntax-error.asl.json",
    source: "jsonata-docs",
    text: json({
      QueryLanguage: "JSONata",
      StartAt: "Shape",
      States: { Shape: { Type: "Pass", Output: { total: "{% $sum($states.input.Items.price %}" }, End: true } },
    }),
    expected: ["mandatory definition-is-valid Shape"],
    reason: "A missing parenthesis is a JSONata syntax error; Step Functions refuses the definition.",
  },
  {
    file: "distributed-map-express.asl.json",
    source: "distributed-map",
    text: json({
      StartAt: "Process files",
      States: {
        "Process files": {
          Type: "Map",
          ItemReader: { Resource: "arn:aws:states:::s3:listObjectsV2", Parameters: { Bucket: "raw", Prefix: "in/" } },
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
            StartAt: "Run job",
            States: { "Run job": { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", Parameters: { JobName: "per-file", "Arguments": { "--key.$": "$.Key" } }, TimeoutSeconds: 600, End: true } },
          },
          End: true,
        },
      },
    }),
    expected: ["mandatory integration-pattern-supported Process files > ItemProcessor > Run job"],
    reason: "ExecutionType EXPRESS runs the children as Express workflows, which support request-response only (Distributed Map; Standard vs. Express).",
  },
  {
    file: "sqs-callback.asl.json",
    source: "callback-sample",
    text: json({
      StartAt: "Ask for approval",
      States: {
        "Ask for approval": {
          Type: "Task",
          Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
          Parameters: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/approvals", MessageBody: { "Message": "approve?", "TaskToken.$": "$$.Task.Token" } },
          End: true,
        },
      },
    }),
    expected: ["advisory waiting-task-has-timeout Ask for approval"],
    reason: "The callback passes its token in MessageBody (callback sample); without TimeoutSeconds and HeartbeatSeconds it may wait a year.",
  },
  {
    file: "two-starts-one-polled.asl.json",
    source: "job-poller-sample",
    text: json({
      StartAt: "Start backfill",
      States: {
        "Start backfill": { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun", Parameters: { JobName: "backfill" }, ResultPath: null, Next: "Start daily" },
        "Start daily": { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun", Parameters: { JobName: "daily" }, ResultPath: "$.daily", Next: "Wait" },
        Wait: { Type: "Wait", Seconds: 60, Next: "Get daily run" },
        "Get daily run": { Type: "Task", Resource: "arn:aws:states:::aws-sdk:glue:getJobRun", Parameters: { JobName: "daily", "RunId.$": "$.daily.JobRunId" }, ResultPath: "$.run", Next: "Finished?" },
        "Finished?": { Type: "Choice", Choices: [{ Variable: "$.run.JobRun.JobRunState", StringEquals: "RUNNING", Next: "Wait" }], Default: "Done" },
        Done: { Type: "Succeed" },
      },
    }),
    expected: ["mandatory glue-task-must-wait Start backfill"],
    reason: "The loop reads the daily run (its run id from the start's ResultPath); nothing reads the backfill run, whose result is discarded.",
  },
];
