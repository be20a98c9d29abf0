import type { Target } from "../targets/target";
import { readExecution } from "./executions";
import type { ExecutionView, PendingCallback, StateVisit } from "./history";

/** What a follower reports while an execution runs; every method is optional. */
export interface ProgressListener {
  stateEntered?(visit: StateVisit): void;
  stateEnded?(visit: StateVisit): void;
  callbackPending?(pending: PendingCallback): void;
}

export interface FollowOptions {
  /** Stop following early when this says so (e.g. once a callback task is waiting). */
  readonly until?: (view: ExecutionView) => boolean;
  /** Give up after this long; the view returned is then still RUNNING. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** A view already reported by an earlier follow: its states are not reported again. */
  readonly resumeFrom?: ExecutionView;
}

function pendingKeyOf(pending: PendingCallback): string {
  return `${pending.state}@${pending.scheduledAt.getTime()}`;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Polls an execution's history and reports each state as it is entered and ends, until the execution
 * stops (or `until` holds, or the timeout passes). Returns the last view.
 */
export async function followExecution(
  target: Target,
  executionArn: string,
  listener: ProgressListener = {},
  options: FollowOptions = {},
): Promise<ExecutionView> {
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  const earlier = options.resumeFrom;
  let entered = earlier?.visits.length ?? 0;
  let ended = earlier?.visits.filter((v) => v.outcome !== "running").length ?? 0;
  let pendingReported = earlier?.pendingCallback ? pendingKeyOf(earlier.pendingCallback) : undefined;
  for (;;) {
    const view = await readExecution(target, executionArn);
    // Report in visit order: a state's end before the next one's start.
    while (ended < view.visits.length || entered < view.visits.length) {
      if (entered <= ended && entered < view.visits.length) {
        listener.stateEntered?.(view.visits[entered]);
        entered++;
      } else if (ended < entered && view.visits[ended].outcome !== "running") {
        listener.stateEnded?.(view.visits[ended]);
        ended++;
      } else {
        break;
      }
    }
    const pending = view.pendingCallback;
    const pendingKey = pending ? pendingKeyOf(pending) : undefined;
    if (pending && pendingKey !== pendingReported) {
      pendingReported = pendingKey;
      listener.callbackPending?.(pending);
    }
    if (view.status !== "RUNNING" || options.until?.(view) || Date.now() >= deadline || options.signal?.aborted) {
      return view;
    }
    await sleep(target.pollIntervalMs, options.signal);
  }
}
