import type { Command } from "commander";
import { previewTaskToken } from "../../functions/check-file";
import { consoleOutput, formatDuration, type Output } from "../format/text";
import { listPausedTasks, type PausedTask } from "../ops/callbacks";
import { targetOptionsOf, withRunningTarget } from "../targets";

/** The paused tasks as text; the full token only when asked for (a token lets its holder resume the execution). */
export function printPausedTasks(tasks: readonly PausedTask[], out: Output, showToken: boolean, now = new Date()): void {
  if (tasks.length === 0) {
    out.line("No paused callback tasks.");
    return;
  }
  out.line(`${tasks.length} paused callback task(s):`);
  for (const task of tasks) {
    const token = task.token === undefined ? "not in the history" : showToken ? task.token : previewTaskToken(task.token);
    out.line(`  ${task.executionArn}`);
    out.line(`    ${task.pattern ? `pattern ${task.pattern}` : `machine ${task.machine}`}, state ${task.state}, waiting ${formatDuration(now.getTime() - task.scheduledAt.getTime())}, token ${token}`);
  }
}

/** `sfn-lab callbacks`. */
export async function callbacksCommand(opts: { showToken: boolean }, command: Command): Promise<void> {
  await withRunningTarget(targetOptionsOf(command), "callbacks", async (target) => {
    printPausedTasks(await listPausedTasks(target), consoleOutput, opts.showToken);
  });
}
