import { SendTaskFailureCommand, SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import type { PatternName } from "../../components/patternNames";
import { CliError } from "../errors";
import { listMachines, patternOfMachine } from "../targets/machines";
import type { Target } from "../targets/target";
import { readExecution, runningExecutions } from "./executions";
import type { PendingCallback } from "./history";

export interface PausedTask extends PendingCallback {
  readonly executionArn: string;
  /** The state machine's name. */
  readonly machine: string;
  /** The lab pattern it runs, when the deployed program is the lab. */
  readonly pattern?: PatternName;
}

/**
 * Paused callback tasks: RUNNING executions of every deployed machine whose history has a `.waitForTaskToken`
 * task scheduled and not yet ended. The token comes from that TaskScheduled event's parameters.
 */
export async function listPausedTasks(target: Target): Promise<PausedTask[]> {
  const paused: PausedTask[] = [];
  for (const machine of await listMachines(target)) {
    const pattern = patternOfMachine(target, machine.arn);
    for (const execution of await runningExecutions(target, machine.arn)) {
      if (!execution.executionArn) continue;
      const view = await readExecution(target, execution.executionArn);
      if (view.pendingCallback) paused.push({ ...view.pendingCallback, executionArn: execution.executionArn, machine: machine.name, ...(pattern ? { pattern } : {}) });
    }
  }
  return paused.sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime());
}

/** The token of the task an execution is paused on, or a CliError saying why there is none. */
export async function pausedToken(target: Target, executionArn: string): Promise<{ token: string; pending: PendingCallback }> {
  const view = await readExecution(target, executionArn);
  if (view.status !== "RUNNING") throw new CliError(`Execution ${executionArn} is ${view.status}; there is no task to send a result to`);
  const pending = view.pendingCallback;
  if (!pending) throw new CliError(`Execution ${executionArn} is RUNNING but not paused on a callback task (.waitForTaskToken)`);
  if (!pending.token) {
    throw new CliError(`Execution ${executionArn} is paused at ${pending.state}, but its history does not show the task token (run with execution data included)`);
  }
  return { token: pending.token, pending };
}

export async function sendSuccess(target: Target, token: string, output: unknown): Promise<void> {
  await target.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
}

export async function sendFailure(target: Target, token: string, error: string, cause: string): Promise<void> {
  await target.sfn.send(new SendTaskFailureCommand({ taskToken: token, error, cause }));
}
