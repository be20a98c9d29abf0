/** Glue job runs as Step Functions shows them in a task's output. */
import type { JobRun } from "../../sandbox/glue/glue-service";

/** Dates as Step Functions serializes them in task outputs: epoch milliseconds. */
export function jobRunOutput(run: JobRun): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(run)) out[key] = value instanceof Date ? value.getTime() : value;
  return out;
}

/**
 * Whether a run has ended. Read from the sandbox's Glue engine when a run is polled (it is loaded then), so
 * that loading the registry does not load the engine.
 */
export async function jobRunEnded(run: JobRun): Promise<boolean> {
  const { TERMINAL_STATES } = await import("../../sandbox/glue/glue-service");
  return TERMINAL_STATES.includes(run.JobRunState);
}
