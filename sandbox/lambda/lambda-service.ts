import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import { AwsServiceError } from "../aws-error";
import type { Authorizer, RequestContext } from "../iam/authorizer";
import type { Principal, PrincipalDirectory } from "../iam/principals";
import { LAMBDA_DEFAULT_MEMORY_MB, LAMBDA_DEFAULT_TIMEOUT_SECONDS, type FunctionLogGroup, type FunctionView } from "../model-view";
import { PackageError, writePackage } from "./function-package";
import { FunctionRuntime, type ExecutionEnvironments, type LambdaErrorPayload } from "./invocation-runner";
import { PythonRuntime } from "./python-runtime";
import { checkCreateRuntime, isPythonRuntime } from "./runtimes";

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
  /** The interpreter Python functions run with (whatever python3.x they declare). Default "python3". */
  readonly python?: string;
  /** Whether Lambda may assume a role (it exists and trusts lambda.amazonaws.com); CreateFunction needs it. */
  readonly lambdaMayAssume?: (roleArn: string) => boolean;
}

/** CreateFunction's request, as the Lambda API takes it (botocore lambda 2015-03-31, CreateFunctionRequest). */
export interface CreateFunctionRequest {
  readonly FunctionName: string;
  readonly Role: string;
  readonly Runtime?: string;
  readonly Handler?: string;
  readonly Code: { readonly ZipFile?: Buffer; readonly S3Bucket?: string; readonly ImageUri?: string };
  readonly PackageType?: string;
  readonly Description?: string;
  readonly Timeout?: number;
  readonly MemorySize?: number;
  readonly Environment?: { readonly Variables?: Record<string, string> };
}

/** Lambda's FunctionConfiguration, the fields the sandbox knows. */
export interface FunctionConfiguration {
  readonly FunctionName: string;
  readonly FunctionArn: string;
  readonly Runtime: string;
  readonly Role: string;
  readonly Handler: string;
  readonly CodeSize: number;
  readonly CodeSha256: string;
  readonly Description: string;
  readonly Timeout: number;
  readonly MemorySize: number;
  readonly LastModified: string;
  readonly Version: "$LATEST";
  readonly Environment?: { readonly Variables: Record<string, string> };
  readonly PackageType: "Zip";
  readonly State: "Active";
  readonly LastUpdateStatus: "Successful";
  readonly Architectures: readonly ["x86_64"];
}

/** What the sandbox keeps of a function besides its view: where it came from and its package's digest. */
interface DeployedFunction {
  readonly fn: FunctionView;
  readonly createdByApi: boolean;
  readonly codeSize: number;
  readonly codeSha256: string;
  readonly description: string;
  readonly lastModified: string;
}

/** Lambda's name rules (model shape FunctionName pattern, 64 characters for a bare name). */
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** Model shape RoleArn pattern. */
const ROLE_ARN = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
/** Lambda's ranges (model shapes Timeout min 1, MemorySize 128..10240; a function runs at most 900 s). */
const TIMEOUT_RANGE = [1, 900] as const;
const MEMORY_RANGE = [128, 10240] as const;
/** "Lambda quotas": a deployment package uploaded directly is at most 50 MB zipped. */
export const MAX_ZIP_BYTES = 50 * 1024 * 1024;

/** Lambda's timestamp format (FunctionConfiguration.LastModified): ISO 8601 with milliseconds and "+0000". */
function lambdaTimestamp(date: Date): string {
  return date.toISOString().replace("Z", "+0000");
}

function invalid(message: string): AwsServiceError {
  return new AwsServiceError("InvalidParameterValueException", message);
}

function validation(value: unknown, member: string, constraint: string): AwsServiceError {
  return new AwsServiceError("ValidationException", `1 validation error detected: Value '${String(value).slice(0, 100)}' at '${member}' failed to satisfy constraint: ${constraint}`);
}

function inRange(value: number | undefined, range: readonly [number, number], member: string): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < range[0]) throw validation(value, member, `Member must have value greater than or equal to ${range[0]}`);
  if (value > range[1]) throw validation(value, member, `Member must have value less than or equal to ${range[1]}`);
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
  private readonly byName = new Map<string, DeployedFunction>();
  private readonly faults = new Map<string, { fault: LambdaFault; remaining: number }>();
  private readonly runtimes = new Map<string, ExecutionEnvironments>();

  constructor(
    functions: readonly FunctionView[],
    private readonly options: LambdaServiceOptions,
    private readonly principals: PrincipalDirectory,
    private readonly authorizer: Authorizer,
  ) {
    mkdirSync(options.logDir, { recursive: true });
    const deployedAt = lambdaTimestamp(new Date());
    for (const fn of functions) {
      writePackage(this.taskRoot(fn), fn.package, { python: this.python, what: `function ${fn.name}` });
      this.byName.set(fn.name, { fn, createdByApi: false, codeSize: 0, codeSha256: "", description: "", lastModified: deployedAt });
    }
  }

  private get python(): string {
    return this.options.python ?? "python3";
  }

  /**
   * CreateFunction from a zip (Code.ZipFile). Validated as the model and Lambda do (name, role ARN, runtime,
   * handler, ranges), authorized (lambda:CreateFunction on the function, iam:PassRole on its role), and the
   * role must exist and trust lambda.amazonaws.com. Code in S3 or an image is refused by name.
   */
  async createFunction(caller: Principal, request: CreateFunctionRequest): Promise<FunctionConfiguration> {
    const name = request.FunctionName;
    if (!FUNCTION_NAME.test(name)) throw validation(name, "functionName", "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+ (1 to 64 characters)");
    if (!ROLE_ARN.test(request.Role)) throw validation(request.Role, "role", "Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
    inRange(request.Timeout, TIMEOUT_RANGE, "timeout");
    inRange(request.MemorySize, MEMORY_RANGE, "memorySize");
    if (request.PackageType === "Image" || request.Code.ImageUri !== undefined) throw invalid("The sandbox runs functions from .zip deployment packages; PackageType Image (ImageUri) is not supported.");
    if (request.Code.S3Bucket !== undefined) throw invalid("The sandbox takes a function's code as Code.ZipFile; Code.S3Bucket/S3Key is not supported.");
    if (request.Code.ZipFile === undefined) throw invalid("Please provide a source for function code.");
    if (request.Runtime === undefined || request.Handler === undefined) throw invalid("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
    checkCreateRuntime(request.Runtime);
    if (request.Code.ZipFile.length > MAX_ZIP_BYTES) throw new AwsServiceError("RequestEntityTooLargeException", `Request must be smaller than ${MAX_ZIP_BYTES} bytes for the CreateFunction operation`, 413);
    const arn = `arn:aws:lambda:${this.options.region}:${this.options.accountId}:function:${name}`;
    await this.authorizer.authorize({ principal: caller, action: "lambda:CreateFunction", resourceArn: arn });
    // Handing Lambda a role is passing it (IAM user guide, "Granting a user permissions to pass a role").
    await this.authorizer.authorize({ principal: caller, action: "iam:PassRole", resourceArn: request.Role });
    if (this.byName.has(name)) throw new AwsServiceError("ResourceConflictException", `Function already exist: ${name}`, 409);
    if (this.options.lambdaMayAssume && !this.options.lambdaMayAssume(request.Role)) throw invalid("The role defined for the function cannot be assumed by Lambda.");
    const fn: FunctionView = {
      logicalName: name,
      name,
      arn,
      roleArn: request.Role,
      handler: request.Handler,
      runtime: request.Runtime,
      timeoutSeconds: request.Timeout ?? LAMBDA_DEFAULT_TIMEOUT_SECONDS,
      memorySizeMb: request.MemorySize ?? LAMBDA_DEFAULT_MEMORY_MB,
      environment: request.Environment?.Variables ?? {},
      package: [{ at: "", zipBytes: request.Code.ZipFile }],
    };
    try {
      writePackage(this.taskRoot(fn), fn.package, { python: this.python, what: `function ${name}` });
    } catch (error) {
      rmSync(this.taskRoot(fn), { recursive: true, force: true });
      if (error instanceof PackageError) throw invalid("Could not unzip uploaded file. Please check your file, then try to upload again.");
      throw error;
    }
    const deployed: DeployedFunction = {
      fn,
      createdByApi: true,
      codeSize: request.Code.ZipFile.length,
      codeSha256: createHash("sha256").update(request.Code.ZipFile).digest("base64"),
      description: request.Description ?? "",
      lastModified: lambdaTimestamp(new Date()),
    };
    this.byName.set(name, deployed);
    return this.configuration(deployed);
  }

  /** GetFunction: the configuration. Code names no download Location (the sandbox serves no presigned URL). */
  async getFunction(caller: Principal, functionRef: string): Promise<{ Configuration: FunctionConfiguration; Code: { RepositoryType: "S3" } }> {
    const { fn, requestedArn } = this.resolve(functionRef);
    await this.authorizer.authorize({ principal: caller, action: "lambda:GetFunction", resourceArn: requestedArn });
    return { Configuration: this.configuration(this.deployed(fn.name)), Code: { RepositoryType: "S3" } };
  }

  /** DeleteFunction of a function the API created; the program's functions are the program's to remove. */
  async deleteFunction(caller: Principal, functionRef: string): Promise<void> {
    const { fn, requestedArn } = this.resolve(functionRef);
    await this.authorizer.authorize({ principal: caller, action: "lambda:DeleteFunction", resourceArn: requestedArn });
    if (!this.deployed(fn.name).createdByApi) {
      throw invalid(`Function ${fn.name} is declared by the program; remove it from the program and deploy the sandbox again.`);
    }
    this.byName.delete(fn.name);
    this.faults.delete(fn.name);
    await this.runtimes.get(fn.name)?.close();
    this.runtimes.delete(fn.name);
    rmSync(this.taskRoot(fn), { recursive: true, force: true });
  }

  /** The log groups of the functions CreateFunction made: Lambda's default /aws/lambda/<name>. */
  createdFunctionLogGroups(): FunctionLogGroup[] {
    return [...this.byName.values()].filter((d) => d.createdByApi).map((d) => ({ functionName: d.fn.name, logGroupName: `/aws/lambda/${d.fn.name}` }));
  }

  private deployed(name: string): DeployedFunction {
    const deployed = this.byName.get(name);
    if (!deployed) throw new AwsServiceError("ResourceNotFoundException", `Function not found: arn:aws:lambda:${this.options.region}:${this.options.accountId}:function:${name}`, 404);
    return deployed;
  }

  private configuration(deployed: DeployedFunction): FunctionConfiguration {
    const { fn } = deployed;
    return {
      FunctionName: fn.name,
      FunctionArn: fn.arn,
      Runtime: fn.runtime,
      Role: fn.roleArn,
      Handler: fn.handler,
      CodeSize: deployed.codeSize,
      CodeSha256: deployed.codeSha256,
      Description: deployed.description,
      Timeout: fn.timeoutSeconds,
      MemorySize: fn.memorySizeMb,
      LastModified: deployed.lastModified,
      Version: "$LATEST",
      ...(Object.keys(fn.environment).length > 0 ? { Environment: { Variables: { ...fn.environment } } } : {}),
      PackageType: "Zip",
      State: "Active",
      LastUpdateStatus: "Successful",
      Architectures: ["x86_64"],
    };
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

  /** Invoke's authorization alone (InvocationType DryRun, and Event before it runs in the background). */
  async authorizeInvoke(caller: Principal, functionRef: string): Promise<void> {
    const { requestedArn } = this.resolve(functionRef);
    await this.authorizer.authorize({ principal: caller, action: "lambda:InvokeFunction", resourceArn: requestedArn });
  }

  /** The log file of the function a reference names (name, ARN, qualified). */
  logFileOf(functionRef: string): string {
    return this.logFile(this.resolve(functionRef).fn.name);
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
  private runtime(fn: FunctionView): ExecutionEnvironments {
    let runtime = this.runtimes.get(fn.name);
    if (!runtime && isPythonRuntime(fn.runtime)) {
      runtime = new PythonRuntime({ taskRoot: this.taskRoot(fn), handler: fn.handler, python: this.python, env: this.environment(fn), logFile: this.logFile(fn.name) });
      this.runtimes.set(fn.name, runtime);
    }
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
    const fn = match ? this.byName.get(match[1])?.fn : undefined;
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
