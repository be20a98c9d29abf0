/** How the lab expects each pattern to end, and the demo's summary.json entries. Pure. */
import type { PatternName } from "../../components/patternNames";
import { readableCause, type ExecutionView } from "../ops/history";

export type FinalStatus = "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

/** One line of summary.json, keys in the documented order; `cause` is the readable message (a Lambda error's errorMessage). */
export interface SummaryEntry {
  readonly pattern: PatternName;
  readonly status: FinalStatus;
  readonly failedState: string | null;
  readonly error: string | null;
  readonly cause: string | null;
  readonly glueJobRunId: string | null;
  readonly durationMs: number;
}

export interface DemoSummary {
  readonly executions: readonly SummaryEntry[];
}

export interface Expectation {
  readonly status: FinalStatus;
  readonly failedState?: string;
  /** Why, for the operator. */
  readonly because: string;
}

export const EXPECTED: Readonly<Record<PatternName, Expectation>> = {
  "request-response": {
    status: "FAILED",
    failedState: "Validate",
    because: "request-response does not wait for the Glue run, so Validate runs before the run has written its output",
  },
  "run-job": { status: "SUCCEEDED", because: ".sync waits for the Glue run to end before Validate runs" },
  "wait-for-callback": { status: "SUCCEEDED", because: "the operator verified the externally run job and sent the token back" },
  "event-driven-callback": { status: "SUCCEEDED", because: "the job's state-change event reached the callback function, which verified the run and sent the token back" },
};

export function summaryEntry(pattern: PatternName, view: ExecutionView, glueJobRunId: string | undefined): SummaryEntry {
  if (view.status === "RUNNING") throw new Error(`summaryEntry: the ${pattern} execution is still RUNNING; stop it first`);
  const durationMs = view.startedAt && view.stoppedAt ? view.stoppedAt.getTime() - view.startedAt.getTime() : 0;
  return {
    pattern,
    status: view.status,
    failedState: view.failedState ?? null,
    error: view.error ?? null,
    // A Lambda error's cause is JSON with a stack trace; the message is what an operator reads.
    cause: readableCause(view.cause) ?? null,
    glueJobRunId: glueJobRunId ?? null,
    durationMs,
  };
}

/** What differs from the lab's expectations, one sentence per difference; empty when all is as expected. */
export function differencesFromExpected(entries: readonly SummaryEntry[]): string[] {
  const differences: string[] = [];
  for (const [pattern, expected] of Object.entries(EXPECTED) as [PatternName, Expectation][]) {
    const entry = entries.find((e) => e.pattern === pattern);
    if (!entry) {
      differences.push(`${pattern}: no execution (expected ${describeExpected(expected)})`);
      continue;
    }
    const where = entry.failedState ? ` at ${entry.failedState}` : "";
    const why = entry.error ? ` (${entry.error})` : "";
    if (entry.status !== expected.status || (expected.failedState !== undefined && entry.failedState !== expected.failedState)) {
      differences.push(`${pattern}: ended ${entry.status}${where}${why}, expected ${describeExpected(expected)}`);
    }
  }
  return differences;
}

export function describeExpected(expected: Expectation): string {
  return `${expected.status}${expected.failedState ? ` at ${expected.failedState}` : ""}`;
}
