import { strict as assert } from "node:assert";
import { countStateTransitions, executionSpan, glueRuns, lambdaCalls } from "../../cli/cost/usage";
import { CHECK_FILE_ARN, HistoryBuilder, requestResponseHistory, runJobHistory, VALIDATE_ARN, waitForCallbackHistory } from "./histories";

describe("cost usage: state transitions from a history", () => {
  it("counts one transition per state entered, the Succeed state included", () => {
    // CheckFile, StartEtl, Validate, Done
    assert.deepEqual(countStateTransitions(runJobHistory()), { statesEntered: 4, retries: 0, total: 4 });
  });

  it("counts the Fail state a Catch leads to, and no retry for a caught failure", () => {
    // CheckFile, StartEtl, Validate, OutputInvalid
    assert.deepEqual(countStateTransitions(requestResponseHistory()), { statesEntered: 4, retries: 0, total: 4 });
  });

  it("bills each retry as one more transition", () => {
    const history = new HistoryBuilder()
      .started()
      .entered("Validate")
      .lambdaAttempt(VALIDATE_ARN, 50, "Lambda.ServiceException")
      .lambdaAttempt(VALIDATE_ARN, 50, "Lambda.TooManyRequestsException")
      .lambdaAttempt(VALIDATE_ARN, 50)
      .exited("Validate")
      .succeed().events;
    assert.deepEqual(countStateTransitions(history), { statesEntered: 2, retries: 2, total: 4 });
  });

  it("reads events in id order whatever order the array has", () => {
    const history = runJobHistory().reverse();
    assert.equal(countStateTransitions(history).total, 4);
  });

  it("counts states entered in a loop each time", () => {
    const b = new HistoryBuilder().started();
    for (let i = 0; i < 3; i++) b.entered("Poll", "Wait").exited("Poll", "Wait").entered("Check", "Choice").exited("Check", "Choice");
    assert.equal(countStateTransitions(b.succeed().events).total, 7);
  });

  it("is zero for an empty history", () => {
    assert.deepEqual(countStateTransitions([]), { statesEntered: 0, retries: 0, total: 0 });
  });
});

describe("cost usage: Lambda calls and Glue runs from a history", () => {
  it("times each lambda:invoke from TaskStarted to its answer", () => {
    assert.deepEqual(lambdaCalls(runJobHistory()), [
      { functionName: CHECK_FILE_ARN, durationMs: 120 },
      { functionName: VALIDATE_ARN, durationMs: 300 },
    ]);
  });

  it("times a .waitForTaskToken invocation until the function answered (TaskSubmitted), not until the callback", () => {
    const calls = lambdaCalls(waitForCallbackHistory());
    assert.deepEqual(calls[0], { functionName: CHECK_FILE_ARN, durationMs: 150 });
    assert.equal(calls.length, 2);
  });

  it("counts every attempt of a retried function as a call", () => {
    const history = new HistoryBuilder()
      .started()
      .entered("Validate")
      .lambdaAttempt(VALIDATE_ARN, 70, "Lambda.ServiceException")
      .lambdaAttempt(VALIDATE_ARN, 90)
      .exited("Validate").events;
    assert.deepEqual(
      lambdaCalls(history).map((c) => c.durationMs),
      [70, 90],
    );
  });

  it("takes a .sync run's id, execution time and capacity from the finished JobRun", () => {
    assert.deepEqual(glueRuns(runJobHistory("jr_1", 42)), [
      // A finished JobRun without WorkerType is a Python shell run (a Spark run reports its workers).
      { jobRunId: "jr_1", jobName: "lab-etl-job", executionSeconds: 42, maxCapacity: 0.0625, engine: "python-shell", source: "started-by-task" },
    ]);
  });

  it("takes a request-response run's id from the answer, without a duration (the run goes on after the state)", () => {
    assert.deepEqual(glueRuns(requestResponseHistory("jr_2")), [
      { jobRunId: "jr_2", jobName: "lab-etl-job", executionSeconds: undefined, maxCapacity: undefined, source: "started-by-task" },
    ]);
  });

  it("takes the run a callback hands over from the callback's output", () => {
    assert.deepEqual(glueRuns(waitForCallbackHistory("jr_3")), [{ jobRunId: "jr_3", source: "handed-by-callback" }]);
  });

  it("reads how the execution ended and how long it took", () => {
    const span = executionSpan(runJobHistory());
    assert.equal(span.status, "SUCCEEDED");
    assert.ok(span.durationMs !== undefined && span.durationMs > 60_000);
    assert.equal(executionSpan(requestResponseHistory()).status, "FAILED");
    assert.deepEqual(executionSpan([]), { status: undefined, durationMs: undefined });
  });
});
