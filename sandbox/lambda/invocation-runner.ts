import { appendFileSync, createWriteStream, type WriteStream } from "node:fs";
import { Worker } from "node:worker_threads";
import { WORKER_BOOTSTRAP } from "./worker-bootstrap";

/**
 * Lambda's error document: what the Invoke API returns as the payload of a failed invocation. The Node.js
 * runtime adds `trace`; the Python runtime `requestId` and `stackTrace` ("Lambda function errors in Python").
 */
export interface LambdaErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
  readonly requestId?: string;
  readonly stackTrace?: readonly string[];
}

/** The execution environments of one function, whatever its runtime. */
export interface ExecutionEnvironments {
  invoke(request: InvocationRequest): Promise<InvocationOutcome>;
  close(): Promise<void>;
}

export type InvocationOutcome =
  | { readonly ok: true; readonly payloadJson: string }
  | { readonly ok: false; readonly error: LambdaErrorPayload };

export interface FunctionRuntimeSpec {
  /** Folder holding the deployment package (LAMBDA_TASK_ROOT). */
  readonly taskRoot: string;
  /** "index.handler". */
  readonly handler: string;
  /** Where the AWS SDK and other runtime-provided modules are found. */
  readonly nodeModules: string;
  /** The function's whole environment; its workers see only this. */
  readonly env: Record<string, string>;
  /** File the function's output is appended to, as its log stream. */
  readonly logFile: string;
  /** Where compiled code is cached between cold starts. */
  readonly compileCacheDir: string;
  /** Warm environments kept idle at most. */
  readonly maxIdle: number;
}

export interface InvocationRequest {
  readonly event: unknown;
  readonly context: Record<string, unknown> & { deadlineMs: number };
  readonly timeoutMs: number;
  readonly requestId: string;
}

interface WorkerReply {
  requestId: string;
  ok: boolean;
  payload?: string;
  error?: LambdaErrorPayload;
  initFailed?: boolean;
}

/**
 * The execution environments of one function: each is a worker thread with the function's own
 * `process.env` and module cache, serving one invocation at a time. An environment is reused while warm
 * (module state survives, as on Lambda) and discarded when an invocation times out, crashes it or fails
 * its initialization. A thrown error becomes Lambda's {errorType, errorMessage, trace}.
 */
export class FunctionRuntime implements ExecutionEnvironments {
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();
  private log?: WriteStream;
  private closed = false;

  constructor(private readonly spec: FunctionRuntimeSpec) {}

  invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    const log = (this.log ??= createWriteStream(this.spec.logFile, { flags: "a" }));
    // The runtime's own lines are written at once, so a reader sees an invocation as soon as it ends.
    appendFileSync(this.spec.logFile, `START RequestId: ${request.requestId} Version: $LATEST\n`);
    const started = Date.now();
    const worker = this.idle.pop() ?? this.newWorker(log);
    worker.ref();
    this.busy.add(worker);

    return new Promise<InvocationOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: InvocationOutcome, keepWarm: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        this.busy.delete(worker);
        // After close() the sandbox's folder may be gone: an invocation ended by it leaves no log line.
        if (!this.closed) {
          appendFileSync(this.spec.logFile, `END RequestId: ${request.requestId}\nREPORT RequestId: ${request.requestId}\tDuration: ${Date.now() - started} ms\n`);
        }
        if (keepWarm && !this.closed && this.idle.length < this.spec.maxIdle) {
          worker.unref();
          this.idle.push(worker);
        } else {
          void worker.terminate();
        }
        resolve(outcome);
      };
      const onMessage = (reply: WorkerReply) => {
        if (reply.requestId !== request.requestId) return;
        if (reply.ok) finish({ ok: true, payloadJson: reply.payload ?? "null" }, true);
        else finish({ ok: false, error: reply.error ?? { errorType: "Error", errorMessage: "unknown error" } }, !reply.initFailed);
      };
      const onError = (error: Error) => {
        finish({ ok: false, error: { errorType: error.name || "Error", errorMessage: error.message, trace: String(error.stack ?? "").split("\n") } }, false);
      };
      const onExit = (code: number) => {
        finish({ ok: false, error: { errorType: "Runtime.ExitError", errorMessage: `RequestId: ${request.requestId} Error: Runtime exited with error: exit status ${code}` } }, false);
      };
      const timer = setTimeout(() => {
        const seconds = (request.timeoutMs / 1000).toFixed(2);
        finish({ ok: false, error: { errorType: "Sandbox.Timedout", errorMessage: `RequestId: ${request.requestId} Error: Task timed out after ${seconds} seconds` } }, false);
      }, request.timeoutMs);
      worker.on("message", onMessage);
      worker.once("error", onError);
      worker.once("exit", onExit);
      worker.postMessage({ requestId: request.requestId, event: request.event, context: request.context });
    });
  }

  /** Ends every environment, idle or busy. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.idle, ...this.busy];
    this.idle.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
    this.log = undefined;
  }

  private newWorker(log: WriteStream): Worker {
    const worker = new Worker(WORKER_BOOTSTRAP, {
      eval: true,
      env: this.spec.env,
      stdout: true,
      stderr: true,
      workerData: {
        taskRoot: this.spec.taskRoot,
        handler: this.spec.handler,
        nodeModules: this.spec.nodeModules,
        compileCacheDir: this.spec.compileCacheDir,
      },
    });
    // Many environments share one log: forward chunks instead of piping (a pipe per worker adds listeners to the log).
    const forward = (chunk: Buffer) => {
      if (!log.writableEnded) log.write(chunk);
    };
    worker.stdout.on("data", forward);
    worker.stderr.on("data", forward);
    // An environment may die between invocations (a stray rejection): forget it rather than crash.
    worker.on("error", () => undefined);
    worker.once("exit", () => {
      const index = this.idle.indexOf(worker);
      if (index >= 0) this.idle.splice(index, 1);
    });
    return worker;
  }
}
