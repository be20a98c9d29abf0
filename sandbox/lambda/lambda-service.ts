import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { AwsServiceError } from "../aws-error";
import type { Authorizer, RequestContext } from "../iam/authorizer";
import type { Principal, PrincipalDirectory } from "../iam/principals";
import type { FunctionView } from "../model-view";
import { FunctionRuntime, type LambdaErrorPayload } from "./invocation-runner";

/** What Lambda's Invoke API answers (RequestResponse invocation type). */
export interface InvokeResult {
  readonly statusCode: 200;
  readonly executedVersion: string;
  /** The handler's return value, or Lambda's error document when `functionError` is set. */
  readonly payload: unknown;
  readonly functionError?: "Unhandled";
}

export interface LambdaServiceOptions {
  readonly region: string;
  readonly accountId: string;
  /** Folder under which each function's package is written (its LAMBDA_TASK_ROOT). */
  readonly taskRootDir: string;
  /** Folder for each function's log file. */
  readonly logDir: string;
  /** node_modules providing the runtime's AWS SDK. */
  readonly nodeModules: string;
  /** Endpoint variables every function gets, e.g. { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:1234" }. */
  readonly endpointEnv: () => Record<string, string>;
  /** Warm execution environments kept per function. Default 4. */
  readonly maxWarmPerFunction?: number;
}

/** A Lambda service error to answer instead of running the function, for fault-injection tests. */
export interface LambdaFault {
  /** Lambda's error code, e.g. "ServiceException" (Step Functions reports "Lambda.ServiceException"). */
  readonly errorCode: string;
  readonly message?: string;
  /** HTTP status Lambda answers with. Default 500. */
  readonly httpStatus?: number;
  /** How many invocations fail this way before the function runs again. Default 1. */
  readonly times?: number;
}

interface ResolvedFunction {
  readonly fn: FunctionView;
  readonly qualifier?: string;
  /** The ARN the caller named, qualified when it named a version or alias: what IAM authorizes. */
  readonly requestedArn: string;
}

/**
 * Lambda: runs the model's functions' bundled code with their configured environment, the sandbox's
 * endpoints and their role's credentials, one worker thread per invocation. Invoke is authorized for the
 * caller (lambda:InvokeFunction on the function ARN as named, aliases and versions included).
 */
export class LambdaService {
  private readonly byName = new Map<string, FunctionView>();
  private readonly faults = new Map<string, { fault: LambdaFault; remaining: number }>();
  private readonly runtimes = new Map<string, FunctionRuntime>();

  constructor(
    functions: readonly FunctionView[],
    private readonly options: LambdaServiceOptions,
    private readonly principals: PrincipalDirectory,
    private readonly authorizer: Authorizer,
  ) {
    mkdirSync(options.logDir, { recursive: true });
    for (const fn of functions) {
      this.byName.set(fn.name, fn);
      const root = this.taskRoot(fn);
      rmSync(root, { recursive: true, force: true });
      for (const [file, text] of Object.entries(fn.files)) {
        const target = path.join(root, file);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, text);
      }
    }
  }

  functionNames(): string[] {
    return [...this.byName.keys()];
  }

  /** The log file of a function: START/END/REPORT lines around whatever the handler printed. */
  logFile(functionName: string): string {
    return path.join(this.options.logDir, `${functionName}.log`);
  }

  /** The next `fault.times` invocations of the function fail with a Lambda service error (after authorization). */
  injectFault(functionName: string, fault: LambdaFault): void {
    const { fn } = this.resolve(functionName);
    this.faults.set(fn.name, { fault, remaining: fault.times ?? 1 });
  }

  /** `context`: condition keys of a service's invocation (aws:SourceArn of the SNS topic delivering). */
  async invoke(caller: Principal, functionRef: string, event: unknown, context?: RequestContext): Promise<InvokeResult> {
    const { fn, requestedArn } = this.resolve(functionRef);
    await this.authorizer.authorize({ principal: caller, action: "lambda:InvokeFunction", resourceArn: requestedArn, ...(context ? { context } : {}) });
    const injected = this.faults.get(fn.name);
    if (injected && injected.remaining > 0) {
      injected.remaining -= 1;
      const { errorCode, message, httpStatus } = injected.fault;
      throw new AwsServiceError(errorCode, message ?? `Injected ${errorCode} for ${fn.name}`, httpStatus ?? 500);
    }
    const requestId = randomUUID();
    const timeoutMs = fn.timeoutSeconds * 1000;
    const outcome = await this.runtime(fn).invoke({
      event,
      context: {
        functionName: fn.name,
        functionVersion: "$LATEST",
        invokedFunctionArn: requestedArn,
        memoryLimitInMB: String(fn.memorySizeMb),
        awsRequestId: requestId,
        logGroupName: `/aws/lambda/${fn.name}`,
        logStreamName: `sandbox/[$LATEST]${requestId.replace(/-/g, "")}`,
        deadlineMs: Date.now() + timeoutMs,
      },
      timeoutMs,
      requestId,
    });
    if (outcome.ok) {
      return { statusCode: 200, executedVersion: "$LATEST", payload: JSON.parse(outcome.payloadJson) as unknown };
    }
    const error: LambdaErrorPayload = outcome.error;
    return { statusCode: 200, executedVersion: "$LATEST", payload: error, functionError: "Unhandled" };
  }

  /** Ends every function's execution environments. */
  async close(): Promise<void> {
    await Promise.all([...this.runtimes.values()].map((r) => r.close()));
    this.runtimes.clear();
  }

  /** The function's execution environments, created on its first invocation. */
  private runtime(fn: FunctionView): FunctionRuntime {
    let runtime = this.runtimes.get(fn.name);
    if (!runtime) {
      runtime = new FunctionRuntime({
        taskRoot: this.taskRoot(fn),
        handler: fn.handler,
        nodeModules: this.options.nodeModules,
        env: this.environment(fn),
        logFile: this.logFile(fn.name),
        compileCacheDir: path.join(this.options.taskRootDir, ".compile-cache"),
        maxIdle: this.options.maxWarmPerFunction ?? 4,
      });
      this.runtimes.set(fn.name, runtime);
    }
    return runtime;
  }

  /** A function named by name, partial or full ARN, with or without a version/alias qualifier. */
  private resolve(functionRef: string): ResolvedFunction {
    const arnMatch = /^arn:[^:]+:lambda:[^:]+:\d+:function:([^:]+)(?::([^:]+))?$/.exec(functionRef);
    const partialMatch = /^(?:\d+:)?(?:function:)?([^:]+)(?::([^:]+))?$/.exec(functionRef);
    const match = arnMatch ?? partialMatch;
    const fn = match ? this.byName.get(match[1]) : undefined;
    if (!match || !fn) {
      const arn = `arn:aws:lambda:${this.options.region}:${this.options.accountId}:function:${functionRef}`;
      throw new AwsServiceError("ResourceNotFoundException", `Function not found: ${arnMatch ? functionRef : arn}`, 404);
    }
    const qualifier = match[2];
    return { fn, qualifier, requestedArn: qualifier ? `${fn.arn}:${qualifier}` : fn.arn };
  }

  private taskRoot(fn: FunctionView): string {
    return path.join(this.options.taskRootDir, fn.name);
  }

  /** The function's variables, then what Lambda reserves (a function cannot override those). */
  private environment(fn: FunctionView): Record<string, string> {
    const { credentials } = this.principals.roleSession(fn.roleArn, fn.name);
    const missing = path.join(this.options.taskRootDir, ".no-aws-config");
    return {
      ...fn.environment,
      ...this.options.endpointEnv(),
      AWS_REGION: this.options.region,
      AWS_DEFAULT_REGION: this.options.region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      // The operator's ~/.aws files must not leak into a function.
      AWS_CONFIG_FILE: missing,
      AWS_SHARED_CREDENTIALS_FILE: missing,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      LAMBDA_TASK_ROOT: this.taskRoot(fn),
      LANG: "en_US.UTF-8",
      PATH: process.env.PATH ?? "/usr/bin:/bin",
    };
  }
}
