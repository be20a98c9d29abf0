import type { Command } from "commander";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { createInterface } from "node:readline/promises";
import { runDemo, type DemoResult } from "../demo/run-demo";
import { consoleOutput, type Output } from "../format/text";
import { renderReport } from "../report/render";
import { loadProgramModel } from "../../sandbox/model";
import { UsageError } from "../errors";
import { openTarget, targetOptionsOf, type TargetOptions } from "../targets";

export interface DemoCommandOptions {
  readonly outDir: string;
  readonly target: TargetOptions;
  readonly glueStartupDelayMs?: number;
  readonly syncPollDelayMs?: number;
  /** Ask before approving (a person at a terminal); otherwise approve a run that verified. */
  readonly interactive: boolean;
  readonly out?: Output;
  /** State folder of the sandbox (tests use their own). */
  readonly stateDir?: string;
  /** Sandbox: the machines' query language, overriding the stack config `queryLanguage`. */
  readonly queryLanguage?: string;
}

/** True when nobody can answer a prompt: CI, or stdin/stdout not a terminal. */
export function isInteractive(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== "" && env.CI !== "false" && env.CI !== "0";
  return !ci && process.stdin.isTTY === true && process.stdout.isTTY === true;
}

async function ask(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

/** Runs the demo, writes DIR/summary.json and DIR/report.html; returns the result (differences empty = as expected). */
export async function demo(options: DemoCommandOptions): Promise<DemoResult> {
  const out = options.out ?? consoleOutput;
  const aws = options.target.target === "aws";
  if (aws && options.queryLanguage !== undefined) {
    throw new UsageError("--query-language applies to the sandbox; on AWS set the stack config queryLanguage and run pulumi up");
  }
  const model =
    options.queryLanguage !== undefined ? await loadProgramModel({ stack: options.target.stack ?? "dev", config: { queryLanguage: options.queryLanguage } }) : undefined;
  const result = await runDemo({
    out,
    openTarget: (progress) =>
      openTarget(options.target, {
        fresh: true,
        stateDir: options.stateDir,
        glueStartupDelayMs: options.glueStartupDelayMs,
        syncPollDelayMs: options.syncPollDelayMs,
        onProgress: progress,
        ...(model ? { model } : {}),
      }),
    confirm: options.interactive ? ask : undefined,
    // The sandbox finishes request-response's own run in seconds; on AWS it would hold the terminal for minutes.
    settleRunsTimeoutMs: aws ? 0 : 120_000,
    pauseTimeoutMs: aws ? 600_000 : 120_000,
  });
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(path.join(options.outDir, "summary.json"), `${JSON.stringify(result.summary, null, 2)}\n`);
  writeFileSync(path.join(options.outDir, "report.html"), renderReport(result.report));
  const shown = path.relative(process.cwd(), options.outDir) || ".";
  out.line();
  out.line(`Wrote ${path.join(shown, "summary.json")} and ${path.join(shown, "report.html")}`);
  out.line(result.differences.length === 0 ? "Every pattern ended as the lab expects." : `${result.differences.length} pattern(s) did not end as the lab expects.`);
  return result;
}

/** `sfn-lab demo`: exits 1 unless every pattern ended as the lab expects. */
export async function demoCommand(opts: { out: string; glueStartupMs: number; syncPollMs: number; queryLanguage?: string }, command: Command): Promise<void> {
  const result = await demo({
    outDir: path.resolve(opts.out),
    target: targetOptionsOf(command),
    glueStartupDelayMs: opts.glueStartupMs,
    syncPollDelayMs: opts.syncPollMs,
    interactive: isInteractive(),
    ...(opts.queryLanguage !== undefined ? { queryLanguage: opts.queryLanguage } : {}),
  });
  process.exitCode = result.differences.length === 0 ? 0 : 1;
}
