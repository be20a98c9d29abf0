import { BatchStopJobRunCommand, GetJobRunCommand, GlueClient } from "@aws-sdk/client-glue";
import { LOG_DELIVERY_ACTIONS, XRAY_ACTIONS } from "../../components/validatedStateMachine";
import { DescribeExecutionCommand, SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { Test } from "mocha";
import type { SandboxOptions } from "../../sandbox";
import type { ProgramModel } from "../../sandbox/program-model";
import { sharedProgramModel } from "../../sandbox/testing/shared-program-model";
import { waitForTaskToken } from "../../sandbox/testing/sfn-helpers";
import { LabSandbox, type Finished, type Pattern } from "./labSandbox";
import {
  actionsOf,
  describeStatement,
  principalPolicies,
  removalCases,
  withoutActions,
  withoutCase,
  type Principal,
  type PrincipalKind,
  type PrincipalPolicy,
  type RemovalCase,
} from "./policyCases";

/**
 * Least privilege, proven in the sandbox. SUFFICIENT: with the program's policies the three patterns end as
 * designed. NECESSARY: for every statement of every policy, and every action of a statement that has
 * several, a sandbox whose role lacks it makes a named state fail with AccessDenied. The cases are
 * generated from the policies, so a statement added without a proof below fails this file.
 */

/**
 * Statements whose need the sandbox cannot show, with the reason. The test "exceptions are exactly..."
 * checks that each is granted by the program, has no proof, and that removing them all changes nothing.
 *
 * | principal           | actions                                   | why the sandbox cannot show it                                   |
 * |---------------------|-------------------------------------------|------------------------------------------------------------------|
 * | state machines      | logs:*LogDelivery*, *ResourcePolic*, ...  | execution logs go to the sandbox's history, not CloudWatch Logs   |
 * | state machines      | xray:*                                    | the sandbox sends no X-Ray trace segments                         |
 * | state machines      | glue:GetJobRuns                           | documented by AWS for .sync; the sandbox's poller calls GetJobRun |
 * | functions           | logs:CreateLogStream, logs:PutLogEvents   | the Lambda runtime's logs go to a file, not as the role           |
 * | Glue job            | logs:CreateLogGroup/CreateLogStream/Put.. | Glue's run logs go to files, not as the role                      |
 */
const EXCEPTIONS: readonly { readonly kinds: readonly PrincipalKind[]; readonly actions: readonly string[]; readonly reason: string }[] = [
  {
    kinds: ["state-machine"],
    actions: LOG_DELIVERY_ACTIONS,
    reason: "log delivery: the sandbox keeps execution events in its history and delivers nothing to CloudWatch Logs",
  },
  {
    kinds: ["state-machine"],
    actions: XRAY_ACTIONS,
    reason: "X-Ray tracing: the sandbox sends no trace segments",
  },
  {
    kinds: ["state-machine"],
    actions: ["glue:GetJobRuns"],
    reason: "AWS documents it for .sync Glue tasks; the sandbox's .sync poller calls GetJobRun only",
  },
  {
    kinds: ["check-file", "validate-output", "event-callback"],
    actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
    reason: "the Lambda runtime writes the function's logs; the sandbox writes them to a file, not as the role",
  },
  {
    kinds: ["etl-job"],
    actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
    reason: "Glue writes a run's output and error logs; the sandbox writes them to files, not as the role",
  },
];

function exceptionFor(kind: PrincipalKind, action: string) {
  return EXCEPTIONS.find((e) => e.kinds.includes(kind) && e.actions.includes(action));
}

/** How the absence of an action shows in the sandbox. */
interface Proof {
  /** The row a reader sees after "without <action>, ". */
  readonly effect: (principal: Principal) => string;
  readonly show: (lab: LabSandbox, principal: Principal) => Promise<void>;
  /** Sandbox options for this proof, when the defaults do not fit. */
  readonly options?: SandboxOptions;
}

function patternOf(principal: Principal): Pattern {
  if (principal.kind !== "state-machine") throw new Error(`${principal.label} is not a state machine`);
  return principal.pattern;
}

/** The state whose task failed, with what, and the Fail state the execution ended in. */
function assertTaskDenied(finished: Finished, expected: { state: string; error: string; cause: RegExp; endedIn: string }): void {
  const { description, failure } = finished;
  assert.equal(description.status, "FAILED", `expected FAILED, got ${description.status}`);
  assert.deepEqual([failure.state, failure.error], [expected.state, expected.error], `task failure: ${failure.cause}`);
  assert.match(failure.cause ?? "", expected.cause);
  assert.equal(description.error, expected.endedIn, `execution error (cause: ${description.cause})`);
  assert.match(description.cause ?? "", /AccessDenied|not authorized/, "the execution's cause names the denial");
}

const FIRST_LAMBDA_STATE: Record<Pattern, { state: string; endedIn: string }> = {
  "request-response": { state: "CheckFile", endedIn: "CheckFileFailed" },
  "run-job": { state: "CheckFile", endedIn: "CheckFileFailed" },
  "wait-for-callback": { state: "WaitForOperator", endedIn: "OperatorRejected" },
  "event-driven-callback": { state: "CheckFile", endedIn: "CheckFileFailed" },
};

/** Where a StartEtl failure ends: EtlFailed, or (event-driven-callback, whose EtlFailed fails as caught) the task's error itself. */
const etlFailureEnd = (pattern: Pattern, error: string) => (pattern === "event-driven-callback" ? error : "EtlFailed");

/**
 * event-callback's delivery for the run an event-driven-callback execution starts (the run ends, its event is
 * delivered); the execution is then still waiting at StartEtl, and is stopped.
 */
async function undeliveredCallback(lab: LabSandbox, endRun: (runId: string) => Promise<void> = async () => {}) {
  const started = lab.whenAJobRunIs("RUNNING");
  const executionArn = await lab.run("event-driven-callback");
  const run = await started;
  await endRun(run.Id);
  await lab.sandbox.whenJobRunFinished(run.Id);
  await lab.sandbox.eventDeliveriesSettled();
  const delivery = lab.sandbox.eventDeliveries().find((d) => d.detailType === "Glue Job State Change");
  const { status } = await lab.sfn.send(new DescribeExecutionCommand({ executionArn }));
  await lab.stopExecution(executionArn);
  return { delivery, statusAfterDelivery: status };
}

function assertCallbackDenied(outcome: Awaited<ReturnType<typeof undeliveredCallback>>, action: string): void {
  assert.equal(outcome.delivery?.status, "FAILED", JSON.stringify(outcome.delivery));
  assert.match(outcome.delivery?.error ?? "", new RegExp(String.raw`^AccessDeniedException: User: arn:aws:sts::\d+:assumed-role/etl-lab-event-callback-role-\w+/[^ ]+ is not authorized to perform: ` + action));
  assert.equal(outcome.statusAfterDelivery, "RUNNING", "no token came back: the execution still waits at StartEtl");
}

/** Proofs by "<principal kind> <action>". */
const PROOFS: Record<string, Proof> = {
  "check-file s3:GetObject": {
    effect: () => "CheckFile fails with AccessDenied (run-job ends CheckFileFailed)",
    async show(lab) {
      const { bucketName, dataKey } = lab.outputs;
      assertTaskDenied(await lab.runToEnd("run-job"), {
        state: "CheckFile",
        error: "AccessDenied",
        cause: new RegExp(`HeadObject on s3://${bucketName}/${dataKey} answered 403`),
        endedIn: "CheckFileFailed",
      });
    },
  },
  "check-file s3:ListBucket": {
    effect: () => "a missing data file is a 403: CheckFile fails with AccessDenied (CheckFileFailed), not FileNotFound (DataFileMissing)",
    async show(lab) {
      await lab.deleteDataFile();
      assertTaskDenied(await lab.runToEnd("run-job"), { state: "CheckFile", error: "AccessDenied", cause: /answered 403/, endedIn: "CheckFileFailed" });
    },
  },
  "validate-output s3:GetObject": {
    effect: () => "Validate cannot read the run's manifest: AccessDenied (run-job ends ValidateFailed)",
    async show(lab) {
      assertTaskDenied(await lab.runToEnd("run-job"), {
        state: "Validate",
        error: "AccessDenied",
        cause: /not authorized to perform: s3:GetObject on resource: arn:aws:s3:::[^/]+\/output\/jr_\w+\/_manifest\.json/,
        endedIn: "ValidateFailed",
      });
    },
  },
  "validate-output s3:ListBucket": {
    effect: () => "a missing manifest is a 403: Validate fails with AccessDenied (ValidateFailed), not ValidationFailed (OutputInvalid)",
    async show(lab) {
      // request-response validates before the job wrote anything: the manifest is missing. S3 then checks
      // whether the caller may learn that, and says so, as AWS's detailed AccessDenied messages do.
      assertTaskDenied(await lab.runToEnd("request-response"), {
        state: "Validate",
        error: "AccessDenied",
        cause: /not authorized to perform: s3:ListBucket on resource: arn:aws:s3:::etl-lab-data-\w+ /,
        endedIn: "ValidateFailed",
      });
    },
  },
  "etl-job s3:GetObject": {
    effect: () => "the Glue run cannot download its script: FAILED with AccessDenied, StartEtl fails (EtlFailed)",
    async show(lab) {
      const finished = await lab.runToEnd("run-job");
      assertTaskDenied(finished, { state: "StartEtl", error: "States.TaskFailed", cause: /"JobRunState":"FAILED"/, endedIn: "EtlFailed" });
      const run = JSON.parse(finished.failure.cause ?? "{}") as { ErrorMessage?: string };
      assert.match(run.ErrorMessage ?? "", /Failed to download s3:\/\/[^/]+\/etl\/glue_job\.py: AccessDenied/);
    },
  },
  "etl-job s3:PutObject": {
    effect: () => "the Glue run cannot write its output: FAILED with AccessDenied, StartEtl fails (EtlFailed)",
    async show(lab) {
      const finished = await lab.runToEnd("run-job");
      assertTaskDenied(finished, { state: "StartEtl", error: "States.TaskFailed", cause: /"JobRunState":"FAILED"/, endedIn: "EtlFailed" });
      const run = JSON.parse(finished.failure.cause ?? "{}") as { ErrorMessage?: string };
      assert.match(run.ErrorMessage ?? "", /writing s3:\/\/[^/]+\/output\/jr_\w+\/data\.csv failed: .*AccessDenied/);
    },
  },
  "state-machine lambda:InvokeFunction": {
    effect: (p) => `${FIRST_LAMBDA_STATE[patternOf(p)].state} fails with Lambda.AWSLambdaException (AccessDenied): ${patternOf(p)} ends ${FIRST_LAMBDA_STATE[patternOf(p)].endedIn}`,
    async show(lab, principal) {
      const pattern = patternOf(principal);
      assertTaskDenied(await lab.runToEnd(pattern), {
        ...FIRST_LAMBDA_STATE[pattern],
        error: "Lambda.AWSLambdaException",
        cause: /is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:[^ ]+:function:etl-lab-check-file-\w+ .*Error Code: AccessDeniedException/,
      });
    },
    // Nothing runs but Retry's backoff over Lambda.AWSLambdaException (6 attempts): scale it right down.
    options: { timeScale: 0.01 },
  },
  "state-machine glue:StartJobRun": {
    effect: (p) => `StartEtl fails with Glue.AccessDeniedException (${patternOf(p)} ends ${etlFailureEnd(patternOf(p), "Glue.AccessDeniedException")})`,
    async show(lab, principal) {
      assertTaskDenied(await lab.runToEnd(patternOf(principal)), {
        state: "StartEtl",
        error: "Glue.AccessDeniedException",
        cause: /is not authorized to perform: glue:StartJobRun on resource: arn:aws:glue:[^ ]+:job\/etl-lab-etl-\w+/,
        endedIn: etlFailureEnd(patternOf(principal), "Glue.AccessDeniedException"),
      });
    },
  },
  "event-callback glue:GetJobRun": {
    effect: () => "the function cannot read the run (and its token): the delivery fails with AccessDenied and event-driven-callback keeps waiting at StartEtl",
    async show(lab) {
      assertCallbackDenied(await undeliveredCallback(lab), "glue:GetJobRun");
    },
  },
  "event-callback states:SendTaskSuccess": {
    effect: () => "the verified run's token cannot be sent back: AccessDenied, event-driven-callback keeps waiting at StartEtl",
    async show(lab) {
      assertCallbackDenied(await undeliveredCallback(lab), "states:SendTaskSuccess");
    },
  },
  "event-callback states:SendTaskFailure": {
    effect: () => "a stopped run cannot fail the task: AccessDenied, event-driven-callback keeps waiting at StartEtl",
    async show(lab) {
      const stop = async (runId: string) => {
        await lab.glue.send(new BatchStopJobRunCommand({ JobName: lab.outputs.jobName, JobRunIds: [runId] }));
      };
      assertCallbackDenied(await undeliveredCallback(lab, stop), "states:SendTaskFailure");
    },
  },
  "event-callback s3:GetObject": {
    effect: () => "the run's output cannot be verified: SendTaskFailure AccessDenied, event-driven-callback fails at StartEtl",
    async show(lab) {
      const finished = await lab.runToEnd("event-driven-callback");
      assert.deepEqual([finished.description.status, finished.failure.state, finished.description.error], ["FAILED", "StartEtl", "AccessDenied"]);
      assert.match(finished.description.cause ?? "", /does not validate: AccessDenied: .*not authorized to perform: s3:GetObject on resource: arn:aws:s3:::[^/]+\/output\/jr_\w+\/_manifest\.json/);
    },
  },
  "state-machine glue:GetJobRun": {
    effect: (p) => `StartEtl cannot poll the run it started: Glue.AccessDeniedException (${patternOf(p)} ends EtlFailed)`,
    async show(lab, principal) {
      assertTaskDenied(await lab.runToEnd(patternOf(principal)), {
        state: "StartEtl",
        error: "Glue.AccessDeniedException",
        cause: /is not authorized to perform: glue:GetJobRun on resource: arn:aws:glue:[^ ]+:job\/etl-lab-etl-\w+/,
        endedIn: "EtlFailed",
      });
    },
  },
  "state-machine glue:BatchStopJobRun": {
    effect: (p) => `stopping ${patternOf(p)} during StartEtl leaves its Glue run RUNNING to its end (the stop is AccessDenied)`,
    async show(lab, principal) {
      // On AWS, StopExecution of a .sync task makes a best-effort BatchStopJobRun as the machine's role; the
      // execution is ABORTED either way, and a denied stop leaves the run going.
      const run = await stopDuringStartEtl(lab, patternOf(principal));
      assert.equal(run.JobRunState, "RUNNING", "the run is not stopped");
      assert.equal((await lab.sandbox.whenJobRunFinished(run.Id)).JobRunState, "SUCCEEDED", "the run goes on to its end");
      const asRole = new GlueClient({ ...lab.sandbox.clientConfig("glue"), credentials: lab.sandbox.credentialsFor(principal.roleArn) });
      await assert.rejects(asRole.send(new BatchStopJobRunCommand({ JobName: lab.outputs.jobName, JobRunIds: [run.Id] })), (error: Error) => {
        assert.equal(error.name, "AccessDeniedException");
        assert.match(error.message, /is not authorized to perform: glue:BatchStopJobRun/);
        return true;
      });
      asRole.destroy();
    },
  },
};

/** Starts a pattern, stops it once its Glue run is RUNNING; returns the run as it is right after the stop. */
async function stopDuringStartEtl(lab: LabSandbox, pattern: Pattern) {
  const running = lab.whenAJobRunIs("RUNNING");
  const executionArn = await lab.run(pattern);
  const { Id } = await running;
  await lab.stopExecution(executionArn);
  const finished = await lab.finished(executionArn);
  assert.equal(finished.description.status, "ABORTED");
  assert.ok(
    finished.events.some((e) => e.type === "TaskStateEntered" && e.stateEnteredEventDetails?.name === "StartEtl") &&
      !finished.events.some((e) => e.type === "TaskStateExited" && e.stateExitedEventDetails?.name === "StartEtl"),
    "stopped while in StartEtl",
  );
  const { JobRun } = await lab.glue.send(new GetJobRunCommand({ JobName: lab.outputs.jobName, RunId: Id }));
  if (!JobRun?.Id || !JobRun.JobRunState) throw new Error(`GetJobRun ${Id} returned no run`);
  return { Id: JobRun.Id, JobRunState: JobRun.JobRunState };
}

function proofFor(removal: RemovalCase): Proof | undefined {
  for (const action of removal.removedActions) {
    const proof = PROOFS[`${removal.policy.principal.kind} ${action}`];
    if (proof) return proof;
  }
  return undefined;
}

function isExcepted(removal: RemovalCase): boolean {
  return removal.removedActions.every((a) => exceptionFor(removal.policy.principal.kind, a));
}

function caseTitle(removal: RemovalCase, proof: Proof | undefined): string {
  const { principal, statements } = removal.policy;
  const statement = statements[removal.statementIndex];
  const what = removal.action ?? (actionsOf(statement).length === 1 ? actionsOf(statement)[0] : `its statement ${describeStatement(statement)}`);
  const effect = proof ? proof.effect(principal) : "NO PROOF: nothing shows it is needed";
  return `[least-privilege] ${principal.label} role: without ${what}, ${effect}`;
}

async function withLab<T>(model: ProgramModel, options: SandboxOptions | undefined, use: (lab: LabSandbox) => Promise<T>): Promise<T> {
  const lab = await LabSandbox.start(model, options);
  try {
    return await use(lab);
  } finally {
    await lab.stop();
  }
}

async function runJobRunsAndApprove(lab: LabSandbox): Promise<Finished> {
  const executionArn = await lab.run("wait-for-callback");
  const taskToken = await waitForTaskToken(lab.sfn, executionArn);
  const run = await lab.runEtl();
  assert.equal(run.JobRunState, "SUCCEEDED", run.ErrorMessage);
  await lab.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ JobRunId: run.Id }) }));
  return lab.finished(executionArn);
}

/** The three patterns end as designed; shared by the sufficiency test and the exceptions' test. */
async function assertPatternsEndAsDesigned(lab: LabSandbox): Promise<void> {
  const requestResponse = await lab.runToEnd("request-response");
  assert.deepEqual([requestResponse.description.status, requestResponse.description.error], ["FAILED", "OutputInvalid"]);
  assert.deepEqual([requestResponse.failure.state, requestResponse.failure.error], ["Validate", "ValidationFailed"]);
  const runJob = await lab.runToEnd("run-job");
  assert.equal(runJob.description.status, "SUCCEEDED", `${runJob.description.error}: ${runJob.description.cause}`);
  const callback = await runJobRunsAndApprove(lab);
  assert.equal(callback.description.status, "SUCCEEDED", `${callback.description.error}: ${callback.description.cause}`);
  const eventDriven = await lab.runToEnd("event-driven-callback");
  assert.equal(eventDriven.description.status, "SUCCEEDED", `${eventDriven.description.error}: ${eventDriven.description.cause}`);
}

describe("Least privilege, proven in the sandbox", function () {
  this.timeout(60_000);
  let model: ProgramModel;
  let policies: PrincipalPolicy[];

  before(async function () {
    this.timeout(60_000);
    model = await sharedProgramModel({ stack: "dev" });
    policies = principalPolicies(model);
  });

  it("[least-privilege] every role the program creates is held by one principal, and its policies are listed", () => {
    const roleCount = model.resources.filter((r) => r.type === "aws:iam/role:Role").length;
    const principals = new Set(policies.map((p) => p.principal.roleName));
    assert.equal(principals.size, roleCount, "every role has a policy");
    assert.deepEqual(
      policies.map((p) => p.principal.label).sort(),
      [
        "Glue job",
        "check-file function",
        "event-callback function",
        "event-driven-callback state machine",
        "request-response state machine",
        "run-job state machine",
        "validate-output function",
        "wait-for-callback state machine",
      ],
    );
    for (const policy of policies) {
      for (const statement of policy.statements) {
        assert.equal(statement.Effect, "Allow", `${policy.policyName}: only Allow statements are expected`);
        assert.ok(actionsOf(statement).every((a) => !a.includes("*")), `${policy.policyName}: no wildcard action`);
      }
    }
  });

  describe("sufficient: the program's policies as they are", function () {
    let lab: LabSandbox;
    before(async () => (lab = await LabSandbox.start(structuredClone(model))));
    afterEach(async () => lab.reset());
    after(async () => lab?.stop());

    it("[least-privilege] sufficient: request-response FAILS at Validate (OutputInvalid), run-job SUCCEEDS, wait-for-callback SUCCEEDS once approved, event-driven-callback SUCCEEDS", async () => {
      await assertPatternsEndAsDesigned(lab);
    });

    it("[least-privilege] sufficient: a missing data file is FileNotFound at CheckFile (DataFileMissing)", async () => {
      await lab.deleteDataFile();
      const finished = await lab.runToEnd("run-job");
      assert.deepEqual([finished.failure.state, finished.failure.error, finished.description.error], ["CheckFile", "FileNotFound", "DataFileMissing"]);
    });

    it("[least-privilege] sufficient: stopping run-job during StartEtl stops its Glue run (BatchStopJobRun)", async () => {
      const run = await stopDuringStartEtl(lab, "run-job");
      assert.ok(["STOPPING", "STOPPED"].includes(run.JobRunState), `run is ${run.JobRunState}`);
      assert.equal((await lab.sandbox.whenJobRunFinished(run.Id)).JobRunState, "STOPPED");
    });
  });

  describe("necessary: each statement and each action, removed", function () {
    // The cases come from the evaluated program, which is only known asynchronously; mocha runs the tests a
    // suite's before hook adds to it.
    before(function () {
      const suite = this.test?.parent;
      if (!suite) throw new Error("no suite to add the generated cases to");
      for (const removal of removalCases(policies)) {
        if (isExcepted(removal)) continue;
        const proof = proofFor(removal);
        suite.addTest(
          new Test(caseTitle(removal, proof), async function (this: Mocha.Context) {
            this.timeout(60_000);
            if (!proof) {
              const statement = removal.policy.statements[removal.statementIndex];
              assert.fail(
                `${removal.policy.principal.label} (${removal.policy.policyName}) grants ${removal.removedActions.join(", ")} in statement ` +
                  `${describeStatement(statement)}, and nothing here shows it is needed: add a proof to PROOFS, or to EXCEPTIONS with a reason.`,
              );
            }
            await withLab(withoutCase(model, removal), proof.options, (lab) => proof.show(lab, removal.policy.principal));
          }),
        );
      }
    });

    it("[least-privilege] the cases are generated from every statement and action of every policy", () => {
      const cases = removalCases(policies);
      const statements = policies.reduce((n, p) => n + p.statements.length, 0);
      assert.equal(cases.filter((c) => c.action === undefined).length, statements);
      const proven = cases.filter((c) => !isExcepted(c));
      assert.ok(proven.length >= 14, `expected at least 14 proven cases, got ${proven.length}`);
      assert.ok(proven.every((c) => proofFor(c)), "every case that is not an exception has a proof");
    });

    it("[least-privilege] the rule invokes event-callback through the function's policy only, for this rule only: without the permission, the delivery is AccessDenied", async () => {
      // "Using resource-based policies for Lambda": EventBridge invokes a function as events.amazonaws.com, allowed by
      // the function's policy (lambda:AddPermission, aws.lambda.Permission) with the rule's ARN as SourceArn. The rule needs no role.
      const rules = model.resources.filter((r) => r.type === "aws:cloudwatch/eventRule:EventRule");
      assert.equal(rules.length, 1);
      assert.equal(rules[0].state.roleArn, undefined, "the rule has no role: a Lambda target needs none");
      const permissions = model.resources.filter((r) => r.type === "aws:lambda/permission:Permission");
      assert.deepEqual(
        permissions.map((p) => [p.state.action, p.state.principal, p.state.sourceArn, p.state.function]),
        [["lambda:InvokeFunction", "events.amazonaws.com", rules[0].state.arn, (model.outputs as { functionNames: { eventCallback: string } }).functionNames.eventCallback]],
      );
      const withoutPermission = structuredClone(model);
      withoutPermission.resources = withoutPermission.resources.filter((r) => r.type !== "aws:lambda/permission:Permission");
      await withLab(withoutPermission, undefined, async (lab) => {
        const outcome = await undeliveredCallback(lab);
        assert.equal(outcome.delivery?.status, "FAILED");
        assert.match(outcome.delivery?.error ?? "", /^AccessDeniedException: User: events\.amazonaws\.com is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:[^ ]+:function:etl-lab-event-callback-\w+/);
        assert.equal(outcome.statusAfterDelivery, "RUNNING");
      });
    });

    it("[least-privilege] exceptions are exactly the statements the sandbox cannot show: each granted, none with a proof", () => {
      for (const exception of EXCEPTIONS) {
        for (const kind of exception.kinds) {
          for (const action of exception.actions) {
            const granted = policies.some((p) => p.principal.kind === kind && p.statements.some((s) => actionsOf(s).includes(action)));
            assert.ok(granted, `exception ${kind} ${action} is not granted by the program: remove it`);
            assert.equal(PROOFS[`${kind} ${action}`], undefined, `${kind} ${action} has a proof: it is no exception`);
          }
        }
      }
    });

    it("[least-privilege] the exceptions removed together, the three patterns still end as designed (the sandbox cannot show them)", async () => {
      const stripped = withoutActions(model, EXCEPTIONS);
      const remaining = principalPolicies(stripped).flatMap((p) => p.statements.flatMap((s) => actionsOf(s).map((a) => `${p.principal.kind} ${a}`)));
      assert.ok(!remaining.some((entry) => EXCEPTIONS.some((e) => e.kinds.some((k) => e.actions.some((a) => entry === `${k} ${a}`)))));
      await withLab(stripped, undefined, assertPatternsEndAsDesigned);
    });
  });
});
