/**
 * The rule corpus: ASL definitions, each with the findings every rule must produce (as state paths;
 * "" is the definition as a whole). A rule not listed in `expect` must find nothing.
 */
import { RuleId, WorkflowType } from "../../policy/analysis";

export interface CorpusCase {
  name: string;
  definition: object | string;
  workflowType?: WorkflowType;
  /** State paths each rule flags, one entry per finding. */
  expect: Partial<Record<RuleId, string[]>>;
  /** Text each finding of a rule must contain (the fix it proposes, the partition it keeps...). */
  messages?: Partial<Record<RuleId, string[]>>;
}

type State = Record<string, unknown>;

/** A machine whose first state is StartAt. */
function machine(states: Record<string, State>, extra: State = {}): State {
  return { StartAt: Object.keys(states)[0], States: states, ...extra };
}

function task(resource: string, extra: State = {}): State {
  return { Type: "Task", Resource: resource, ...(extra.Next === undefined ? { End: true } : {}), ...extra };
}

/** The state, going on to `target` instead of ending. */
function then(state: State, target: string): State {
  const { End, ...rest } = state;
  void End;
  return { ...rest, Next: target };
}

const TIMEOUTS = { TimeoutSeconds: 3600, HeartbeatSeconds: 300 };
const GLUE_JOB = { JobName: "orders-etl" };
const done: State = { Type: "Succeed" };
const failed: State = { Type: "Fail", Error: "JobFailed" };

/** Start → Wait → status read → Choice (back to Wait while running). */
function pollingLoop(start: State, statusRead: string, runningField = "$.status.JobRun.JobRunState"): Record<string, State> {
  return {
    Start: then(start, "Wait 30s"),
    "Wait 30s": { Type: "Wait", Seconds: 30, Next: "Get status" },
    "Get status": task(statusRead, { Parameters: { "JobName.$": "$.JobName", "RunId.$": "$.JobRunId" }, ResultPath: "$.status", Next: "Done yet?" }),
    "Done yet?": {
      Type: "Choice",
      Choices: [
        { Variable: runningField, StringEquals: "RUNNING", Next: "Wait 30s" },
        { Variable: runningField, StringEquals: "FAILED", Next: "Failed" },
      ],
      Default: "Done",
    },
    Failed: failed,
    Done: done,
  };
}

const glueStart = (resource = "arn:aws:states:::glue:startJobRun"): State => task(resource, { Parameters: GLUE_JOB });

/** The lab's three machines, as the program builds them (ARNs stand for the program's outputs). */
const CHECK_FILE = "arn:aws:lambda:us-east-1:123456789012:function:etl-lab-check-file";
const VALIDATE = "arn:aws:lambda:us-east-1:123456789012:function:etl-lab-validate-output";
const labTail: Record<string, State> = {
  Validate: task("arn:aws:states:::lambda:invoke", {
    Parameters: { FunctionName: VALIDATE, Payload: { "jobRunId.$": "$.etl.JobRunId" } },
    TimeoutSeconds: 60,
    Next: "Done",
  }),
  Done: done,
};

export const LAB_MACHINES: Record<"request-response" | "run-job" | "wait-for-callback", object> = {
  "request-response": machine({
    CheckFile: task("arn:aws:states:::lambda:invoke", { Parameters: { FunctionName: CHECK_FILE, Payload: { "executionId.$": "$$.Execution.Id" } }, Next: "StartEtl" }),
    StartEtl: task("arn:aws:states:::glue:startJobRun", { Parameters: GLUE_JOB, ResultPath: "$.etl", Next: "Validate" }),
    ...labTail,
  }),
  "run-job": machine({
    CheckFile: task("arn:aws:states:::lambda:invoke", { Parameters: { FunctionName: CHECK_FILE, Payload: { "executionId.$": "$$.Execution.Id" } }, Next: "StartEtl" }),
    StartEtl: task("arn:aws:states:::glue:startJobRun.sync", { Parameters: GLUE_JOB, ResultPath: "$.etl", TimeoutSeconds: 1200, Next: "Validate" }),
    ...labTail,
  }),
  "wait-for-callback": machine({
    WaitForOperator: task("arn:aws:states:::lambda:invoke.waitForTaskToken", {
      Parameters: { FunctionName: CHECK_FILE, Payload: { "taskToken.$": "$$.Task.Token", "executionId.$": "$$.Execution.Id" } },
      ResultPath: "$.etl",
      TimeoutSeconds: 86400,
      HeartbeatSeconds: 3600,
      Next: "Validate",
    }),
    ...labTail,
  }),
};

/** A Pass state whose Result makes the definition larger than 1 MB. */
function oversized(): object {
  return machine({ Big: { Type: "Pass", Result: { blob: "x".repeat(1_048_600) }, End: true } });
}

const callback = (resource: string, parameters: unknown, extra: State = {}): State =>
  task(resource, { Parameters: parameters, ...TIMEOUTS, ...extra });

const jsonataCallback = (args: unknown, extra: State = {}): State =>
  task("arn:aws:states:::lambda:invoke.waitForTaskToken", { Arguments: args, ...TIMEOUTS, ...extra });

export const CORPUS: CorpusCase[] = [
  // --- Glue: optimized integration ---
  {
    name: "optimized glue:startJobRun request-response does not wait",
    definition: machine({ StartEtl: glueStart() }),
    expect: { "glue-task-must-wait": ["StartEtl"] },
    messages: { "glue-task-must-wait": ["change `arn:aws:states:::glue:startJobRun` to `arn:aws:states:::glue:startJobRun.sync`"] },
  },
  {
    name: "optimized glue .sync without a timeout should set one",
    definition: machine({ StartEtl: glueStart("arn:aws:states:::glue:startJobRun.sync") }, {}),
    expect: { "waiting-task-has-timeout": ["StartEtl"] },
  },
  {
    name: "optimized glue .sync with TimeoutSeconds is clean",
    definition: machine({ StartEtl: task("arn:aws:states:::glue:startJobRun.sync", { Parameters: GLUE_JOB, TimeoutSeconds: 1200 }) }),
    expect: {},
  },
  {
    name: "optimized glue .sync with TimeoutSecondsPath is clean",
    definition: machine({ StartEtl: task("arn:aws:states:::glue:startJobRun.sync", { Parameters: GLUE_JOB, TimeoutSecondsPath: "$.timeout" }) }),
    expect: {},
  },
  {
    name: "optimized glue has no .waitForTaskToken",
    definition: machine({ StartEtl: callback("arn:aws:states:::glue:startJobRun.waitForTaskToken", { JobName: "j", Arguments: { "--token.$": "$$.Task.Token" } }) }),
    expect: { "integration-pattern-supported": ["StartEtl"] },
    messages: { "integration-pattern-supported": ["`arn:aws:states:::glue:startJobRun.sync`", "aws-sdk:glue:startJobRun.waitForTaskToken"] },
  },
  {
    name: "optimized glue has no .sync:2",
    definition: machine({ StartEtl: task("arn:aws:states:::glue:startJobRun.sync:2", { Parameters: GLUE_JOB, TimeoutSeconds: 60 }) }),
    expect: { "integration-pattern-supported": ["StartEtl"] },
  },
  // --- Partitions ---
  {
    name: "aws-cn: request-response Glue is flagged and the fix keeps the partition",
    definition: machine({ StartEtl: glueStart("arn:aws-cn:states:::glue:startJobRun") }),
    expect: { "glue-task-must-wait": ["StartEtl"] },
    messages: { "glue-task-must-wait": ["`arn:aws-cn:states:::glue:startJobRun.sync`"] },
  },
  {
    name: "aws-us-gov: request-response Glue is flagged and the fix keeps the partition",
    definition: machine({ StartEtl: glueStart("arn:aws-us-gov:states:::glue:startJobRun") }),
    expect: { "glue-task-must-wait": ["StartEtl"] },
    messages: { "glue-task-must-wait": ["`arn:aws-us-gov:states:::glue:startJobRun.sync`"] },
  },
  {
    name: "aws-us-gov: .sync Glue with a timeout is clean",
    definition: machine({ StartEtl: task("arn:aws-us-gov:states:::glue:startJobRun.sync", { Parameters: GLUE_JOB, TimeoutSeconds: 900 }) }),
    expect: {},
  },
  {
    name: "aws-cn: SDK crawler start is flagged with an aws-cn fix",
    definition: machine({ Crawl: task("arn:aws-cn:states:::aws-sdk:glue:startCrawler", { Parameters: { Name: "c" } }) }),
    expect: { "glue-task-must-wait": ["Crawl"] },
    messages: { "glue-task-must-wait": ["arn:aws-cn:states:::aws-sdk:glue:getCrawler"] },
  },
  // --- Glue: SDK integration, crawlers and workflows ---
  {
    name: "SDK glue:startJobRun request-response does not wait",
    definition: machine({ StartEtl: glueStart("arn:aws:states:::aws-sdk:glue:startJobRun") }),
    expect: { "glue-task-must-wait": ["StartEtl"] },
    messages: { "glue-task-must-wait": ["arn:aws:states:::glue:startJobRun.sync", "arn:aws:states:::aws-sdk:glue:startJobRun.waitForTaskToken"] },
  },
  {
    name: "SDK integrations have no .sync",
    definition: machine({ StartEtl: task("arn:aws:states:::aws-sdk:glue:startJobRun.sync", { Parameters: GLUE_JOB, TimeoutSeconds: 600 }) }),
    expect: { "integration-pattern-supported": ["StartEtl"] },
    messages: { "integration-pattern-supported": ["AWS SDK integrations have no .sync", "use the optimized `arn:aws:states:::glue:startJobRun.sync`"] },
  },
  {
    name: "SDK glue:startJobRun.waitForTaskToken passing the token in job arguments is clean",
    definition: machine({
      StartEtl: callback("arn:aws:states:::aws-sdk:glue:startJobRun.waitForTaskToken", { JobName: "j", Arguments: { "--task-token.$": "$$.Task.Token" } }),
    }),
    expect: {},
  },
  {
    name: "SDK glue:startJobRun.waitForTaskToken without the token hangs",
    definition: machine({ StartEtl: callback("arn:aws:states:::aws-sdk:glue:startJobRun.waitForTaskToken", { JobName: "j" }) }),
    expect: { "callback-must-pass-token": ["StartEtl"] },
    messages: { "callback-must-pass-token": ['as a job argument such as "--task-token.$"'] },
  },
  {
    name: "SDK glue:startCrawler request-response does not wait",
    definition: machine({ Crawl: task("arn:aws:states:::aws-sdk:glue:startCrawler", { Parameters: { Name: "raw-orders" } }) }),
    expect: { "glue-task-must-wait": ["Crawl"] },
    // StartCrawler's request has only Name (Glue API): no field could carry a task token, so the fix is a
    // polling loop, never .waitForTaskToken (this expectation used to ask for startCrawler.waitForTaskToken).
    messages: { "glue-task-must-wait": ["arn:aws:states:::aws-sdk:glue:getCrawler", "cannot work"] },
  },
  {
    name: "SDK glue:startCrawler followed by a polling loop waits",
    definition: machine(pollingLoop(task("arn:aws:states:::aws-sdk:glue:startCrawler", { Parameters: { Name: "c" } }), "arn:aws:states:::aws-sdk:glue:getCrawler", "$.status.Crawler.State")),
    expect: {},
  },
  {
    name: "SDK glue:startCrawler with a look-alike loop that never branches back",
    definition: machine({
      Start: task("arn:aws:states:::aws-sdk:glue:startCrawler", { Parameters: { Name: "c" }, Next: "Wait" }),
      Wait: { Type: "Wait", Seconds: 60, Next: "Get" },
      Get: task("arn:aws:states:::aws-sdk:glue:getCrawler", { Parameters: { Name: "c" }, Next: "Ready?" }),
      "Ready?": { Type: "Choice", Choices: [{ Variable: "$.Crawler.State", StringEquals: "READY", Next: "Done" }], Default: "Failed" },
      Failed: failed,
      Done: done,
    }),
    expect: { "glue-task-must-wait": ["Start"] },
  },
  {
    name: "SDK glue:startWorkflowRun request-response does not wait",
    definition: machine({ Run: task("arn:aws:states:::aws-sdk:glue:startWorkflowRun", { Parameters: { Name: "nightly" } }) }),
    expect: { "glue-task-must-wait": ["Run"] },
    messages: { "glue-task-must-wait": ["aws-sdk:glue:getWorkflowRun"] },
  },
  {
    name: "SDK glue:startWorkflowRun with a getWorkflowRun polling loop waits",
    definition: machine(pollingLoop(task("arn:aws:states:::aws-sdk:glue:startWorkflowRun", { Parameters: { Name: "n" } }), "arn:aws:states:::aws-sdk:glue:getWorkflowRun", "$.status.Run.Status")),
    expect: {},
  },
  {
    name: "SDK glue:startCrawlerSchedule and startColumnStatisticsTaskRunSchedule start no work to wait for",
    definition: machine({
      Schedule: task("arn:aws:states:::aws-sdk:glue:startCrawlerSchedule", { Parameters: { CrawlerName: "c" }, Next: "Stats" }),
      Stats: task("arn:aws:states:::aws-sdk:glue:startColumnStatisticsTaskRunSchedule", { Parameters: { DatabaseName: "d", TableName: "t" } }),
    }),
    expect: {},
  },
  {
    // StartTrigger on an on-demand trigger starts the trigger's jobs (Glue API: StartTrigger); its request
    // takes only Name, so the fixes are the jobs' own .sync starts or a polling loop.
    name: "SDK glue:startTrigger starts jobs and must wait like the other starts",
    definition: machine({ Trigger: task("arn:aws:states:::aws-sdk:glue:startTrigger", { Parameters: { Name: "t" } }) }),
    expect: { "glue-task-must-wait": ["Trigger"] },
    messages: { "glue-task-must-wait": ["arn:aws:states:::glue:startJobRun.sync", "aws-sdk:glue:getJobRuns", "cannot work"] },
  },
  {
    // "Run AWS Glue jobs with Step Functions": the optimized Glue integration has StartJobRun only.
    name: "optimized glue:startCrawler does not exist: the fix is the SDK form",
    definition: machine({ Crawl: task("arn:aws:states:::glue:startCrawler", { Parameters: { Name: "c" } }) }),
    expect: { "integration-pattern-supported": ["Crawl"] },
    messages: { "integration-pattern-supported": ["is not an optimized integration", "`arn:aws:states:::aws-sdk:glue:startCrawler`", "aws-sdk:glue:getCrawler"] },
  },
  {
    name: "optimized glue:startCrawler.sync does not exist either: one finding, the SDK form as the fix",
    definition: machine({ Crawl: task("arn:aws-cn:states:::glue:startCrawler.sync", { Parameters: { Name: "c" }, TimeoutSeconds: 600 }) }),
    expect: { "integration-pattern-supported": ["Crawl"] },
    messages: { "integration-pattern-supported": ["`arn:aws-cn:states:::aws-sdk:glue:startCrawler`"] },
  },
  {
    // "Using Map state in Distributed mode": ExecutionType EXPRESS runs the children as Express workflows,
    // which support request-response only ("Standard vs. Express Workflows").
    name: "Distributed Map with EXPRESS children: .sync inside is refused, a plain start gets the Express fix",
    definition: machine({
      "Each file": {
        Type: "Map",
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
          StartAt: "Run",
          States: { Run: task("arn:aws:states:::glue:startJobRun.sync", { Parameters: GLUE_JOB, TimeoutSeconds: 600, Next: "Fire" }), Fire: glueStart() },
        },
        End: true,
      },
    }),
    expect: { "integration-pattern-supported": ["Each file > ItemProcessor > Run"], "glue-task-must-wait": ["Each file > ItemProcessor > Fire"] },
    messages: { "integration-pattern-supported": ['Distributed Map "Each file"'], "glue-task-must-wait": ['ExecutionType of Distributed Map "Each file"'] },
  },
  {
    name: "Distributed Map with STANDARD children may wait with .sync",
    definition: machine({
      "Each file": {
        Type: "Map",
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Run",
          States: { Run: task("arn:aws:states:::glue:startJobRun.sync", { Parameters: GLUE_JOB, TimeoutSeconds: 600 }) },
        },
        End: true,
      },
    }),
    expect: {},
  },
  {
    name: "SDK glue status reads are not starts",
    definition: machine({ Get: task("arn:aws:states:::aws-sdk:glue:getJobRun", { Parameters: { JobName: "j", RunId: "r" } }) }),
    expect: {},
  },
  // --- Polling loops ---
  {
    name: "optimized glue start followed by a getJobRun polling loop waits",
    definition: machine(pollingLoop(glueStart(), "arn:aws:states:::aws-sdk:glue:getJobRun")),
    expect: {},
  },
  {
    name: "polling loop that reads the status first, then waits and loops back",
    definition: machine({
      Start: then(glueStart(), "Get status"),
      "Get status": task("arn:aws:states:::aws-sdk:glue:getJobRun", { Parameters: { JobName: "j", "RunId.$": "$.JobRunId" }, Next: "Finished?" }),
      "Finished?": { Type: "Choice", Choices: [{ Variable: "$.JobRun.JobRunState", StringEquals: "SUCCEEDED", Next: "Done" }], Default: "Wait" },
      Wait: { Type: "Wait", Seconds: 60, Next: "Get status" },
      Done: done,
    }),
    expect: {},
  },
  {
    name: "look-alike: a loop with no Wait is not a polling loop",
    definition: machine({
      Start: then(glueStart(), "Get"),
      Get: task("arn:aws:states:::aws-sdk:glue:getJobRun", { Parameters: { JobName: "j", RunId: "r" }, Next: "Check" }),
      Check: { Type: "Choice", Choices: [{ Variable: "$.JobRun.JobRunState", StringEquals: "RUNNING", Next: "Get" }], Default: "Done" },
      Done: done,
    }),
    expect: { "glue-task-must-wait": ["Start"] },
  },
  {
    // AWS's job-poller sample waits with Wait -> Lambda status check -> Choice back: it waits (this case used
    // to expect glue-task-must-wait). The rule cannot see what the function reads, so it says so, as advisory.
    name: "Wait, Lambda status read, Choice back (the job-poller sample's shape) waits, with an advisory",
    definition: machine(pollingLoop(glueStart(), "arn:aws:lambda:us-east-1:123456789012:function:check-status")),
    expect: { "polling-loop-reads-the-run": ["Start"] },
    messages: { "polling-loop-reads-the-run": ['"Get status"', "cannot see what the function reads", "aws-sdk:glue:getJobRun"] },
  },
  {
    name: "look-alike: the loop reads another service's status",
    definition: machine(pollingLoop(glueStart(), "arn:aws:states:::aws-sdk:batch:describeJobs")),
    expect: { "glue-task-must-wait": ["Start"] },
  },
  {
    name: "look-alike: the loop reads another Glue resource (getTable after startJobRun)",
    definition: machine(pollingLoop(glueStart(), "arn:aws:states:::aws-sdk:glue:getTable")),
    expect: { "glue-task-must-wait": ["Start"] },
  },
  {
    name: "look-alike: the loop reads a different run (the start's result is discarded, ResultPath null)",
    definition: machine(pollingLoop({ ...glueStart(), ResultPath: null }, "arn:aws:states:::aws-sdk:glue:getJobRun")),
    expect: { "glue-task-must-wait": ["Start"] },
  },
  {
    name: "a loop reading the run id from the start's ResultPath waits",
    definition: machine({
      ...pollingLoop({ ...glueStart(), ResultPath: "$.run" }, "arn:aws:states:::aws-sdk:glue:getJobRun"),
      "Get status": task("arn:aws:states:::aws-sdk:glue:getJobRun", { Parameters: { JobName: "orders-etl", "RunId.$": "$.run.JobRunId" }, ResultPath: "$.status", Next: "Done yet?" }),
    }),
    expect: {},
  },
  {
    name: "look-alike: the loop reads another path than the start's ResultPath, and another job",
    definition: machine({
      ...pollingLoop({ ...glueStart(), ResultPath: "$.run" }, "arn:aws:states:::aws-sdk:glue:getJobRun"),
      "Get status": task("arn:aws:states:::aws-sdk:glue:getJobRun", { Parameters: { JobName: "another-job", "RunId.$": "$.previous.JobRunId" }, ResultPath: "$.status", Next: "Done yet?" }),
    }),
    expect: { "glue-task-must-wait": ["Start"] },
  },
  {
    name: "look-alike: the poll branch starts the job again",
    definition: machine({
      Start: then(glueStart(), "Wait 30s"),
      "Wait 30s": { Type: "Wait", Seconds: 30, Next: "Get status" },
      "Get status": task("arn:aws:states:::aws-sdk:glue:getJobRun", { Parameters: { JobName: "orders-etl", "RunId.$": "$.JobRunId" }, ResultPath: "$.status", Next: "Done yet?" }),
      "Done yet?": { Type: "Choice", Choices: [{ Variable: "$.status.JobRun.JobRunState", StringEquals: "RUNNING", Next: "Start" }], Default: "Done" },
      Done: done,
    }),
    expect: { "glue-task-must-wait": ["Start"] },
  },
  {
    name: "two starts, one polled: one finding",
    definition: machine({
      Other: then(task("arn:aws:states:::glue:startJobRun", { Parameters: { JobName: "other-job" }, ResultPath: null }), "Start"),
      ...pollingLoop(glueStart(), "arn:aws:states:::aws-sdk:glue:getJobRun"),
    }),
    expect: { "glue-task-must-wait": ["Other"] },
  },
  {
    name: "JSONata: a loop reading the run id the start assigned to a variable waits",
    definition: machine(
      {
        Start: { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun", Arguments: { JobName: "orders-etl" }, Assign: { runId: "{% $states.result.JobRunId %}" }, Next: "Wait" },
        Wait: { Type: "Wait", Seconds: 30, Next: "Get" },
        Get: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:glue:getJobRun", Arguments: { JobName: "orders-etl", RunId: "{% $runId %}" }, Next: "Done?" },
        "Done?": { Type: "Choice", Choices: [{ Condition: "{% $states.input.JobRun.JobRunState = 'RUNNING' %}", Next: "Wait" }], Default: "Done" },
        Done: done,
      },
      { QueryLanguage: "JSONata" },
    ),
    expect: {},
  },
  {
    name: "look-alike: a Catch leads back to the Wait, the Choice never does",
    definition: machine({
      Start: then(glueStart(), "Wait"),
      Wait: { Type: "Wait", Seconds: 30, Next: "Get" },
      Get: task("arn:aws:states:::aws-sdk:glue:getJobRun", {
        Parameters: { JobName: "j", RunId: "r" },
        Catch: [{ ErrorEquals: ["Glue.ThrottlingException"], Next: "Wait" }],
        Next: "Check",
      }),
      Check: { Type: "Choice", Choices: [{ Variable: "$.JobRun.JobRunState", StringEquals: "SUCCEEDED", Next: "Done" }], Default: "Failed" },
      Failed: failed,
      Done: done,
    }),
    expect: { "glue-task-must-wait": ["Start"] },
  },
  {
    name: "look-alike: the polling loop runs before the start, not after it",
    definition: {
      StartAt: "Wait",
      States: {
        Wait: { Type: "Wait", Seconds: 30, Next: "Get" },
        Get: task("arn:aws:states:::aws-sdk:glue:getJobRun", { Parameters: { JobName: "j", RunId: "r" }, Next: "Check" }),
        Check: { Type: "Choice", Choices: [{ Variable: "$.JobRun.JobRunState", StringEquals: "RUNNING", Next: "Wait" }], Default: "Start" },
        Start: then(glueStart(), "Done"),
        Done: done,
      },
    },
    expect: { "glue-task-must-wait": ["Start"] },
  },
  // --- Nesting ---
  {
    name: "Map in Parallel in Map: a request-response Glue start deep inside is found with its path",
    definition: machine({
      Outer: {
        Type: "Map",
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "Fan out",
          States: {
            "Fan out": {
              Type: "Parallel",
              Branches: [
                { StartAt: "Noop", States: { Noop: { Type: "Pass", End: true } } },
                {
                  StartAt: "Inner",
                  States: {
                    Inner: {
                      Type: "Map",
                      ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "StartEtl", States: { StartEtl: glueStart() } },
                      End: true,
                    },
                  },
                },
              ],
              End: true,
            },
          },
        },
        End: true,
      },
    }),
    expect: { "glue-task-must-wait": ["Outer > ItemProcessor > Fan out > Branch 2 > Inner > ItemProcessor > StartEtl"] },
  },
  {
    name: "legacy Map Iterator is walked",
    definition: machine({ Each: { Type: "Map", Iterator: { StartAt: "StartEtl", States: { StartEtl: glueStart() } }, End: true } }),
    expect: { "glue-task-must-wait": ["Each > Iterator > StartEtl"] },
  },
  {
    name: "Parallel branches: .sync in one branch, a hanging callback in the other",
    definition: machine({
      "Fan out": {
        Type: "Parallel",
        Branches: [
          { StartAt: "Etl", States: { Etl: task("arn:aws:states:::glue:startJobRun.sync", { Parameters: GLUE_JOB, TimeoutSeconds: 600 }) } },
          { StartAt: "Ask", States: { Ask: callback("arn:aws:states:::sqs:sendMessage.waitForTaskToken", { QueueUrl: "q", MessageBody: { "id.$": "$$.Execution.Id" } }) } },
        ],
        End: true,
      },
    }),
    expect: { "callback-must-pass-token": ["Fan out > Branch 2 > Ask"] },
    messages: { "callback-must-pass-token": ["inside MessageBody"] },
  },
  {
    name: "polling loop inside a Map iteration waits",
    definition: machine({
      Each: { Type: "Map", ItemProcessor: { StartAt: "Start", States: pollingLoop(glueStart(), "arn:aws:states:::aws-sdk:glue:getJobRun") }, End: true },
    }),
    expect: {},
  },
  {
    name: "a Parallel branch cannot transition outside itself",
    definition: machine({
      "Fan out": { Type: "Parallel", Branches: [{ StartAt: "A", States: { A: { Type: "Pass", Next: "After" } } }], Next: "After" },
      After: done,
    }),
    // The branch also never ends: its only state goes on to "After".
    expect: { "definition-is-valid": ["Fan out > Branch 1 > A", "Fan out"] },
  },
  // --- JSONata ---
  {
    name: "JSONata machine: request-response Glue does not wait",
    definition: machine({ StartEtl: task("arn:aws:states:::glue:startJobRun", { Arguments: { JobName: "j" } }) }, { QueryLanguage: "JSONata" }),
    expect: { "glue-task-must-wait": ["StartEtl"] },
  },
  {
    name: "JSONata callback passing $states.context.Task.Token is clean",
    definition: machine(
      { Ask: jsonataCallback({ FunctionName: "f", Payload: { token: "{% $states.context.Task.Token %}" } }) },
      { QueryLanguage: "JSONata" },
    ),
    expect: {},
  },
  {
    name: "JSONata callback without the token",
    definition: machine({ Ask: jsonataCallback({ FunctionName: "f", Payload: { id: "{% $states.context.Execution.Id %}" } }) }, { QueryLanguage: "JSONata" }),
    expect: { "callback-must-pass-token": ["Ask"] },
    messages: { "callback-must-pass-token": ["{% $states.context.Task.Token %}", "Arguments"] },
  },
  {
    name: "JSONata callback with the token as plain text (no {% %})",
    definition: machine({ Ask: jsonataCallback({ FunctionName: "f", Payload: { token: "$states.context.Task.Token" } }) }, { QueryLanguage: "JSONata" }),
    expect: { "callback-must-pass-token": ["Ask"] },
    messages: { "callback-must-pass-token": ['"Payload.token" holds the token reference as plain text'] },
  },
  {
    name: "JSONata callback passing the whole context object",
    definition: machine({ Ask: jsonataCallback({ FunctionName: "f", Payload: "{% $states.context %}" }) }, { QueryLanguage: "JSONata" }),
    expect: {},
  },
  {
    name: "JSONata callback passing the whole Task object",
    definition: machine({ Ask: jsonataCallback({ FunctionName: "f", Payload: { task: "{% $states.context.Task %}" } }) }, { QueryLanguage: "JSONata" }),
    expect: {},
  },
  {
    name: "JSONata Arguments as one expression holding the token",
    definition: machine(
      { Ask: jsonataCallback('{% {"FunctionName": "f", "Payload": {"token": $states.context.Task.Token}} %}') },
      { QueryLanguage: "JSONata" },
    ),
    expect: {},
  },
  {
    name: "JSONata string literal mentioning the token does not pass it",
    definition: machine(
      { Ask: jsonataCallback({ FunctionName: "f", Payload: { note: "{% 'use $states.context.Task.Token' %}" } }) },
      { QueryLanguage: "JSONata" },
    ),
    expect: { "callback-must-pass-token": ["Ask"] },
  },
  {
    name: "per-state JSONata in a JSONPath machine: Arguments carry the token",
    definition: machine({
      Ask: jsonataCallback({ FunctionName: "f", Payload: { token: "{% $states.context.Task.Token %}" } }, { QueryLanguage: "JSONata" }),
    }),
    expect: {},
  },
  {
    name: "per-state JSONata: a token in Parameters does not count (JSONata states send Arguments)",
    definition: machine({
      Ask: task("arn:aws:states:::lambda:invoke.waitForTaskToken", {
        QueryLanguage: "JSONata",
        Parameters: { FunctionName: "f", Payload: { "token.$": "$$.Task.Token" } },
        ...TIMEOUTS,
      }),
    }),
    expect: { "callback-must-pass-token": ["Ask"], "definition-is-valid": ["Ask"] },
  },
  // --- Token forms (JSONPath) ---
  {
    name: "token nested deep in the payload",
    definition: machine({
      Ask: callback("arn:aws:states:::lambda:invoke.waitForTaskToken", { FunctionName: "f", Payload: { meta: { callback: { "token.$": "$$.Task.Token" } } } }),
    }),
    expect: {},
  },
  {
    name: "token inside an array element (EventBridge entries)",
    definition: machine({
      Notify: callback("arn:aws:states:::events:putEvents.waitForTaskToken", {
        Entries: [{ Source: "etl", DetailType: "approval", Detail: { "token.$": "$$.Task.Token" } }],
      }),
    }),
    expect: {},
  },
  {
    name: "token inside States.Format",
    definition: machine({
      Notify: callback("arn:aws:states:::sns:publish.waitForTaskToken", { TopicArn: "t", "Message.$": "States.Format('Approve with {}', $$.Task.Token)" }),
    }),
    expect: {},
  },
  {
    name: "whole Task object via States.JsonToString($$.Task)",
    definition: machine({ Notify: callback("arn:aws:states:::sqs:sendMessage.waitForTaskToken", { QueueUrl: "q", "MessageBody.$": "States.JsonToString($$.Task)" }) }),
    expect: {},
  },
  {
    name: "whole context object $$",
    definition: machine({ Ask: callback("arn:aws:states:::lambda:invoke.waitForTaskToken", { FunctionName: "f", "Payload.$": "$$" }) }),
    expect: {},
  },
  {
    name: "whole Task object $$.Task",
    definition: machine({ Ask: callback("arn:aws:states:::lambda:invoke.waitForTaskToken", { FunctionName: "f", Payload: { "task.$": "$$.Task" } }) }),
    expect: {},
  },
  {
    name: "bracket notation $$['Task']['Token']",
    definition: machine({ Ask: callback("arn:aws:states:::lambda:invoke.waitForTaskToken", { FunctionName: "f", Payload: { "t.$": "$$['Task']['Token']" } }) }),
    expect: {},
  },
  {
    name: "other context fields are not the token",
    definition: machine({
      Ask: callback("arn:aws:states:::lambda:invoke.waitForTaskToken", { FunctionName: "f", Payload: { "id.$": "$$.Execution.Id", "state.$": "$$.State.Name" } }),
    }),
    expect: { "callback-must-pass-token": ["Ask"] },
    messages: { "callback-must-pass-token": ['"TaskToken.$": "$$.Task.Token"', "inside Payload"] },
  },
  {
    name: "the token as plain text in a key without .$",
    definition: machine({ Ask: callback("arn:aws:states:::lambda:invoke.waitForTaskToken", { FunctionName: "f", Payload: { token: "$$.Task.Token" } }) }),
    expect: { "callback-must-pass-token": ["Ask"] },
    messages: { "callback-must-pass-token": ['"Payload.token" holds "$$.Task.Token" as plain text'] },
  },
  {
    name: "the token inside a quoted intrinsic argument is text, not the token",
    definition: machine({ Ask: callback("arn:aws:states:::sns:publish.waitForTaskToken", { TopicArn: "t", "Message.$": "States.Format('token: $$.Task.Token')" }) }),
    expect: { "callback-must-pass-token": ["Ask"] },
  },
  {
    name: "callback with no Parameters at all",
    definition: machine({ Ask: task("arn:aws:states:::sqs:sendMessage.waitForTaskToken", TIMEOUTS) }),
    expect: { "callback-must-pass-token": ["Ask"], "definition-is-valid": [] },
  },
  // --- Timeouts ---
  {
    name: "callback without TimeoutSeconds or HeartbeatSeconds",
    definition: machine({ Ask: task("arn:aws:states:::lambda:invoke.waitForTaskToken", { Parameters: { FunctionName: "f", Payload: { "t.$": "$$.Task.Token" } } }) }),
    expect: { "waiting-task-has-timeout": ["Ask"] },
    messages: { "waiting-task-has-timeout": ["TimeoutSeconds", "HeartbeatSeconds"] },
  },
  {
    name: "callback with a timeout but no heartbeat",
    definition: machine({
      Ask: task("arn:aws:states:::lambda:invoke.waitForTaskToken", { Parameters: { FunctionName: "f", Payload: { "t.$": "$$.Task.Token" } }, TimeoutSeconds: 600 }),
    }),
    expect: { "waiting-task-has-timeout": ["Ask"] },
    messages: { "waiting-task-has-timeout": ['"HeartbeatSeconds"'] },
  },
  {
    name: "a callback that starts a Glue run (answered from the run's state-change event) needs TimeoutSeconds, no heartbeat",
    definition: machine({
      StartEtl: task("arn:aws:states:::aws-sdk:glue:startJobRun.waitForTaskToken", { Parameters: { JobName: "orders-etl", Arguments: { "--task_token.$": "$$.Task.Token" } }, TimeoutSeconds: 1200 }),
    }),
    expect: {},
  },
  {
    name: "a callback that starts a Glue run without TimeoutSeconds waits up to a year",
    definition: machine({ StartEtl: task("arn:aws:states:::aws-sdk:glue:startJobRun.waitForTaskToken", { Parameters: { JobName: "orders-etl", Arguments: { "--task_token.$": "$$.Task.Token" } } }) }),
    expect: { "waiting-task-has-timeout": ["StartEtl"] },
    messages: { "waiting-task-has-timeout": ['"TimeoutSeconds"'] },
  },
  {
    name: "activity without timeouts waits for a worker forever",
    definition: machine({ Work: task("arn:aws:states:us-east-1:123456789012:activity:approve") }),
    expect: { "waiting-task-has-timeout": ["Work"] },
  },
  // --- EXPRESS ---
  {
    name: "EXPRESS: .sync is not supported",
    definition: machine({ StartEtl: task("arn:aws:states:::glue:startJobRun.sync", { Parameters: GLUE_JOB, TimeoutSeconds: 60 }) }),
    workflowType: "EXPRESS",
    expect: { "integration-pattern-supported": ["StartEtl"] },
    messages: { "integration-pattern-supported": ["EXPRESS", "make the state machine STANDARD"] },
  },
  {
    name: "EXPRESS: .waitForTaskToken is not supported",
    definition: machine({ Ask: callback("arn:aws:states:::lambda:invoke.waitForTaskToken", { FunctionName: "f", Payload: { "t.$": "$$.Task.Token" } }) }),
    workflowType: "EXPRESS",
    expect: { "integration-pattern-supported": ["Ask"] },
  },
  {
    name: "EXPRESS: SDK .waitForTaskToken is not supported either",
    definition: machine({ StartEtl: callback("arn:aws:states:::aws-sdk:glue:startJobRun.waitForTaskToken", { JobName: "j", Arguments: { "--t.$": "$$.Task.Token" } }) }),
    workflowType: "EXPRESS",
    expect: { "integration-pattern-supported": ["StartEtl"] },
  },
  {
    name: "EXPRESS: request-response Lambda is fine",
    definition: machine({ Call: task("arn:aws:states:::lambda:invoke", { Parameters: { FunctionName: "f" } }) }),
    workflowType: "EXPRESS",
    expect: {},
  },
  {
    name: "EXPRESS: activities are not supported",
    definition: machine({ Work: task("arn:aws:states:us-east-1:123456789012:activity:approve", TIMEOUTS) }),
    workflowType: "EXPRESS",
    expect: { "integration-pattern-supported": ["Work"] },
  },
  {
    name: "EXPRESS: request-response Glue still does not wait; the fix is a polling loop",
    definition: machine({ StartEtl: glueStart() }),
    workflowType: "EXPRESS",
    expect: { "glue-task-must-wait": ["StartEtl"] },
    messages: { "glue-task-must-wait": ["EXPRESS workflows cannot use .sync", "polling loop"] },
  },
  {
    name: "EXPRESS: a request-response Glue start with a polling loop is clean",
    definition: machine(pollingLoop(glueStart(), "arn:aws:states:::aws-sdk:glue:getJobRun")),
    workflowType: "EXPRESS",
    expect: {},
  },
  // --- Lambda ARNs ---
  {
    name: "Lambda function ARN with an alias is a request-response call",
    definition: machine({ Call: task("arn:aws:lambda:us-east-1:123456789012:function:check-file:live") }),
    expect: {},
  },
  {
    name: "Lambda function ARN with a version, in aws-cn",
    definition: machine({ Call: task("arn:aws-cn:lambda:cn-north-1:123456789012:function:check-file:7") }),
    expect: {},
  },
  {
    name: "Lambda function ARN in aws-us-gov with $LATEST",
    definition: machine({ Call: task("arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:check-file:$LATEST") }),
    expect: {},
  },
  {
    name: "optimized lambda:invoke has no .sync",
    definition: machine({ Call: task("arn:aws:states:::lambda:invoke.sync", { Parameters: { FunctionName: "f" }, TimeoutSeconds: 60 }) }),
    expect: { "integration-pattern-supported": ["Call"] },
    messages: { "integration-pattern-supported": ["arn:aws:states:::lambda:invoke.waitForTaskToken"] },
  },
  // --- Other job services ---
  {
    name: "Batch submitJob request-response is fire-and-forget",
    definition: machine({ Submit: task("arn:aws:states:::batch:submitJob", { Parameters: { JobName: "n", JobQueue: "q", JobDefinition: "d" } }) }),
    expect: { "async-job-should-wait": ["Submit"] },
    messages: { "async-job-should-wait": ["starts an AWS Batch job", "`arn:aws:states:::batch:submitJob.sync`"] },
  },
  {
    name: "Batch submitJob.sync with a timeout is clean",
    definition: machine({ Submit: task("arn:aws:states:::batch:submitJob.sync", { Parameters: { JobName: "n" }, TimeoutSeconds: 3600 }) }),
    expect: {},
  },
  {
    name: "ECS runTask request-response",
    definition: machine({ Run: task("arn:aws:states:::ecs:runTask", { Parameters: { Cluster: "c", TaskDefinition: "t" } }) }),
    expect: { "async-job-should-wait": ["Run"] },
  },
  {
    name: "EMR addStep request-response",
    definition: machine({ Step: task("arn:aws:states:::elasticmapreduce:addStep", { Parameters: { ClusterId: "j-1", Step: {} } }) }),
    expect: { "async-job-should-wait": ["Step"] },
  },
  {
    name: "CodeBuild startBuild request-response",
    definition: machine({ Build: task("arn:aws:states:::codebuild:startBuild", { Parameters: { ProjectName: "p" } }) }),
    expect: { "async-job-should-wait": ["Build"] },
  },
  {
    name: "Athena startQueryExecution request-response",
    definition: machine({ Query: task("arn:aws:states:::athena:startQueryExecution", { Parameters: { QueryString: "select 1" } }) }),
    expect: { "async-job-should-wait": ["Query"] },
  },
  {
    name: "Athena with a getQueryExecution polling loop waits",
    definition: machine(
      pollingLoop(task("arn:aws:states:::athena:startQueryExecution", { Parameters: { QueryString: "select 1" } }), "arn:aws:states:::athena:getQueryExecution", "$.status.QueryExecution.Status.State"),
    ),
    expect: {},
  },
  {
    name: "SageMaker createTrainingJob request-response",
    definition: machine({ Train: task("arn:aws:states:::sagemaker:createTrainingJob", { Parameters: { TrainingJobName: "t" } }) }),
    expect: { "async-job-should-wait": ["Train"] },
  },
  {
    name: "SageMaker createEndpoint has no .sync",
    definition: machine({ Deploy: task("arn:aws:states:::sagemaker:createEndpoint.sync", { Parameters: { EndpointName: "e" }, TimeoutSeconds: 600 }) }),
    expect: { "integration-pattern-supported": ["Deploy"] },
    messages: { "integration-pattern-supported": ["sagemaker:createEndpoint has no .sync"] },
  },
  {
    name: "nested Step Functions execution, request-response",
    definition: machine({ Child: task("arn:aws:states:::states:startExecution", { Parameters: { StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:child" } }) }),
    expect: { "async-job-should-wait": ["Child"] },
    messages: { "async-job-should-wait": [".sync:2"] },
  },
  {
    name: "nested Step Functions execution with .sync:2 is clean",
    definition: machine({ Child: task("arn:aws:states:::states:startExecution.sync:2", { Parameters: { StateMachineArn: "arn:x" }, TimeoutSeconds: 900 }) }),
    expect: {},
  },
  {
    name: "SDK sfn:startExecution is fire-and-forget; the fix is the optimized .sync",
    definition: machine({ Child: task("arn:aws:states:::aws-sdk:sfn:startExecution", { Parameters: { StateMachineArn: "arn:x" } }) }),
    expect: { "async-job-should-wait": ["Child"] },
    messages: { "async-job-should-wait": ["use the optimized `arn:aws:states:::states:startExecution.sync`"] },
  },
  {
    name: "SDK calls have no .sync (S3)",
    definition: machine({ Get: task("arn:aws:states:::aws-sdk:s3:getObject.sync", { Parameters: { Bucket: "b", Key: "k" }, TimeoutSeconds: 10 }) }),
    expect: { "integration-pattern-supported": ["Get"] },
    messages: { "integration-pattern-supported": ["remove .sync (`arn:aws:states:::aws-sdk:s3:getObject`)"] },
  },
  {
    name: "DynamoDB has no .waitForTaskToken",
    definition: machine({ Put: callback("arn:aws:states:::dynamodb:putItem.waitForTaskToken", { TableName: "t", Item: { token: { "S.$": "$$.Task.Token" } } }) }),
    expect: { "integration-pattern-supported": ["Put"] },
  },
  {
    name: "an unknown optimized service called request-response is left alone",
    definition: machine({ Call: task("arn:aws:states:::newservice:doThing", { Parameters: {} }) }),
    expect: {},
  },
  // --- Invalid definitions ---
  {
    name: "invalid JSON",
    definition: '{\n  "StartAt": "A",\n  "States": {\n    "A": { "Type": "Pass", "End": true, }\n  }\n}',
    expect: { "definition-is-valid": [""] },
    messages: { "definition-is-valid": ["line 4"] },
  },
  { name: "empty text", definition: "   \n", expect: { "definition-is-valid": [""] }, messages: { "definition-is-valid": ["empty"] } },
  {
    name: "missing StartAt",
    definition: { States: { A: { Type: "Pass", End: true } } },
    expect: { "definition-is-valid": [""] },
    messages: { "definition-is-valid": ['"StartAt": "A"'] },
  },
  {
    name: "StartAt names a missing state",
    definition: { StartAt: "Begin", States: { A: { Type: "Pass", End: true } } },
    // A is not reported unreachable: without a valid StartAt, reachability is not computed.
    expect: { "definition-is-valid": [""] },
  },
  {
    name: "dangling Next",
    definition: machine({ A: { Type: "Pass", Next: "Nowhere" } }),
    // ...and so the machine never ends.
    expect: { "definition-is-valid": ["A", ""] },
  },
  {
    name: "dangling Choice Default and Catch target",
    definition: machine({
      A: task("arn:aws:states:::lambda:invoke", { Parameters: { FunctionName: "f" }, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Handler" }], Next: "C" }),
      C: { Type: "Choice", Choices: [{ Variable: "$.x", IsPresent: true, Next: "A" }], Default: "Gone" },
    }),
    expect: { "definition-is-valid": ["A", "C", ""] },
  },
  {
    name: "unreachable state",
    definition: machine({ A: { Type: "Pass", End: true }, Orphan: { Type: "Pass", End: true } }),
    expect: { "definition-is-valid": ["Orphan"] },
    messages: { "definition-is-valid": ["unreachable"] },
  },
  {
    name: "unreachable states that point at each other",
    definition: machine({ A: { Type: "Pass", End: true }, B: { Type: "Pass", Next: "C" }, C: { Type: "Pass", Next: "B" } }),
    expect: { "definition-is-valid": ["B", "C"] },
  },
  {
    name: "a definition over 1 MB",
    definition: oversized(),
    expect: { "definition-is-valid": [""] },
    messages: { "definition-is-valid": ["1,048,576"] },
  },
  {
    name: "not an object",
    definition: "[1, 2, 3]",
    expect: { "definition-is-valid": [""] },
  },
  {
    name: "a Resource that is not an ARN",
    definition: machine({ A: task("not-an-arn") }),
    expect: { "definition-is-valid": ["A"] },
    messages: { "definition-is-valid": ["/States/A/Resource", '"not-an-arn"'] },
  },
  // --- The lab's machines ---
  { name: "lab: request-response", definition: LAB_MACHINES["request-response"], expect: { "glue-task-must-wait": ["StartEtl"] } },
  { name: "lab: run-job", definition: LAB_MACHINES["run-job"], expect: {} },
  { name: "lab: wait-for-callback", definition: LAB_MACHINES["wait-for-callback"], expect: {} },
];
