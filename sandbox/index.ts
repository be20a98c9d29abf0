import { appendFileSync, chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../components/packageRoot";
import { CONNECTION_FILE_NAME } from "./connection";
import { ApiServer } from "./endpoints/api-server";
import { ENDPOINT_ENV_NAMES } from "./client-environment";
import { EventsService, type EventDelivery } from "./events/events-service";
import { eventRules, eventTargets } from "./events/events-view";
import { GLUE_JOB_STATE_CHANGE, GLUE_SOURCE, glueJobStateChange } from "./events/glue-events";
import { jsonProtocols } from "./endpoints/protocols";
import { GlueService, type JobRun } from "./glue/glue-service";
import { GlueCatalog } from "./glue/catalog";
import type { CrawlOutcome, CrawlStarter } from "./glue/crawl-outcome";
import { GLUE_CRAWLER_STATE_CHANGE, glueCrawlerStateChange } from "./glue/crawler-events";
import { catalogDatabases, crawlerDefinitions } from "./glue/crawler-model";
import { s3CrawlReader } from "./glue/crawler-s3";
import { CrawlerService } from "./glue/crawler-service";
import { glueTriggers, glueWorkflows } from "./glue/workflow-model";
import { GlueWorkflowService } from "./glue/workflow-service";
import { Authorizer } from "./iam/authorizer";
import { ModelPolicyStore } from "./iam/policy-store";
import { PrincipalDirectory, type Credentials } from "./iam/principals";
import { lambdaProtocol } from "./lambda/lambda-protocol";
import { LambdaService, type LambdaFault } from "./lambda/lambda-service";
import { LogSources } from "./logs/log-sources";
import { LogsService } from "./logs/logs-service";
import { functionLogGroups, functions, glueJobs, logGroups, roles, stateMachines } from "./model-view";
import { notDeployed, type NotDeployed } from "./not-deployed";
import { IamService } from "./iam/iam-service";
import { iamProtocol } from "./iam/iam-protocol";
import { resolveOptions, type ProgramSource, type ResolvedSandboxOptions, type SandboxOptions } from "./options";
import type { ProgramModel } from "./program-model";
import { bucketConfigurations } from "./s3/bucket-configuration";
import { S3Service } from "./s3/s3-service";
import { seedS3 } from "./s3/seed";
import type { ExecutionDescription } from "./sfn/sfn-service";
import { StepFunctionsService } from "./sfn/sfn-service";
import { TaskTokenRegistry } from "./sfn/task-tokens";
import { DynamoDbService } from "./dynamodb/dynamodb-service";
import { tables } from "./dynamodb/tables";
import { snsProtocol } from "./sns/sns-protocol";
import { SnsService } from "./sns/sns-service";
import { subscriptions, topics } from "./sns/topics-model";
import { queuePolicies, queues } from "./sqs/queues-model";
import { SqsService } from "./sqs/sqs-service";

export type { SandboxOptions } from "./options";
export type { ProgramModel } from "./program-model";
export type { Credentials } from "./iam/principals";
export type { JobRun } from "./glue/glue-service";
export type { ExecutionDescription } from "./sfn/sfn-service";
export type { LambdaFault } from "./lambda/lambda-service";
export type { EventDelivery } from "./events/events-service";
export type { NotDeployed } from "./not-deployed";
export { describeNotDeployed } from "./not-deployed";
export { clientEnvironment, ENDPOINT_ENV_NAMES } from "./client-environment";

/** Where the sandbox listens. Every service but S3 shares one endpoint (JSON and query protocols). */
export interface SandboxEndpoints {
  readonly s3: string;
  readonly sfn: string;
  readonly glue: string;
  readonly logs: string;
  readonly iam: string;
  readonly events: string;
  /** Lambda's REST API (CreateFunction, Invoke...), on the same server as the JSON services. */
  readonly lambda: string;
  readonly dynamodb: string;
  readonly sqs: string;
  readonly sns: string;
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
  /** The program and stack deployed, when the starter said (sandbox up does). */
  readonly program?: ProgramSource;
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
  /** The program's resources the sandbox did not deploy, with what fails when a machine calls them. */
  readonly notDeployed: readonly NotDeployed[];

  private constructor(
    readonly model: ProgramModel,
    readonly options: ResolvedSandboxOptions,
    private readonly principals: PrincipalDirectory,
    private readonly s3: S3Service,
    private readonly api: ApiServer,
    private readonly lambda: LambdaService,
    private readonly glue: GlueService,
    private readonly crawling: { readonly crawlers: CrawlerService; readonly catalog: GlueCatalog },
    private readonly sfn: StepFunctionsService,
    private readonly events: EventsService,
    private readonly messaging: { readonly dynamodb: DynamoDbService; readonly sqs: SqsService; readonly sns: SnsService },
    private readonly glueWorkflows: GlueWorkflowService,
  ) {
    this.region = model.region;
    this.accountId = model.accountId;
    const shared = api.endpoint;
    this.endpoints = { s3: s3.endpoint, sfn: shared, glue: shared, logs: shared, iam: shared, events: shared, lambda: shared, dynamodb: shared, sqs: shared, sns: shared };
    const operator = principals.operator();
    this.credentials = operator.credentials;
    this.operatorArn = operator.principal.arn;
    this.connectionFile = path.join(options.rootDir, CONNECTION_FILE_NAME);
    this.notDeployed = notDeployed(model);
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
    // Resource policies of functions (aws.lambda.Permission) and queues (aws.sqs.QueuePolicy): what lets SNS deliver.
    const iam = new IamService(model.accountId, roles(model).map((r) => ({ roleName: r.name, roleArn: r.arn, assumeRolePolicy: r.assumeRolePolicy })), policyStore, authorizer);

    const onInternalError = endpointErrorLog(dirs.endpointLog);
    const s3 = await S3Service.start(
      { directory: dirs.s3, port: resolved.ports.s3, treatLoopbackAsTls: resolved.treatLoopbackAsTls, region: model.region, onInternalError, bucketConfigurations: bucketConfigurations(model) },
      principals,
      authorizer,
    );
    let api: ApiServer | undefined;
    let dynamodb: DynamoDbService | undefined;
    try {
      await seedS3(s3.internalEndpoint, model);
      let apiEndpoint = "";
      const endpointEnv = () => ({
        [ENDPOINT_ENV_NAMES.s3]: s3.endpoint,
        [ENDPOINT_ENV_NAMES.sfn]: apiEndpoint,
        [ENDPOINT_ENV_NAMES.glue]: apiEndpoint,
        [ENDPOINT_ENV_NAMES.logs]: apiEndpoint,
        [ENDPOINT_ENV_NAMES.iam]: apiEndpoint,
        [ENDPOINT_ENV_NAMES.events]: apiEndpoint,
        [ENDPOINT_ENV_NAMES.lambda]: apiEndpoint,
        [ENDPOINT_ENV_NAMES.dynamodb]: apiEndpoint,
        [ENDPOINT_ENV_NAMES.sqs]: apiEndpoint,
        [ENDPOINT_ENV_NAMES.sns]: apiEndpoint,
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
          python: resolved.python,
          lambdaMayAssume: (roleArn) => iam.serviceMayAssume(roleArn, "lambda.amazonaws.com"),
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
          glueMayAssume: (roleArn) => iam.serviceMayAssume(roleArn, "glue.amazonaws.com"),
        },
        principals,
        authorizer,
      );
      // The Data Catalog and its crawlers; a crawl reads S3 as the crawler's role, over the S3 endpoint.
      const catalog = new GlueCatalog({ region: model.region, accountId: model.accountId }, authorizer);
      for (const database of catalogDatabases(model)) catalog.deploy(database);
      const crawlers = new CrawlerService(
        {
          region: model.region,
          accountId: model.accountId,
          startupDelayMs: resolved.glue.startupDelayMs,
          glueMayAssume: (roleArn) => iam.serviceMayAssume(roleArn, "glue.amazonaws.com"),
          reader: (credentials) => s3CrawlReader({ endpoint: s3.endpoint, region: model.region, credentials }),
        },
        catalog,
        principals,
        authorizer,
        crawlerDefinitions(model),
      );
      const glueCrawling = { crawlers, catalog };
      // Workflows and triggers run the model's jobs as Glue does; crawler actions and crawl conditions go to the crawler engine.
      const glueWorkflowService = new GlueWorkflowService(
        { workflows: glueWorkflows(model), triggers: glueTriggers(model) },
        { region: model.region, accountId: model.accountId, crawls: crawlers },
        glue,
        authorizer,
      );
      dynamodb = await DynamoDbService.start({ region: model.region, accountId: model.accountId, tables: tables(model) }, authorizer);
      const sqs = new SqsService(
        { region: model.region, accountId: model.accountId, endpoint: () => apiEndpoint, onQueuePolicy: (arn, policy) => policyStore.setResourcePolicy(arn, policy) },
        queues(model),
        authorizer,
        new Map(queuePolicies(model).map((p) => [p.queueName, p.document])),
      );
      const deliveryLog = endpointErrorLog(dirs.snsDeliveryLog);
      const sns = new SnsService(
        { region: model.region, accountId: model.accountId, onDeliveryFailure: (subscriptionArn, error) => deliveryLog(`sns delivery ${subscriptionArn}`, error) },
        { topics: topics(model), subscriptions: subscriptions(model) },
        sqs,
        lambda,
        authorizer,
      );
      let events!: EventsService;
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
          glueCrawling,
          glueWorkflows: glueWorkflowService,
          dynamodb,
          sqs,
          sns,
          s3: { endpoint: () => s3.endpoint, credentialsOf: (principal) => principals.credentialsOf(principal) },
          // Nested executions call the same service (bound late: it is being constructed).
          states: {
            startExecution: (caller, request) => sfn.startExecution(caller, request),
            describeExecution: (caller, arn) => sfn.describeExecution(caller, arn),
            stopExecution: (caller, request) => sfn.stopExecution(caller, request),
            whenFinished: (arn) => sfn.whenFinished(arn),
          },
          // EventBridge is constructed after Step Functions (its deliveries need Lambda only): bound late.
          events: { putEvents: (caller, entries) => events.putEvents(caller, entries) },
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
        // Read at each listing: functions created through the Lambda API log to /aws/lambda/<name> too.
        get functions() {
          return [...functionLogGroups(model), ...lambda.createdFunctionLogGroups()];
        },
        // Read at each listing: jobs created through the Glue API log to Glue's groups too.
        get glueJobs() {
          return glue.currentJobs();
        },
        lambdaLogFile: (fn) => lambda.logFile(fn),
        glueLogDir: dirs.glueLogs,
        executions: () => sfn.executionLogs(),
      });
      const logs = new LogsService(logSources, authorizer);
      events = new EventsService(
        eventRules(model),
        eventTargets(model),
        {
          region: model.region,
          accountId: model.accountId,
          deliveryLog: dirs.eventDeliveries,
          invokeFunction: (caller, functionArn, event, context) => lambda.invoke(caller, functionArn, event, context),
        },
        authorizer,
      );
      // Glue sends "Glue Job State Change" to the default bus when a run ends (SUCCEEDED, FAILED, TIMEOUT, STOPPED).
      glue.onRunChange((run) => {
        const detail = glueJobStateChange(run);
        if (detail) events.emit(GLUE_SOURCE, GLUE_JOB_STATE_CHANGE, { ...detail });
      });
      // Glue sends "Glue Crawler State Change" when a crawl succeeds or fails.
      crawlers.onCrawlEnd((summary) => {
        const detail = glueCrawlerStateChange(summary, model.accountId, model.region);
        if (detail) events.emit(GLUE_SOURCE, GLUE_CRAWLER_STATE_CHANGE, detail);
      });
      api = await ApiServer.start(
        { port: resolved.ports.api, region: model.region, onInternalError },
        jsonProtocols({ sfn, glue, glueCrawling, glueWorkflows: glueWorkflowService, logs, events, dynamodb, sqs }),
        principals,
        [
          { protocol: iamProtocol(iam), signingName: "iam" },
          { protocol: snsProtocol(sns), signingName: "sns", regional: true },
        ],
        [lambdaProtocol(lambda)],
      );
      apiEndpoint = api.endpoint;
      const sandbox = new Sandbox(model, resolved, principals, s3, api, lambda, glue, glueCrawling, sfn, events, { dynamodb, sqs, sns }, glueWorkflowService);
      if (resolved.writeConnectionFile) sandbox.writeConnectionFile();
      return sandbox;
    } catch (error) {
      await api?.stop();
      await dynamodb?.stop();
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
      ...(this.options.program ? { program: this.options.program } : {}),
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

  /** Starts crawlers as a Glue trigger does and learns how each crawl ended. */
  get crawls(): CrawlStarter {
    return this.crawling.crawlers;
  }

  /** Resolves when the crawler's current crawl ends (at once when it is READY), with how it ended. */
  whenCrawlFinished(crawlerName: string): Promise<CrawlOutcome> {
    return this.crawling.crawlers.whenCrawlFinished(crawlerName);
  }

  /** Called on every Glue job run state change; returns the unsubscribe function. */
  onJobRunChange(listener: (run: JobRun) => void): () => void {
    return this.glue.onRunChange(listener);
  }

  /** What EventBridge did with each matched event so far (also in `logs/events/deliveries.jsonl`), oldest first. */
  eventDeliveries(): EventDelivery[] {
    return this.events.deliveries();
  }

  /** Resolves when every EventBridge delivery started so far has ended. */
  eventDeliveriesSettled(): Promise<void> {
    return this.events.settled();
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

  /** Called after each SNS delivery attempt (to a queue or a function); returns the unsubscribe function. */
  onSnsDelivery(listener: Parameters<SnsService["onDelivery"]>[0]): () => void {
    return this.messaging.sns.onDelivery(listener);
  }

  /** Back to the freshly deployed state: executions stopped and forgotten, runs killed, EventBridge's rules as deployed, S3 re-seeded. */
  async reset(): Promise<void> {
    await this.sfn.reset();
    await this.glueWorkflows.reset();
    await this.glue.reset();
    await this.crawling.crawlers.reset(crawlerDefinitions(this.model));
    this.crawling.catalog.reset(catalogDatabases(this.model));
    this.messaging.sns.reset();
    this.messaging.sqs.reset();
    await this.messaging.dynamodb.reset();
    await this.events.reset();
    const s3Dir = directories(this.options.rootDir).s3;
    for (const entry of readdirSync(s3Dir)) rmSync(path.join(s3Dir, entry), { recursive: true, force: true });
    await seedS3(this.s3.internalEndpoint, this.model);
  }

  /** Stops executions and runs, closes the endpoints and removes the connection file. S3 data stays. */
  async stop(): Promise<void> {
    await this.sfn.reset();
    await this.glueWorkflows.reset();
    await this.glue.reset();
    await this.crawling.crawlers.reset([]);
    // Deliveries under way finish before their functions' environments end.
    await this.events.settled();
    await this.lambda.close();
    this.messaging.sqs.stop();
    await this.api.stop();
    await this.messaging.dynamodb.stop();
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
    eventDeliveries: path.join(rootDir, "logs", "events", "deliveries.jsonl"),
    snsDeliveryLog: path.join(rootDir, "logs", "sns-deliveries.log"),
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
