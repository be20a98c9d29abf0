import { appendFileSync, chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../components/packageRoot";
import { CONNECTION_FILE_NAME } from "./connection";
import { ApiServer } from "./endpoints/api-server";
import { ENDPOINT_ENV_NAMES } from "./client-environment";
import { jsonProtocols } from "./endpoints/protocols";
import { GlueService, type JobRun } from "./glue/glue-service";
import { Authorizer } from "./iam/authorizer";
import { ModelPolicyStore } from "./iam/policy-store";
import { PrincipalDirectory, type Credentials } from "./iam/principals";
import { LambdaService, type LambdaFault } from "./lambda/lambda-service";
import { LogSources } from "./logs/log-sources";
import { LogsService } from "./logs/logs-service";
import { functionLogGroups, functions, glueJobs, logGroups, roles, stateMachines } from "./model-view";
import { IamService } from "./iam/iam-service";
import { iamProtocol } from "./iam/iam-protocol";
import { resolveOptions, type ResolvedSandboxOptions, type SandboxOptions } from "./options";
import type { ProgramModel } from "./program-model";
import { bucketConfigurations } from "./s3/bucket-configuration";
import { S3Service } from "./s3/s3-service";
import { seedS3 } from "./s3/seed";
import type { ExecutionDescription } from "./sfn/sfn-service";
import { StepFunctionsService } from "./sfn/sfn-service";
import { TaskTokenRegistry } from "./sfn/task-tokens";

export type { SandboxOptions } from "./options";
export type { ProgramModel } from "./program-model";
export type { Credentials } from "./iam/principals";
export type { JobRun } from "./glue/glue-service";
export type { ExecutionDescription } from "./sfn/sfn-service";
export type { LambdaFault } from "./lambda/lambda-service";
export { clientEnvironment, ENDPOINT_ENV_NAMES } from "./client-environment";

/** Where the sandbox listens. Step Functions, Glue and CloudWatch Logs share one JSON endpoint. */
export interface SandboxEndpoints {
  readonly s3: string;
  readonly sfn: string;
  readonly glue: string;
  readonly logs: string;
  readonly iam: string;
}

/** What another process needs to talk to a running sandbox; written to `<rootDir>/sandbox.json`. */
export interface SandboxConnection {
  readonly region: string;
  readonly accountId: string;
  readonly endpoints: SandboxEndpoints;
  /** The operator's credentials (administrator-like access; resource policies still apply). */
  readonly credentials: Credentials;
  readonly operatorArn: string;
  readonly rootDir: string;
  readonly pid: number;
  readonly startedAt: string;
  /** The program's stack outputs, so a client finds the state machines, job and bucket by name. */
  readonly outputs: Record<string, unknown>;
}

export { CONNECTION_FILE_NAME };

/** Client settings for an AWS SDK v3 client talking to the sandbox as the operator. */
export interface SandboxClientConfig {
  readonly region: string;
  readonly endpoint: string;
  readonly credentials: Credentials;
  readonly forcePathStyle?: boolean;
}

/**
 * The local target: materializes a program model on loopback and runs it for real. S3 (s3rver behind an
 * IAM-authorizing endpoint), Lambda (the bundled handlers in worker threads), Glue (the job's script under
 * python3), Step Functions (the definitions under aws-local-stepfunctions, with integration-pattern
 * semantics from each Task's Resource), IAM (the program's policies, evaluated on every call).
 */
export class Sandbox {
  readonly endpoints: SandboxEndpoints;
  readonly region: string;
  readonly accountId: string;
  /** The operator's credentials, for the CLI and tests. */
  readonly credentials: Credentials;
  readonly operatorArn: string;
  readonly connectionFile: string;

  private constructor(
    readonly model: ProgramModel,
    readonly options: ResolvedSandboxOptions,
    private readonly principals: PrincipalDirectory,
    private readonly s3: S3Service,
    private readonly api: ApiServer,
    private readonly lambda: LambdaService,
    private readonly glue: GlueService,
    private readonly sfn: StepFunctionsService,
  ) {
    this.region = model.region;
    this.accountId = model.accountId;
    this.endpoints = { s3: s3.endpoint, sfn: api.endpoint, glue: api.endpoint, logs: api.endpoint, iam: api.endpoint };
    const operator = principals.operator();
    this.credentials = operator.credentials;
    this.operatorArn = operator.principal.arn;
    this.connectionFile = path.join(options.rootDir, CONNECTION_FILE_NAME);
  }

  /** Deploys the model into a sandbox under `options.rootDir` and starts its endpoints. */
  static async start(model: ProgramModel, options: SandboxOptions = {}): Promise<Sandbox> {
    const resolved = resolveOptions(options);
    const dirs = directories(resolved.rootDir);
    mkdirSync(resolved.rootDir, { recursive: true });
    const principals = new PrincipalDirectory(model.accountId);
    const policyStore = new ModelPolicyStore(model);
    const authorizer = new Authorizer(model.accountId, policyStore);
    // The IAM API changes policies while the sandbox runs: decisions made before a change are forgotten.
    policyStore.onChange(() => authorizer.forgetDecisions());
    const iam = new IamService(model.accountId, roles(model).map((r) => ({ roleName: r.name, roleArn: r.arn, assumeRolePolicy: r.assumeRolePolicy })), policyStore, authorizer);

    const onInternalError = endpointErrorLog(dirs.endpointLog);
    const s3 = await S3Service.start(
      { directory: dirs.s3, port: resolved.ports.s3, treatLoopbackAsTls: resolved.treatLoopbackAsTls, region: model.region, onInternalError, bucketConfigurations: bucketConfigurations(model) },
      principals,
      authorizer,
    );
    let api: ApiServer | undefined;
    try {
      await seedS3(s3.internalEndpoint, model);
      let apiEndpoint = "";
      const endpointEnv = () => ({
        [ENDPOINT_ENV_NAMES.s3]: s3.endpoint,
        [ENDPOINT_ENV_NAMES.sfn]: apiEndpoint,
        [ENDPOINT_ENV_NAMES.glue]: apiEndpoint,
        [ENDPOINT_ENV_NAMES.logs]: apiEndpoint,
        [ENDPOINT_ENV_NAMES.iam]: apiEndpoint,
      });
      const lambda = new LambdaService(
        functions(model),
        {
          region: model.region,
          accountId: model.accountId,
          taskRootDir: dirs.functions,
          logDir: dirs.lambdaLogs,
          nodeModules: runtimeNodeModules(),
          endpointEnv,
        },
        principals,
        authorizer,
      );
      const glue = new GlueService(
        glueJobs(model),
        {
          region: model.region,
          accountId: model.accountId,
          startupDelayMs: resolved.glue.startupDelayMs,
          timeScale: resolved.timeScale,
          workDir: dirs.glueRuns,
          logDir: dirs.glueLogs,
          // Python files, read from the sources: dist/ holds compiled TypeScript only.
          runtimeLibDir: path.join(packageRoot(), "sandbox", "glue", "runtime"),
          python: resolved.python,
          s3Endpoint: () => s3.endpoint,
          endpointEnv,
        },
        principals,
        authorizer,
      );
      const sfn: StepFunctionsService = new StepFunctionsService(
        stateMachines(model),
        {
          region: model.region,
          accountId: model.accountId,
          timeScale: resolved.timeScale,
          validatedDefinitions: resolved.sfn.validatedDefinitions,
          stepFunctionsMayAssume: (roleArn) => iam.serviceMayAssume(roleArn, "states.amazonaws.com"),
        },
        {
          region: model.region,
          accountId: model.accountId,
          lambda,
          glue,
          // Nested executions call the same service (bound late: it is being constructed).
          states: {
            startExecution: (caller, request) => sfn.startExecution(caller, request),
            describeExecution: (caller, arn) => sfn.describeExecution(caller, arn),
            stopExecution: (caller, request) => sfn.stopExecution(caller, request),
            whenFinished: (arn) => sfn.whenFinished(arn),
          },
          authorize: (request) => authorizer.authorize(request),
          tokens: new TaskTokenRegistry(),
          timeScale: resolved.timeScale,
          syncPollIntervalMs: resolved.sfn.syncPollIntervalMs,
        },
        principals,
        authorizer,
      );
      const logSources = new LogSources({
        region: model.region,
        accountId: model.accountId,
        startedAt: Date.now(),
        declared: logGroups(model),
        functions: functionLogGroups(model),
        glueJobs: glueJobs(model),
        lambdaLogFile: (fn) => lambda.logFile(fn),
        glueLogDir: dirs.glueLogs,
        executions: () => sfn.executionLogs(),
      });
      const logs = new LogsService(logSources, authorizer);
      api = await ApiServer.start({ port: resolved.ports.api, region: model.region, onInternalError }, jsonProtocols({ sfn, glue, logs }), principals, {
        protocol: iamProtocol(iam),
        signingName: "iam",
      });
      apiEndpoint = api.endpoint;
      const sandbox = new Sandbox(model, resolved, principals, s3, api, lambda, glue, sfn);
      if (resolved.writeConnectionFile) sandbox.writeConnectionFile();
      return sandbox;
    } catch (error) {
      await api?.stop();
      await s3.stop();
      throw error;
    }
  }

  /** What `sandbox.json` holds. */
  connection(): SandboxConnection {
    return {
      region: this.region,
      accountId: this.accountId,
      endpoints: this.endpoints,
      credentials: this.credentials,
      operatorArn: this.operatorArn,
      rootDir: this.options.rootDir,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      outputs: this.model.outputs,
    };
  }

  /** Settings for an SDK v3 client of a service, as the operator: `new SFNClient(sandbox.clientConfig("sfn"))`. */
  clientConfig(service: keyof SandboxEndpoints): SandboxClientConfig {
    const base = { region: this.region, endpoint: this.endpoints[service], credentials: this.credentials };
    return service === "s3" ? { ...base, forcePathStyle: true } : base;
  }

  /** Credentials of a role session, to call the sandbox as one of the program's principals. */
  credentialsFor(roleArn: string, sessionName = "sandbox-session"): Credentials {
    return this.principals.roleSession(roleArn, sessionName).credentials;
  }

  /** Resolves when an execution ends (no polling), with its description. */
  whenExecutionFinished(executionArn: string): Promise<ExecutionDescription> {
    return this.sfn.whenFinished(executionArn);
  }

  /** Resolves when a Glue job run ends, with the run. */
  whenJobRunFinished(jobRunId: string): Promise<JobRun> {
    return this.glue.whenFinished(jobRunId);
  }

  /** Called on every Glue job run state change; returns the unsubscribe function. */
  onJobRunChange(listener: (run: JobRun) => void): () => void {
    return this.glue.onRunChange(listener);
  }

  /** Makes the next invocations of a function fail with a Lambda service error (fault injection). */
  injectLambdaFault(functionName: string, fault: LambdaFault): void {
    this.lambda.injectFault(functionName, fault);
  }

  /** A function's log file (START/END/REPORT around what the handler printed). */
  lambdaLogFile(functionName: string): string {
    return this.lambda.logFile(functionName);
  }

  /** Folder of the Glue runs' output and error logs (`<job>.<run id>.output.log` / `.error.log`). */
  get glueLogDir(): string {
    return directories(this.options.rootDir).glueLogs;
  }

  /** Back to the freshly deployed state: executions stopped and forgotten, runs killed, S3 re-seeded. */
  async reset(): Promise<void> {
    await this.sfn.reset();
    await this.glue.reset();
    const s3Dir = directories(this.options.rootDir).s3;
    for (const entry of readdirSync(s3Dir)) rmSync(path.join(s3Dir, entry), { recursive: true, force: true });
    await seedS3(this.s3.internalEndpoint, this.model);
  }

  /** Stops executions and runs, closes the endpoints and removes the connection file. S3 data stays. */
  async stop(): Promise<void> {
    await this.sfn.reset();
    await this.glue.reset();
    await this.lambda.close();
    await this.api.stop();
    await this.s3.stop();
    rmSync(this.connectionFile, { force: true });
  }

  /** Holds the operator's secret: readable by the owner only (0600), also when the file already existed. */
  private writeConnectionFile(): void {
    writeFileSync(this.connectionFile, `${JSON.stringify(this.connection(), null, 2)}\n`, { mode: 0o600 });
    chmodSync(this.connectionFile, 0o600);
  }
}

/** The node_modules folder that provides the AWS SDK, as Lambda's runtime provides it to functions. */
function runtimeNodeModules(): string {
  const entry = require.resolve("@aws-sdk/client-s3");
  const marker = `${path.sep}node_modules${path.sep}`;
  return entry.slice(0, entry.lastIndexOf(marker) + marker.length - 1);
}

function directories(rootDir: string) {
  return {
    s3: path.join(rootDir, "s3"),
    functions: path.join(rootDir, "functions"),
    glueRuns: path.join(rootDir, "glue-runs"),
    lambdaLogs: path.join(rootDir, "logs", "lambda"),
    glueLogs: path.join(rootDir, "logs", "glue"),
    endpointLog: path.join(rootDir, "logs", "endpoints.log"),
  };
}

/** Requests an endpoint could not answer (answered 500) are logged here with their stack. */
function endpointErrorLog(file: string): (where: string, error: unknown) => void {
  return (where, error) => {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      appendFileSync(file, `${new Date().toISOString()} [${where}] ${(error as Error)?.stack ?? String(error)}\n`);
    } catch {
      process.stderr.write(`[sandbox ${where}] ${(error as Error)?.stack ?? String(error)}\n`);
    }
  };
}
