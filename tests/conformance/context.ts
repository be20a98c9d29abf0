import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { GlueClient } from "@aws-sdk/client-glue";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "../../sandbox";
import { loadProgramModel } from "../../sandbox/model";
import type { ProgramModel } from "../../sandbox/program-model";
import { LAB_OPTIONS, type LabOutputs } from "../reliability/labSandbox";

/** The stack outputs the conformance checks read (SANDBOX_OUTPUTS for the Python checks), plus one finished run. */
export interface ConformanceOutputs extends LabOutputs {
  /** A run-job execution that ran to SUCCEEDED before the checks: history, logs and a Glue run exist. */
  readonly finishedExecutionArn: string;
}

/** The lab program in a sandbox, with operator clients of every service the checks drive. */
export class ConformanceSandbox {
  readonly sfn: SFNClient;
  readonly glue: GlueClient;
  readonly logs: CloudWatchLogsClient;

  private constructor(
    readonly sandbox: Sandbox,
    readonly model: ProgramModel,
    readonly outputs: ConformanceOutputs,
    private readonly rootDir: string,
  ) {
    this.sfn = new SFNClient(sandbox.clientConfig("sfn"));
    this.glue = new GlueClient(sandbox.clientConfig("glue"));
    this.logs = new CloudWatchLogsClient(sandbox.clientConfig("logs"));
  }

  static async start(): Promise<ConformanceSandbox> {
    const model = await loadProgramModel();
    const rootDir = mkdtempSync(path.join(tmpdir(), "conformance-"));
    const sandbox = await Sandbox.start(model, { rootDir, writeConnectionFile: false, ...LAB_OPTIONS });
    const lab = model.outputs as unknown as LabOutputs;
    const sfn = new SFNClient(sandbox.clientConfig("sfn"));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: lab.stateMachineArns["run-job"], input: "{}" }));
    sfn.destroy();
    if (!executionArn) throw new Error("StartExecution of run-job returned no executionArn");
    const finished = await sandbox.whenExecutionFinished(executionArn);
    if (finished.status !== "SUCCEEDED") throw new Error(`The run-job execution the checks read ended ${finished.status}: ${finished.error} ${finished.cause}`);
    return new ConformanceSandbox(sandbox, model, { ...lab, finishedExecutionArn: executionArn }, rootDir);
  }

  async stop(): Promise<void> {
    this.sfn.destroy();
    this.glue.destroy();
    this.logs.destroy();
    await this.sandbox.stop();
    rmSync(this.rootDir, { recursive: true, force: true });
  }
}

/** Asserts a call fails with the named error code, as the SDK names it (`error.name`). */
export async function rejectsWith(call: Promise<unknown>, code: string, message?: RegExp): Promise<Error> {
  try {
    await call;
  } catch (error) {
    const e = error as Error;
    if (e.name !== code) throw new Error(`expected ${code}, got ${e.name}: ${e.message}`);
    if (message && !message.test(e.message)) throw new Error(`expected ${code} with a message matching ${message}, got: ${e.message}`);
    return e;
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}
