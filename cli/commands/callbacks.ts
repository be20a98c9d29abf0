import type { Command } from "commander";
import { previewTaskToken } from "../../functions/check-file";
import { consoleOutput, formatDuration, type Output } from "../format/text";
import { listPausedTasks, type PausedTask } from "../ops/callbacks";
import { addTargetOptions, targetOptionsOf, withTarget } from "../targets";

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
    out.line(`    pattern ${task.pattern}, state ${task.state}, waiting ${formatDuration(now.getTime() - task.scheduledAt.getTime())}, token ${token}`);
  }
}

export function registerCallbacks(program: Command): void {
  addTargetOptions(
    program
      .command("callbacks")
      .description("list the paused callback tasks (.waitForTaskToken) of the lab's machines, with the token read from each execution's history")
      .option("--show-token", "print the full task tokens (anyone holding one can resume or fail the execution)", false),
  ).action(async (opts: { showToken: boolean }, command: Command) => {
    await withTarget(targetOptionsOf(command), async (target) => {
      printPausedTasks(await listPausedTasks(target), consoleOutput, opts.showToken);
    });
  });
}
