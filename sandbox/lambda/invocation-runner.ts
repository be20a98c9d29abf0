import { createWriteStream } from "node:fs";
import { Worker } from "node:worker_threads";
import { WORKER_BOOTSTRAP } from "./worker-bootstrap";

/** Lambda's error document: what the Invoke API returns as the payload of a failed invocation. */
export interface LambdaErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

export type InvocationOutcome =
  | { readonly ok: true; readonly payloadJson: string }
  | { readonly ok: false; readonly error: LambdaErrorPayload };

export interface InvocationSpec {
  /** Folder holding the deployment package (LAMBDA_TASK_ROOT). */
  readonly taskRoot: string;
  /** "index.handler". */
  readonly handler: string;
  /** Where the AWS SDK and other runtime-provided modules are found. */
  readonly nodeModules: string;
  /** The function's whole environment; the worker sees only this. */
  readonly env: Record<string, string>;
  readonly event: unknown;
  readonly context: Record<string, unknown> & { deadlineMs: number };
  readonly timeoutMs: number;
  readonly requestId: string;
  /** File the function's stdout and stderr are appended to, as its log stream. */
  readonly logFile: string;
}

/**
 * Runs one invocation in its own worker thread: its own `process.env`, its own module cache, killed when
 * the function's timeout passes. A thrown error becomes Lambda's {errorType, errorMessage, trace}.
 */
export function runInvocation(spec: InvocationSpec): Promise<InvocationOutcome> {
  const log = createWriteStream(spec.logFile, { flags: "a" });
  log.write(`START RequestId: ${spec.requestId} Version: $LATEST\n`);
  const started = Date.now();
  const worker = new Worker(WORKER_BOOTSTRAP, {
    eval: true,
    env: spec.env,
    stdout: true,
    stderr: true,
    workerData: {
      taskRoot: spec.taskRoot,
      handler: spec.handler,
      nodeModules: spec.nodeModules,
      event: spec.event,
      context: spec.context,
    },
  });
  worker.stdout.pipe(log, { end: false });
  worker.stderr.pipe(log, { end: false });

  return new Promise<InvocationOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: InvocationOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const ms = Date.now() - started;
      log.write(`END RequestId: ${spec.requestId}\nREPORT RequestId: ${spec.requestId}\tDuration: ${ms} ms\n`);
      void worker.terminate().finally(() => log.end());
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      const seconds = (spec.timeoutMs / 1000).toFixed(2);
      finish({
        ok: false,
        error: { errorType: "Sandbox.Timedout", errorMessage: `RequestId: ${spec.requestId} Error: Task timed out after ${seconds} seconds` },
      });
    }, spec.timeoutMs);
    worker.once("message", (message: { ok: boolean; payload?: string; error?: LambdaErrorPayload }) => {
      if (message.ok) finish({ ok: true, payloadJson: message.payload ?? "null" });
      else finish({ ok: false, error: message.error ?? { errorType: "Error", errorMessage: "unknown error" } });
    });
    worker.once("error", (error: Error) => {
      finish({ ok: false, error: { errorType: error.name || "Error", errorMessage: error.message, trace: String(error.stack ?? "").split("\n") } });
    });
    worker.once("exit", (code) => {
      finish({
        ok: false,
        error: { errorType: "Runtime.ExitError", errorMessage: `RequestId: ${spec.requestId} Error: Runtime exited with error: exit status ${code}` },
      });
    });
  });
}
