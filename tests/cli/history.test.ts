import { strict as assert } from "node:assert";
import { readableCause, readHistory, tokenFromParameters } from "../../cli/ops/history";
import { describeVisit } from "../../cli/format/progress";
import { differencesFromExpected, summaryEntry, type SummaryEntry } from "../../cli/demo/expectations";
import { entered, exited, history, pausedHistory, scheduled, taskFailed, taskSucceeded, TOKEN } from "./helpers";

const lambdaCause = (message: string) => JSON.stringify({ errorType: "ValidationFailed", errorMessage: message, trace: ["at x (/srv/index.js:1:1)"] });

describe("reading an execution history", function () {
  it("names the task that failed, not the Fail state its Catch led to", function () {
    const view = readHistory(
      history([
        { type: "ExecutionStarted" },
        entered("Validate"),
        scheduled("invoke", {}),
        taskFailed("invoke", "ValidationFailed", lambdaCause("no manifest")),
        entered("OutputInvalid", "Fail"),
        { type: "ExecutionFailed", executionFailedEventDetails: { error: "OutputInvalid", cause: lambdaCause("no manifest") } },
      ]),
    );
    assert.equal(view.status, "FAILED");
    assert.equal(view.failedState, "Validate");
    assert.deepEqual(
      view.visits.map((v) => [v.name, v.type, v.outcome, v.error]),
      [
        ["Validate", "Task", "failed", "ValidationFailed"],
        ["OutputInvalid", "Fail", "failed", undefined],
      ],
    );
    assert.equal(view.visits[0].exitedAt?.getTime(), view.visits[1].enteredAt.getTime(), "a caught state ends when the next one starts");
    assert.equal(readableCause(view.cause), "no manifest");
  });

  it("counts a task retried after a failure as succeeded, with its attempts", function () {
    const view = readHistory(
      history([
        { type: "ExecutionStarted" },
        entered("CheckFile"),
        scheduled("invoke", {}),
        taskFailed("invoke", "Lambda.ServiceException", "throttled"),
        scheduled("invoke", {}),
        taskSucceeded("invoke", {}),
        exited("CheckFile"),
        { type: "ExecutionSucceeded", executionSucceededEventDetails: { output: '{"ok":true}' } },
      ]),
    );
    assert.equal(view.status, "SUCCEEDED");
    assert.equal(view.failedState, undefined);
    assert.equal(view.output, '{"ok":true}');
    assert.deepEqual([view.visits[0].outcome, view.visits[0].attempts], ["succeeded", 2]);
    assert.match(describeVisit(view.visits[0]), /^✓ CheckFile +5\.0s  after 2 attempts$/);
  });

  it("keeps a state running between a failed attempt and its retry", function () {
    const view = readHistory(history([{ type: "ExecutionStarted" }, entered("CheckFile"), scheduled("invoke", {}), taskFailed("invoke", "Lambda.ServiceException", "x")]));
    assert.equal(view.visits[0].outcome, "running");
    assert.equal(view.status, "RUNNING");
  });

  it("finds the paused callback and its token in the TaskScheduled parameters, until the task ends", function () {
    const arn = "arn:aws:states:eu-west-1:123456789012:execution:m:e";
    const paused = readHistory(pausedHistory(arn));
    assert.equal(paused.pendingCallback?.state, "WaitForOperator");
    assert.equal(paused.pendingCallback?.token, TOKEN);
    assert.equal(paused.pendingCallback?.resource, "lambda:invoke.waitForTaskToken");
    const answered = readHistory([...pausedHistory(arn), ...history([taskSucceeded("invoke.waitForTaskToken", { JobRunId: "jr_1" })], Date.parse("2026-01-01T11:00:00Z")).map((e) => ({ ...e, id: 99 }))]);
    assert.equal(answered.pendingCallback, undefined);
  });

  it("does not call a request-response task a callback", function () {
    const view = readHistory(history([{ type: "ExecutionStarted" }, entered("StartEtl"), scheduled("startJobRun", { JobName: "j" }, "glue")]));
    assert.equal(view.pendingCallback, undefined);
  });

  it("reads a token wherever the payload names it, and nothing from parameters without one", function () {
    assert.equal(tokenFromParameters(JSON.stringify({ Arguments: { "--task_token": "abc" } })), "abc");
    assert.equal(tokenFromParameters(JSON.stringify({ MessageBody: { TaskToken: "xyz" } })), "xyz");
    assert.equal(tokenFromParameters(JSON.stringify({ Payload: { other: 1 } })), undefined);
    assert.equal(tokenFromParameters("not json"), undefined);
    assert.equal(tokenFromParameters(undefined), undefined);
  });

  it("ends a state that was running when the execution was aborted, as failed", function () {
    const view = readHistory(
      history([{ type: "ExecutionStarted" }, entered("StartEtl"), { type: "ExecutionAborted", executionAbortedEventDetails: { error: "DemoStopped" } }]),
    );
    assert.deepEqual([view.status, view.failedState, view.visits[0].outcome], ["ABORTED", "StartEtl", "failed"]);
  });
});

describe("the demo's expectations", function () {
  const entry = (pattern: SummaryEntry["pattern"], status: SummaryEntry["status"], failedState: string | null = null): SummaryEntry => ({
    pattern,
    status,
    failedState,
    error: status === "SUCCEEDED" ? null : "E",
    cause: null,
    glueJobRunId: "jr_1",
    durationMs: 1,
  });

  it("accepts request-response FAILED at Validate and the others SUCCEEDED", function () {
    assert.deepEqual(
      differencesFromExpected([
        entry("request-response", "FAILED", "Validate"),
        entry("run-job", "SUCCEEDED"),
        entry("wait-for-callback", "SUCCEEDED"),
        entry("event-driven-callback", "SUCCEEDED"),
      ]),
      [],
    );
  });

  it("says what differed: a wrong state, a wrong status, a missing pattern", function () {
    assert.deepEqual(differencesFromExpected([entry("request-response", "FAILED", "StartEtl"), entry("run-job", "TIMED_OUT", "StartEtl")]), [
      "request-response: ended FAILED at StartEtl (E), expected FAILED at Validate",
      "run-job: ended TIMED_OUT at StartEtl (E), expected SUCCEEDED",
      "wait-for-callback: no execution (expected SUCCEEDED)",
      "event-driven-callback: no execution (expected SUCCEEDED)",
    ]);
  });

  it("writes a Lambda error's message as the cause, without its stack trace", function () {
    const view = readHistory(
      history([{ type: "ExecutionStarted" }, entered("Validate"), { type: "ExecutionFailed", executionFailedEventDetails: { error: "OutputInvalid", cause: lambdaCause("no manifest") } }]),
    );
    assert.deepEqual(summaryEntry("request-response", view, "jr_9"), {
      pattern: "request-response",
      status: "FAILED",
      failedState: "Validate",
      error: "OutputInvalid",
      cause: "no manifest",
      glueJobRunId: "jr_9",
      durationMs: 2000,
    });
  });
});
