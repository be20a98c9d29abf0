/**
 * The demo `npm start` runs: the three integration patterns, then the event-driven callback, one after the
 * other, on one target, with a line per state as it happens; then summary.json's entries and the report's data.
 */
import { StopExecutionCommand } from "@aws-sdk/client-sfn";
import type { JobRun } from "@aws-sdk/client-glue";
import { PATTERN_NAMES, type PatternName } from "../../components/patternNames";
import { previewTaskToken } from "../../functions/check-file";
import { describeError } from "../errors";
import { describeEnd, progressPrinter } from "../format/progress";
import { formatDuration, type Output } from "../format/text";
import { approveExecution, rejectExecution } from "../ops/approve";
import { getJobRun, runDurationMs, startJobRun, TERMINAL_RUN_STATES, waitForJobRun } from "../ops/etl";
import { fetchHistory, machineDefinition, startPattern } from "../ops/executions";
import { followExecution } from "../ops/follow";
import { readHistory, type ExecutionView } from "../ops/history";
import { verifyJobRun } from "../ops/verify";
import { buildReportExecution, glueRunIdsOf, type ReportData } from "../report/model";
import type { Target } from "../targets/target";
import { describeExpected, differencesFromExpected, EXPECTED, summaryEntry, type DemoSummary } from "./expectations";

export interface DemoOptions {
  readonly out: Output;
  /** Step 1: deploys (or connects to) the target, reporting progress through `progress`. */
  readonly openTarget: (progress: (message: string) => void) => Promise<Target>;
  /** Asks the operator before approving; absent without a TTY, and then a verified run is approved. */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** How long to wait for the callback task to pause. */
  readonly pauseTimeoutMs?: number;
  /** How long to wait, before reporting, for Glue runs still in flight (request-response's own run). */
  readonly settleRunsTimeoutMs?: number;
}

export interface DemoResult {
  readonly summary: DemoSummary;
  /** What differs from the lab's expectations; empty when every pattern ended as expected. */
  readonly differences: readonly string[];
  readonly report: ReportData;
}

const STEPS = 8;

function step(out: Output, n: number, title: string): void {
  out.line();
  out.line(`[${n}/${STEPS}] ${title}`);
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Rows in/kept/filtered/rejected from an execution's output ($.validation.report, validate-output's result). */
export function rowsLine(view: ExecutionView): string | undefined {
  const report = (parseJson(view.output)?.validation as { report?: Record<string, unknown> } | undefined)?.report;
  if (!report) return undefined;
  return `rows: ${String(report.inputRows)} in, ${String(report.kept)} kept, ${String(report.filteredOut)} filtered out, ${String(report.rejected)} rejected`;
}

async function runStep(out: Output, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    out.line(`  ✗ ${describeError(error)}`);
  }
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { out } = options;
  out.line("sfn-lab demo: the three Step Functions service integration patterns, with a Glue ETL job, and the event-driven callback");

  step(out, 1, "Deploy");
  const target = await options.openTarget((message) => out.line(`  … ${message}`));
  out.line(`  ✓ ${target.description}: job ${target.outputs.jobName}, bucket ${target.outputs.bucketName} (data ${target.outputs.dataKey})`);
  for (const pattern of PATTERN_NAMES) out.line(`    ${pattern.padEnd(21)} ${target.outputs.stateMachineArns[pattern]}`);
  try {
    return await runPatterns(target, options);
  } finally {
    await target.close();
  }
}

/** Steps 2 to 8 on an open target, then the summary. */
async function runPatterns(target: Target, options: DemoOptions): Promise<DemoResult> {
  const { out } = options;
  const executions = new Map<PatternName, string>();
  const printer = progressPrinter(out, "  ");

  step(out, 2, `Request Response: start the Glue job, do not wait (expected: ${describeExpected(EXPECTED["request-response"])})`);
  await runStep(out, async () => {
    const arn = await startPattern(target, "request-response");
    executions.set("request-response", arn);
    const view = await followExecution(target, arn, printer);
    out.line(`  ${describeEnd(view)}`);
    const runId = glueRunIdsOf(await fetchHistory(target, arn))[0];
    if (view.status === "FAILED" && view.failedState === "Validate" && runId) {
      const run = await getJobRun(target, runId);
      out.line(`  This is the lesson: Validate ran while Glue run ${runId.slice(0, 12)}… was ${run.JobRunState}; nothing waited for it.`);
    }
  });

  step(out, 3, `Run a Job (.sync): wait for the Glue run, then validate (expected: ${describeExpected(EXPECTED["run-job"])})`);
  await runStep(out, async () => {
    const arn = await startPattern(target, "run-job");
    executions.set("run-job", arn);
    const view = await followExecution(target, arn, printer);
    out.line(`  ${describeEnd(view)}`);
    const rows = rowsLine(view);
    const runId = glueRunIdsOf(await fetchHistory(target, arn))[0];
    const duration = runId ? runDurationMs(await getJobRun(target, runId)) : undefined;
    if (rows) out.line(`  ${rows}`);
    if (runId) out.line(`  Glue run ${runId.slice(0, 12)}… took ${duration === undefined ? "?" : formatDuration(duration)}`);
  });

  step(out, 4, "Wait for Callback: the execution pauses with a task token (expected: paused)");
  let paused: ExecutionView | undefined;
  await runStep(out, async () => {
    const arn = await startPattern(target, "wait-for-callback");
    executions.set("wait-for-callback", arn);
    const view = await followExecution(target, arn, printer, {
      until: (v) => v.pendingCallback !== undefined,
      timeoutMs: options.pauseTimeoutMs ?? 120_000,
    });
    if (view.pendingCallback?.token) {
      paused = view;
      out.line(`  ✓ paused at ${view.pendingCallback.state}; token ${previewTaskToken(view.pendingCallback.token)} found in the execution history (TaskScheduled parameters)`);
    } else {
      out.line(`  ✗ not paused on a callback: ${describeEnd(view)}`);
    }
  });

  step(out, 5, "Run the ETL job outside the state machine");
  let runId: string | undefined;
  await runStep(out, async () => {
    runId = await startJobRun(target);
    out.line(`  started Glue run ${runId}`);
    const states: string[] = [];
    const run = await waitForJobRun(target, runId, (r) => states.push(r.JobRunState ?? "?"));
    const duration = runDurationMs(run);
    out.line(`  ${run.JobRunState === "SUCCEEDED" ? "✓" : "✗"} ${states.join(" → ")}${duration === undefined ? "" : ` in ${formatDuration(duration)}`}${run.ErrorMessage ? `: ${run.ErrorMessage}` : ""}`);
  });

  step(out, 6, "Verify the run's output (the run SUCCEEDED; manifest, counts, header, every row against the filter)");
  let verified = false;
  await runStep(out, async () => {
    const verification = await verifyJobRun(target, runId);
    verified = verification.ok;
    if (verification.ok) {
      const r = verification.result;
      out.line(`  ✓ output validates: ${r.inputRows} rows in = ${r.kept} kept + ${r.filteredOut} filtered out + ${r.rejected} rejected`);
    } else {
      out.line(`  ✗ ${verification.reason}`);
    }
  });

  step(out, 7, "Approve the paused task: SendTaskSuccess with the run id, then Validate runs");
  await runStep(out, async () => {
    const arn = executions.get("wait-for-callback");
    if (!arn || !paused) {
      out.line("  ✗ nothing to approve: the callback task never paused");
      return;
    }
    let approve = verified;
    if (verified && options.confirm) {
      approve = await options.confirm(`  Approve ${paused.pendingCallback?.state} with Glue run ${runId}? [y/n] `);
    }
    if (approve && runId) {
      await approveExecution(target, arn, { verify: false, jobRunId: runId });
      out.line(`  ✓ SendTaskSuccess {"JobRunId":"${runId.slice(0, 12)}…"} sent${options.confirm ? "" : " (no TTY: approved because the verification passed)"}`);
    } else {
      const cause = verified ? "the operator declined in the demo" : "the Glue run or its output did not verify";
      await rejectExecution(target, arn, verified ? "OperatorDeclined" : "VerificationFailed", cause);
      out.line(`  ✗ SendTaskFailure sent: ${cause}`);
    }
    const view = await followExecution(target, arn, printer, { resumeFrom: paused });
    out.line(`  ${describeEnd(view)}`);
  });

  step(out, 8, `Event-driven callback: the Glue run's own state-change event sends the token back (expected: ${describeExpected(EXPECTED["event-driven-callback"])})`);
  await runStep(out, async () => {
    const arn = await startPattern(target, "event-driven-callback");
    executions.set("event-driven-callback", arn);
    const view = await followExecution(target, arn, printer);
    out.line(`  ${describeEnd(view)}`);
    const rows = rowsLine(view);
    if (rows) out.line(`  ${rows}`);
    const events = await fetchHistory(target, arn);
    const eventRunId = glueRunIdsOf(events)[0];
    const resumedAt = events.find((e) => e.type === "TaskSucceeded" && e.taskSucceededEventDetails?.resource === "startJobRun.waitForTaskToken")?.timestamp;
    const run = eventRunId ? await getJobRun(target, eventRunId) : undefined;
    if (run?.CompletedOn && resumedAt) {
      const lagMs = new Date(resumedAt).getTime() - new Date(run.CompletedOn).getTime();
      out.line(`  Glue run ${eventRunId?.slice(0, 12)}… ended; its Glue Job State Change event resumed StartEtl ${formatDuration(Math.max(0, lagMs))} later (no polling, no operator)`);
    }
  });

  return finish(target, executions, options);
}

/** Ends what is still running, then reads every execution for summary.json and the report. */
async function finish(target: Target, executions: Map<PatternName, string>, options: DemoOptions): Promise<DemoResult> {
  const { out } = options;
  const entries = [];
  const reportExecutions = [];
  for (const [pattern, arn] of executions) {
    let events = await fetchHistory(target, arn);
    if (readHistory(events).status === "RUNNING") {
      out.line(`  stopping ${pattern}, still RUNNING at the end of the demo`);
      await target.sfn.send(new StopExecutionCommand({ executionArn: arn, error: "DemoStopped", cause: "still running when the demo ended" }));
      events = await waitUntilStopped(target, arn);
    }
    const runIds = glueRunIdsOf(events);
    const runs = await settleRuns(target, runIds, options.settleRunsTimeoutMs ?? 0);
    entries.push(summaryEntry(pattern, readHistory(events), runIds[0]));
    reportExecutions.push(buildReportExecution(pattern, arn, await machineDefinition(target, target.outputs.stateMachineArns[pattern]), events, runs));
  }
  const differences = differencesFromExpected(entries);
  out.line();
  out.line("Summary");
  for (const entry of entries) {
    const expected = EXPECTED[entry.pattern];
    const ok = !differences.some((d) => d.startsWith(`${entry.pattern}:`));
    const ended = `${entry.status}${entry.failedState ? ` at ${entry.failedState}` : ""}`;
    out.line(`  ${ok ? "✓" : "✗"} ${entry.pattern.padEnd(21)} ${ended.padEnd(22)} expected ${describeExpected(expected)}: ${expected.because}`);
  }
  for (const difference of differences) out.line(`  ✗ ${difference}`);
  return {
    summary: { executions: entries },
    differences,
    report: {
      title: "Step Functions service integration patterns: demo report",
      generatedAt: new Date().toISOString(),
      target: target.description,
      executions: reportExecutions,
    },
  };
}

async function waitUntilStopped(target: Target, arn: string) {
  for (;;) {
    const events = await fetchHistory(target, arn);
    if (readHistory(events).status !== "RUNNING") return events;
    await new Promise((resolve) => setTimeout(resolve, target.pollIntervalMs));
  }
}

/** The runs, after waiting up to `timeoutMs` for those still in flight (so the report shows their end). */
async function settleRuns(target: Target, runIds: readonly string[], timeoutMs: number): Promise<JobRun[]> {
  const runs: JobRun[] = [];
  for (const id of runIds) {
    const run = await getJobRun(target, id);
    if (TERMINAL_RUN_STATES.has(run.JobRunState ?? "") || timeoutMs <= 0) {
      runs.push(run);
      continue;
    }
    try {
      runs.push(await waitForJobRun(target, id, undefined, timeoutMs));
    } catch {
      runs.push(await getJobRun(target, id));
    }
  }
  return runs;
}
