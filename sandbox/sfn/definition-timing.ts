import { isObject, walkDefinition, type JsonObject } from "../../policy/analysis/walk";

/**
 * Stands for "no timeout" (AWS lets a Task wait until the execution's own timeout, up to a year). Kept
 * under the 24.8-day ceiling of a Node timer, past which a timer fires at once.
 */
export const NO_TIMEOUT_SECONDS = 2_000_000;

/** The interpreter's default retry interval when a retrier sets none, as in AWS. */
const DEFAULT_RETRY_INTERVAL_SECONDS = 1;

const scaled = (seconds: number, timeScale: number) => Math.max(seconds * timeScale, 0.001);

/**
 * A copy of a definition for the interpreter, with every literal duration multiplied by `timeScale`:
 * Task TimeoutSeconds (absent means no timeout, as in AWS, not the interpreter's 60 s), Retry intervals
 * and maximum delays, Wait Seconds and the execution's TimeoutSeconds. Durations read from the input
 * (TimeoutSecondsPath, SecondsPath, Timestamp...) are left as they are. HeartbeatSeconds is enforced by
 * the sandbox's callback handling, which scales it itself.
 */
export function scaleDefinitionTiming(definition: JsonObject, timeScale: number): JsonObject {
  const copy = structuredClone(definition);
  if (typeof copy.TimeoutSeconds === "number") copy.TimeoutSeconds = scaled(copy.TimeoutSeconds, timeScale);
  for (const { state } of walkDefinition(copy).states) {
    // A JSONata expression (a string) is scaled by the JSONata interpreter once evaluated.
    if (state.Type === "Task" && state.TimeoutSecondsPath === undefined && typeof state.TimeoutSeconds !== "string") {
      state.TimeoutSeconds = typeof state.TimeoutSeconds === "number" ? scaled(state.TimeoutSeconds, timeScale) : NO_TIMEOUT_SECONDS;
    }
    if (state.Type === "Wait" && typeof state.Seconds === "number" && state.Seconds > 0) {
      state.Seconds = scaled(state.Seconds, timeScale);
    }
    if (Array.isArray(state.Retry)) {
      for (const retrier of state.Retry) {
        if (!isObject(retrier)) continue;
        const interval = typeof retrier.IntervalSeconds === "number" ? retrier.IntervalSeconds : DEFAULT_RETRY_INTERVAL_SECONDS;
        retrier.IntervalSeconds = scaled(interval, timeScale);
        if (typeof retrier.MaxDelaySeconds === "number") retrier.MaxDelaySeconds = scaled(retrier.MaxDelaySeconds, timeScale);
      }
    }
  }
  return copy;
}
