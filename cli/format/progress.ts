import { previewTaskToken } from "../../functions/check-file";
import type { ProgressListener } from "../ops/follow";
import { readableCause, visitDurationMs, type ExecutionView, type PendingCallback, type StateVisit } from "../ops/history";
import { formatDuration, oneLine, type Output } from "./text";

export const MARKS = { entered: "→", succeeded: "✓", failed: "✗", paused: "⏸" } as const;

/** Prints a line per state as it is entered and as it ends: mark, name, duration, and the error if any. */
export function progressPrinter(out: Output, indent = "  "): ProgressListener {
  return {
    stateEntered(visit: StateVisit) {
      if (visit.type === "Fail" || visit.type === "Succeed") return; // they end as they start: one line is enough
      out.line(`${indent}${MARKS.entered} ${visit.name}`);
    },
    stateEnded(visit: StateVisit) {
      out.line(`${indent}${describeVisit(visit)}`);
    },
    callbackPending(pending: PendingCallback) {
      out.line(`${indent}${MARKS.paused} ${pending.state} is waiting for a callback (token ${pending.token ? previewTaskToken(pending.token) : "not in the history"})`);
    },
  };
}

/** "✓ CheckFile  0.4s" or "✗ Validate  0.2s  ValidationFailed: No output for ...". */
export function describeVisit(visit: StateVisit): string {
  const mark = visit.outcome === "failed" ? MARKS.failed : visit.outcome === "succeeded" ? MARKS.succeeded : MARKS.entered;
  const kind = visit.type === "Fail" || visit.type === "Succeed" ? ` (${visit.type})` : "";
  const duration = visit.type === "Fail" || visit.type === "Succeed" ? "" : `  ${formatDuration(visitDurationMs(visit))}`;
  const retries = visit.attempts > 1 ? `  after ${visit.attempts} attempts` : "";
  const error =
    visit.outcome === "failed" && visit.error ? `  ${visit.error}: ${oneLine(readableCause(visit.cause) ?? "", 200)}` : "";
  return `${mark} ${visit.name.padEnd(16)}${kind}${duration}${retries}${error}`;
}

/** The execution's end, as one line. */
export function describeEnd(view: ExecutionView): string {
  const duration = view.startedAt && view.stoppedAt ? ` in ${formatDuration(view.stoppedAt.getTime() - view.startedAt.getTime())}` : "";
  if (view.status === "SUCCEEDED") return `${MARKS.succeeded} SUCCEEDED${duration}`;
  if (view.status === "RUNNING") return `${MARKS.entered} still RUNNING`;
  const where = view.failedState ? ` at ${view.failedState}` : "";
  const why = view.error ? `: ${view.error}${view.cause ? ` (${oneLine(readableCause(view.cause) ?? "", 300)})` : ""}` : "";
  return `${MARKS.failed} ${view.status}${where}${duration}${why}`;
}
