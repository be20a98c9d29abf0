import { GlueClient, StartJobRunCommand } from "@aws-sdk/client-glue";
import { DeleteObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from "@aws-sdk/client-sfn";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox, type JobRun, type SandboxOptions } from "../../sandbox";
import type { ModelResource, ProgramModel } from "../../sandbox/program-model";
import { history, lastTaskFailure } from "../../sandbox/testing/sfn-helpers";

export type Pattern = "request-response" | "run-job" | "wait-for-callback" | "event-driven-callback";

/** The stack outputs of the lab program the tests rely on. */
export interface LabOutputs {
  readonly stateMachineArns: Record<Pattern, string>;
  readonly jobName: string;
  readonly bucketName: string;
  readonly dataKey: string;
  readonly outputPrefix: string;
  readonly functionNames: { readonly checkFile: string; readonly validateOutput: string; readonly eventCallback?: string };
}

/** How an execution ended, with the last Task failure of its history. */
export interface Finished {
  readonly description: DescribeExecutionCommandOutput;
  readonly events: HistoryEvent[];
  readonly failure: { state?: string; error?: string; cause?: string };
}

/**
 * Scaled delays for a lab run on a busy 2-core machine: timeScale 0.1 keeps the Lambda tasks' 60 s
 * timeouts at 6 s (well above cold starts) and the Retry intervals short.
 */
export const LAB_OPTIONS: SandboxOptions = { timeScale: 0.1, glue: { startupDelayMs: 100 }, sfn: { syncPollIntervalMs: 50 } };

/** The lab program deployed into its own sandbox, with operator clients and the few moves the tests make. */
export class LabSandbox {
  readonly sfn: SFNClient;
  readonly glue: GlueClient;
  readonly s3: S3Client;
  readonly outputs: LabOutputs;

  private constructor(
    readonly sandbox: Sandbox,
    private readonly rootDir: string,
  ) {
    this.outputs = sandbox.model.outputs as unknown as LabOutputs;
    this.sfn = new SFNClient(sandbox.clientConfig("sfn"));
    this.glue = new GlueClient(sandbox.clientConfig("glue"));
    this.s3 = new S3Client(sandbox.clientConfig("s3"));
  }

  static async start(model: ProgramModel, options: SandboxOptions = {}): Promise<LabSandbox> {
    const rootDir = mkdtempSync(path.join(tmpdir(), "reliability-lab-"));
    const sandbox = await Sandbox.start(model, { rootDir, writeConnectionFile: false, ...LAB_OPTIONS, ...options });
    return new LabSandbox(sandbox, rootDir);
  }

  async run(pattern: Pattern, input: unknown = {}): Promise<string> {
    const { executionArn } = await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.outputs.stateMachineArns[pattern], input: JSON.stringify(input) }));
    if (!executionArn) throw new Error(`StartExecution of ${pattern} returned no executionArn`);
    return executionArn;
  }

  /** Waits for the end of an execution and reads its history. */
  async finished(executionArn: string): Promise<Finished> {
    await this.sandbox.whenExecutionFinished(executionArn);
    const description = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const events = await history(this.sfn, executionArn);
    return { description, events, failure: lastTaskFailure(events) };
  }

  /** Starts a pattern and waits for its end. */
  async runToEnd(pattern: Pattern, input: unknown = {}): Promise<Finished> {
    return this.finished(await this.run(pattern, input));
  }

  /** The ETL job run outside any state machine, as the operator does in the callback pattern. */
  async runEtl(): Promise<JobRun> {
    const { JobRunId } = await this.glue.send(new StartJobRunCommand({ JobName: this.outputs.jobName }));
    if (!JobRunId) throw new Error("StartJobRun returned no JobRunId");
    return this.sandbox.whenJobRunFinished(JobRunId);
  }

  /** Resolves with the first run of the job that reaches `state` (listen before starting what starts it). */
  whenAJobRunIs(state: JobRun["JobRunState"]): Promise<JobRun> {
    return new Promise((resolve) => {
      const unsubscribe = this.sandbox.onJobRunChange((run) => {
        if (run.JobRunState !== state) return;
        unsubscribe();
        resolve(run);
      });
    });
  }

  async stopExecution(executionArn: string, cause = "stopped by the operator"): Promise<void> {
    await this.sfn.send(new StopExecutionCommand({ executionArn, error: "OperatorStopped", cause }));
  }

  /** Removes the data file, as the operator could with S3 (the bucket is versioned on AWS; here it is gone). */
  async deleteDataFile(): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.outputs.bucketName, Key: this.outputs.dataKey }));
  }

  async putObject(key: string, body: string | Uint8Array): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.outputs.bucketName, Key: key, Body: body }));
  }

  /** Back to the freshly deployed state between two tests that share this sandbox. */
  reset(): Promise<void> {
    return this.sandbox.reset();
  }

  async stop(): Promise<void> {
    this.sfn.destroy();
    this.glue.destroy();
    this.s3.destroy();
    await this.sandbox.stop();
    rmSync(this.rootDir, { recursive: true, force: true });
  }
}

/** The resource of a type whose state matches, or a clear error naming what was looked for. */
export function findResource(model: ProgramModel, type: string, matches: (r: ModelResource) => boolean, what: string): ModelResource {
  const found = model.resources.find((r) => r.type === type && matches(r));
  if (!found) throw new Error(`The program model has no ${type} for ${what}`);
  return found;
}
