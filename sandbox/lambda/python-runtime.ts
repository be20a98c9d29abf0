import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync } from "node:fs";
import type { ExecutionEnvironments, InvocationOutcome, InvocationRequest, LambdaErrorPayload } from "./invocation-runner";

/**
 * The Python runtime of one invocation, as a script for `python3 -c`: imports the handler module from the
 * task root ("file.function", "pkg/file.function"), calls it with the event and a context object (Lambda's
 * Python context: function_name, aws_request_id, get_remaining_time_in_millis()...), and writes the result
 * or Lambda's Python error document {errorMessage, errorType, requestId, stackTrace} as JSON on fd 3, so
 * whatever the handler prints goes to the log alone.
 *
 * argv: task root, handler, request id, context JSON; stdin: the event JSON.
 */
const PYTHON_BOOTSTRAP = String.raw`
import json, os, sys, time, traceback, importlib
task_root, handler_spec, request_id, context_json = sys.argv[1:5]
out = os.fdopen(3, "w")
def reply(document):
    out.write(json.dumps(document)); out.flush()
def error(error_type, message, trace=None):
    reply({"ok": False, "init": error_type.startswith("Runtime."), "error": {"errorMessage": message, "errorType": error_type, "requestId": request_id, "stackTrace": trace or []}})
class Context:
    def __init__(self, c):
        self.function_name = c["functionName"]; self.function_version = c["functionVersion"]
        self.invoked_function_arn = c["invokedFunctionArn"]; self.memory_limit_in_mb = int(c["memoryLimitInMB"])
        self.aws_request_id = c["awsRequestId"]; self.log_group_name = c["logGroupName"]; self.log_stream_name = c["logStreamName"]
        self._deadline_ms = c["deadlineMs"]
    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))
sys.path.insert(0, task_root)
module_name, _, function_name = handler_spec.rpartition(".")
if not module_name:
    error("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack (expected 2, got 1)" % handler_spec); sys.exit(0)
module_name = module_name.replace("/", ".")
try:
    module = importlib.import_module(module_name)
except Exception as e:
    error("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, e)); sys.exit(0)
handler = getattr(module, function_name, None)
if handler is None:
    error("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name)); sys.exit(0)
event = json.loads(sys.stdin.read() or "null")
try:
    result = handler(event, Context(json.loads(context_json)))
except Exception as e:
    error(type(e).__name__, str(e), traceback.format_list(traceback.extract_tb(e.__traceback__)[1:])); sys.exit(0)
try:
    payload = json.dumps(result)
except Exception as e:
    error("Runtime.MarshalError", "Unable to marshal response: %s" % e); sys.exit(0)
reply({"ok": True, "payload": payload})
`;

export interface PythonRuntimeSpec {
  readonly taskRoot: string;
  readonly handler: string;
  /** The interpreter: the machine's python3, whatever python3.x the function declares. */
  readonly python: string;
  readonly env: Record<string, string>;
  readonly logFile: string;
}

/**
 * Python functions: each invocation runs in its own `python3` process (a cold start every time; module state
 * does not survive between invocations as it does in a warm Lambda environment), with the function's whole
 * environment and nothing of this process's. Ends with the handler's result or its error document; a
 * timeout kills the process.
 */
export class PythonRuntime implements ExecutionEnvironments {
  private readonly running = new Set<ChildProcess>();
  private closed = false;

  constructor(private readonly spec: PythonRuntimeSpec) {}

  invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    appendFileSync(this.spec.logFile, `START RequestId: ${request.requestId} Version: $LATEST\n`);
    const started = Date.now();
    const child = spawn(this.spec.python, ["-c", PYTHON_BOOTSTRAP, this.spec.taskRoot, this.spec.handler, request.requestId, JSON.stringify(request.context)], {
      cwd: this.spec.taskRoot,
      env: this.spec.env,
      stdio: ["pipe", "pipe", "pipe", "pipe"],
    });
    this.running.add(child);
    const log = (chunk: Buffer) => {
      if (!this.closed) appendFileSync(this.spec.logFile, chunk);
    };
    child.stdout?.on("data", log);
    child.stderr?.on("data", log);
    let reply = "";
    (child.stdio[3] as NodeJS.ReadableStream).on("data", (chunk: Buffer) => (reply += chunk.toString("utf8")));
    child.stdin?.end(JSON.stringify(request.event ?? null));

    return new Promise<InvocationOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: InvocationOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.running.delete(child);
        if (!this.closed) {
          appendFileSync(this.spec.logFile, `END RequestId: ${request.requestId}\nREPORT RequestId: ${request.requestId}\tDuration: ${Date.now() - started} ms\n`);
        }
        resolve(outcome);
      };
      const failure = (errorType: string, errorMessage: string): InvocationOutcome => ({ ok: false, error: { errorType, errorMessage, requestId: request.requestId, stackTrace: [] } });
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        const seconds = (request.timeoutMs / 1000).toFixed(2);
        finish(failure("Sandbox.Timedout", `RequestId: ${request.requestId} Error: Task timed out after ${seconds} seconds`));
      }, request.timeoutMs);
      child.once("error", (error) => finish(failure("Runtime.ExitError", `Cannot run ${this.spec.python}: ${error.message}`)));
      child.once("close", (code) => {
        let document: { ok?: boolean; payload?: string; error?: LambdaErrorPayload } | undefined;
        try {
          document = reply ? (JSON.parse(reply) as typeof document) : undefined;
        } catch {
          document = undefined;
        }
        if (document?.ok === true) finish({ ok: true, payloadJson: document.payload ?? "null" });
        else if (document?.error) finish({ ok: false, error: document.error });
        else finish(failure("Runtime.ExitError", `RequestId: ${request.requestId} Error: Runtime exited with error: exit status ${code}`));
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const child of this.running) child.kill("SIGKILL");
    this.running.clear();
  }
}
