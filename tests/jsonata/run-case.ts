import * as assert from "node:assert/strict";
import type { JsonObject } from "../../policy/analysis/walk";
import { JsonataInterpreter, type TaskCall } from "../../sandbox/sfn/jsonata/interpreter";
import { jsonataDefinitionErrors } from "../../sandbox/sfn/jsonata/validate";
import { unsupportedConstructs } from "../../sandbox/sfn/unsupported";

/** One conformance case: what AWS documents for a definition and an input, and the page that says so. */
export interface ConformanceCase {
  readonly name: string;
  /** The developer guide page the expected outcome comes from. */
  readonly page: string;
  readonly definition: JsonObject;
  readonly input?: unknown;
  /** Task states of the case, by name: a stand-in for the integration, returning what it is given. */
  readonly tasks?: Record<string, TaskCall>;
  readonly expected:
    | { readonly output: unknown }
    | { readonly error: string; readonly cause?: RegExp }
    | { readonly definitionError: RegExp }
    /** A property of the output, for values AWS documents by shape only ($uuid, $random). */
    | { readonly check: (output: unknown) => void };
}

export interface CaseOutcome {
  readonly status: "SUCCEEDED" | "FAILED" | "REFUSED";
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly refusal?: string;
  readonly events: readonly { type: string; name?: string }[];
}

export const CONTEXT = {
  Execution: { Id: "arn:aws:states:us-east-1:123456789012:execution:case:run-1", Name: "run-1", RoleArn: "arn:aws:iam::123456789012:role/case", StartTime: "2026-01-01T00:00:00.000Z" },
  StateMachine: { Id: "arn:aws:states:us-east-1:123456789012:stateMachine:case", Name: "case" },
};

/** Deploys (the sandbox's validation and refusal) and runs a case on the sandbox's JSONata interpreter. */
export async function runCase(testCase: ConformanceCase): Promise<CaseOutcome> {
  const refusals = [
    ...jsonataDefinitionErrors(testCase.definition).map((e) => `${e.state}: ${e.field}: ${e.message}`),
    ...unsupportedConstructs(testCase.definition).map((c) => `${c.state}: ${c.field}: ${c.reason}`),
  ];
  if (refusals.length > 0) return { status: "REFUSED", refusal: refusals.join("\n"), events: [] };
  let tokens = 0;
  const run = new JsonataInterpreter(testCase.definition).run(testCase.input ?? {}, {
    context: CONTEXT,
    tasks: testCase.tasks ?? {},
    issueTaskToken: (state) => `token-${state}-${++tokens}`,
    timeScale: 1,
  });
  const events: { type: string; name?: string }[] = [];
  let outcome: Omit<CaseOutcome, "events"> = { status: "FAILED", error: "no terminal event" };
  for await (const event of run.eventLogs) {
    events.push({ type: event.type, ...(event.state ? { name: event.state.name } : {}) });
    if (event.type === "ExecutionSucceeded") outcome = { status: "SUCCEEDED", output: event.output };
    if (event.type === "ExecutionFailed") outcome = { status: "FAILED", error: event.Error, cause: String(event.Cause) };
  }
  await run.result.catch(() => undefined);
  return { ...outcome, events };
}

/** Asserts the outcome AWS documents for the case: its refusal, its error (and cause), or its output. */
export function assertDocumentedOutcome(testCase: ConformanceCase, outcome: CaseOutcome): void {
  const expected = testCase.expected;
  if ("definitionError" in expected) {
    assert.equal(outcome.status, "REFUSED", `expected a refusal at deployment, got ${JSON.stringify(outcome)}`);
    assert.match(outcome.refusal ?? "", expected.definitionError);
  } else if ("error" in expected) {
    assert.equal(outcome.status, "FAILED", `expected ${expected.error}, got ${JSON.stringify(outcome)}`);
    assert.equal(outcome.error, expected.error, outcome.cause);
    if (expected.cause) assert.match(outcome.cause ?? "", expected.cause);
  } else {
    assert.equal(outcome.status, "SUCCEEDED", `${outcome.error}: ${outcome.cause ?? outcome.refusal}`);
    if ("output" in expected) assert.deepEqual(outcome.output, expected.output);
    else expected.check(outcome.output);
  }
}
