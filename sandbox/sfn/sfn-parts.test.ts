import * as assert from "node:assert/strict";
import { AwsServiceError } from "../aws-error";
import { serialize } from "../endpoints/json-protocol";
import { NO_TIMEOUT_SECONDS, scaleDefinitionTiming } from "./definition-timing";
import { TaskTokenRegistry } from "./task-tokens";

describe("scaleDefinitionTiming", () => {
  const definition = {
    TimeoutSeconds: 3600,
    StartAt: "Fan",
    States: {
      Fan: {
        Type: "Parallel",
        Retry: [{ ErrorEquals: ["States.ALL"], MaxDelaySeconds: 60 }],
        Branches: [
          {
            StartAt: "Call",
            States: {
              Call: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", TimeoutSeconds: 60, HeartbeatSeconds: 30, Retry: [{ ErrorEquals: ["X"], IntervalSeconds: 10 }], End: true },
            },
          },
          { StartAt: "Pause", States: { Pause: { Type: "Wait", Seconds: 100, Next: "Forever" }, Forever: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } } },
        ],
        End: true,
      },
    },
  };

  /** The value at a path of keys and indexes in a JSON value. */
  const at = (value: unknown, ...keys: (string | number)[]): unknown =>
    keys.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], value);

  it("multiplies every literal duration, at any depth, and leaves the original alone", () => {
    const scaled = scaleDefinitionTiming(definition, 0.01);
    const branch = (i: number, state: string, ...rest: (string | number)[]) => at(scaled, "States", "Fan", "Branches", i, "States", state, ...rest);
    assert.equal(scaled.TimeoutSeconds, 36);
    assert.equal(branch(0, "Call", "TimeoutSeconds"), 0.6);
    assert.equal(branch(0, "Call", "Retry", 0, "IntervalSeconds"), 0.1);
    assert.equal(branch(0, "Call", "HeartbeatSeconds"), 30, "heartbeats are scaled by the callback handling");
    assert.equal(branch(1, "Pause", "Seconds"), 1);
    assert.equal(branch(1, "Forever", "TimeoutSeconds"), NO_TIMEOUT_SECONDS);
    assert.deepEqual(at(scaled, "States", "Fan", "Retry", 0), { ErrorEquals: ["States.ALL"], MaxDelaySeconds: 0.6, IntervalSeconds: 0.01 });
    assert.equal(at(definition, "States", "Fan", "Branches", 0, "States", "Call", "TimeoutSeconds"), 60);
  });
});

describe("TaskTokenRegistry", () => {
  const code = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      return error instanceof AwsServiceError ? error.code : String(error);
    }
    return "no error";
  };

  it("delivers a callback to the waiting task, even one that came before the wait", async () => {
    const tokens = new TaskTokenRegistry();
    const early = tokens.issue("arn:exec", "A");
    tokens.succeed(early, '{"ok":1}');
    assert.deepEqual(await tokens.wait(early, () => undefined), { kind: "success", outputJson: '{"ok":1}' });
    const late = tokens.issue("arn:exec", "B");
    const waiting = tokens.wait(late, () => undefined);
    tokens.fail(late, "Rejected", "because");
    assert.deepEqual(await waiting, { kind: "failure", error: "Rejected", cause: "because" });
  });

  it("answers like Step Functions: unknown -> InvalidToken, used or closed -> TaskTimedOut, bad JSON -> InvalidOutput", () => {
    const tokens = new TaskTokenRegistry();
    const token = tokens.issue("arn:exec", "A");
    assert.equal(code(() => tokens.succeed("nope", "{}")), "InvalidToken");
    assert.equal(code(() => tokens.succeed(token, "{not json")), "InvalidOutput");
    let beats = 0;
    void tokens.wait(token, () => beats++);
    tokens.heartbeat(token);
    assert.equal(beats, 1);
    tokens.succeed(token, "{}");
    assert.equal(code(() => tokens.succeed(token, "{}")), "TaskTimedOut");
    assert.equal(code(() => tokens.heartbeat(token)), "TaskTimedOut");
    const closed = tokens.issue("arn:exec", "B");
    tokens.close(closed);
    assert.equal(code(() => tokens.fail(closed, "E", "C")), "TaskTimedOut");
    assert.notEqual(tokens.issue("arn:exec", "C"), tokens.issue("arn:exec", "C"));
  });
});

describe("AWS JSON protocol serialization", () => {
  it("writes timestamps as epoch seconds, nested too", () => {
    assert.equal(serialize({ startDate: new Date(1_700_000_000_500), events: [{ timestamp: new Date(0) }] }), '{"startDate":1700000000.5,"events":[{"timestamp":0}]}');
  });
});
