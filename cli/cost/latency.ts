/**
 * Completion latency the integration pattern adds after the Glue run ends. Pure.
 *
 * `.sync`: Step Functions learns that the run ended only at its next poll of the run; for Glue it polls
 * about once a minute for the first 10 minutes, then every 5 minutes. The state ends at the first poll at
 * or after the run's end. The Step Functions Developer Guide ("Run a Job (.sync)", "Start an AWS Glue job")
 * gives no interval: this schedule is the one an AWS Support answer on AWS re:Post states, an assumption.
 * Callback on the job's state-change event: Glue emits "Glue Job State Change" to EventBridge when the run
 * ends; a rule invokes a function that sends SendTaskSuccess. The lag is the event's delivery plus that
 * call; EventBridge delivers Glue's events on a best-effort basis with no published latency, so the
 * delivery time is an assumption given by the caller.
 */

export interface PollSchedule {
  /** Seconds between polls while the run is young. */
  readonly intervalSeconds: number;
  /** Until the run is this old (seconds since it started). */
  readonly untilSeconds: number;
  /** Seconds between polls afterwards. */
  readonly thenIntervalSeconds: number;
}

/** Step Functions' polling of a Glue run for `.sync` (not in the Developer Guide; AWS Support's answer on re:Post). */
export const GLUE_SYNC_POLLING: PollSchedule = { intervalSeconds: 60, untilSeconds: 600, thenIntervalSeconds: 300 };

/** Seconds after the run's start at which the run is polled and found ended (first poll at or after its end). */
export function syncDetectionSeconds(runSeconds: number, schedule: PollSchedule = GLUE_SYNC_POLLING): number {
  if (!(runSeconds >= 0)) throw new RangeError(`run time must be >= 0 s, got ${runSeconds}`);
  if (runSeconds <= schedule.untilSeconds) {
    // A run that ends between polls waits for the next one; a run that ends at once still waits for the first.
    return Math.max(1, Math.ceil(runSeconds / schedule.intervalSeconds - 1e-9)) * schedule.intervalSeconds;
  }
  const late = runSeconds - schedule.untilSeconds;
  return schedule.untilSeconds + Math.ceil(late / schedule.thenIntervalSeconds - 1e-9) * schedule.thenIntervalSeconds;
}

/** Seconds `.sync` adds between the run's end and the state's end. */
export function syncAddedSeconds(runSeconds: number, schedule: PollSchedule = GLUE_SYNC_POLLING): number {
  return syncDetectionSeconds(runSeconds, schedule) - runSeconds;
}

/**
 * The mean lag `.sync` adds when the run's end falls anywhere in a polling interval: half the interval
 * (30 s for runs under 10 minutes, 150 s for longer ones).
 */
export function meanSyncAddedSeconds(runSeconds: number, schedule: PollSchedule = GLUE_SYNC_POLLING): number {
  return (runSeconds < schedule.untilSeconds ? schedule.intervalSeconds : schedule.thenIntervalSeconds) / 2;
}

export interface CallbackLatency {
  /** Assumed EventBridge delivery of the state-change event, seconds. */
  readonly eventDeliverySeconds: number;
  /** The function that sends SendTaskSuccess, seconds (measured: a Lambda invocation's duration). */
  readonly senderSeconds: number;
}

/** Seconds a callback sent on the job's state-change event adds after the run's end. */
export function callbackAddedSeconds(latency: CallbackLatency): number {
  if (!(latency.eventDeliverySeconds >= 0) || !(latency.senderSeconds >= 0)) {
    throw new RangeError(`callback latency parts must be >= 0 s, got ${JSON.stringify(latency)}`);
  }
  return latency.eventDeliverySeconds + latency.senderSeconds;
}

/**
 * The event path, measured: seconds from the Glue run's end (CompletedOn) to the end of the task that waited
 * for its state-change event (the callback's SendTaskSuccess or SendTaskFailure arrived).
 */
export function eventPathSeconds(runCompletedAtMs: number, taskEndedAtMs: number): number {
  if (!Number.isFinite(runCompletedAtMs) || !Number.isFinite(taskEndedAtMs)) throw new RangeError("event path needs the run's end and the task's end");
  return Math.max(0, taskEndedAtMs - runCompletedAtMs) / 1000;
}
