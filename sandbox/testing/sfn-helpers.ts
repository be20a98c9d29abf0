import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
  type SFNClient,
} from "@aws-sdk/client-sfn";

/** Polls DescribeExecution until the execution leaves RUNNING. */
export async function waitForExecution(sfn: SFNClient, executionArn: string, timeoutMs = 60_000): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const description = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (description.status !== "RUNNING") return description;
    if (Date.now() > deadline) throw new Error(`Execution ${executionArn} still RUNNING after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/**
 * The task token of a paused callback task, read from history as an operator would: the newest
 * TaskScheduled event of a .waitForTaskToken resource, with the token in its parameters. With
 * `paused: false` it does not wait for the task to be submitted (its invocation to return).
 */
export async function waitForTaskToken(sfn: SFNClient, executionArn: string, options: { timeoutMs?: number; paused?: boolean } = {}): Promise<string> {
  const { timeoutMs = 30_000, paused = true } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await history(sfn, executionArn);
    const submitted = !paused || events.some((e) => e.type === "TaskSubmitted" && e.taskSubmittedEventDetails?.resource?.endsWith(".waitForTaskToken"));
    const scheduled = [...events].reverse().find((e) => e.type === "TaskScheduled" && e.taskScheduledEventDetails?.resource?.endsWith(".waitForTaskToken"));
    if (submitted && scheduled) {
      const token = findToken(JSON.parse(scheduled.taskScheduledEventDetails?.parameters ?? "{}"));
      if (token) return token;
    }
    if (Date.now() > deadline) throw new Error(`No paused callback task in ${executionArn} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function findToken(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (/^task_?token$/i.test(key) && typeof inner === "string") return inner;
    const nested = findToken(inner);
    if (nested) return nested;
  }
  return undefined;
}

/** The state whose task failed last, and the error it failed with. */
export function lastTaskFailure(events: HistoryEvent[]): { state?: string; error?: string; cause?: string } {
  let state: string | undefined;
  let failure: { state?: string; error?: string; cause?: string } = {};
  for (const event of events) {
    if (event.stateEnteredEventDetails?.name) state = event.stateEnteredEventDetails.name;
    const details = event.taskFailedEventDetails ?? event.taskTimedOutEventDetails ?? event.lambdaFunctionFailedEventDetails;
    if (details) failure = { state, error: details.error, cause: details.cause };
  }
  return failure;
}
