import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import * as fs from "fs";
import { DEFAULT_DATA_FILE, DEFAULT_FILTER, ETL_JOB_DEFAULTS, ETL_PIPELINE_DEFAULTS, FUNCTION_DEFAULTS, SPARK_WORKER_DEFAULTS, withDefaults } from "./defaults";
import {
  checkCapacity,
  checkEngine,
  checkEngineSettings,
  checkWorkers,
  EtlEngine,
  checkFilter,
  checkJobTimeout,
  checkLogRetention,
  checkPrefix,
  checkSchema,
  Column,
  ORDERS_SCHEMA,
  RowFilter,
  SettingError,
} from "./etlSettings";
import { assumeRolePolicy, policyDocument, PolicyStatement } from "./iam";
import { handlerArchive, HandlerName } from "./lambdaBundle";
import { packageRoot } from "./packageRoot";
import { PatternTargets, TASK_TOKEN_ARGUMENT } from "./patterns";
import { currentArnContext } from "./validatedStateMachine";
import { SPARK_GLUE_VERSION } from "./glueWorkers";

/** Where the library's own ETL script and sample data live. */
export const ETL_DIR = path.join(packageRoot(), "etl");

export interface EtlJobSettings {
  /** DPUs for the Python shell job: 0.0625 or 1. Default 0.0625. Not for the Spark engine. */
  readonly maxCapacity?: number;
  /** The Spark engine's worker type: G.1X, G.2X, G.4X or G.8X. Default G.1X. */
  readonly workerType?: string;
  /** The Spark engine's number of workers, at least 2. Default 2. */
  readonly numberOfWorkers?: number;
  /** The job run's timeout in minutes. Default 10. */
  readonly timeoutMinutes?: number;
  /** Runs allowed at once; Glue refuses more with ConcurrentRunsExceededException. Default 3. */
  readonly maxConcurrentRuns?: number;
}

export interface FunctionSettings {
  /** Memory in MB. Default 256. */
  readonly memorySize?: number;
  /** Timeout in seconds. Default 30. */
  readonly timeoutSeconds?: number;
  /** Retention of each function's log group, in days. Default 14. */
  readonly logRetentionInDays?: number;
}

export interface EtlPipelineArgs {
  /**
   * The job's engine: "python-shell" (a Glue Python shell job, Python 3.9, one node) or "spark" (a Glue 5.0 Spark
   * job, Spark 3.5 on Python 3.11, job.numberOfWorkers workers). Same filter, same data contract. Default "python-shell".
   */
  readonly engine?: EtlEngine;
  /** Local CSV file uploaded as the data file. Default: the library's sample orders (etl/data/orders.csv). */
  readonly dataFile?: string;
  /** Key of the data file in the bucket. Default "input/orders.csv". */
  readonly dataKey?: string;
  /** Key prefix under which each job run writes `<prefix>/<JobRunId>/`. Default "output". */
  readonly outputPrefix?: string;
  /** Columns of the data file, in order. Default: the sample orders' columns. */
  readonly schema?: readonly Column[];
  /** Which rows the job keeps. Default: amount ge 100. */
  readonly filter?: RowFilter;
  readonly job?: EtlJobSettings;
  readonly functions?: FunctionSettings;
  /**
   * Build what the event-driven-callback machine needs: the event-callback function and an EventBridge rule
   * on this job's Glue Job State Change events that invokes it. Default false (the program builds them when
   * its stack lists event-driven-callback).
   */
  readonly eventDrivenCallback?: boolean;
  /** Let `pulumi destroy` delete a bucket that still holds objects. Default false. */
  readonly forceDestroy?: boolean;
  readonly tags?: Record<string, string>;
}

/** What both lab functions share: the component's name, settings, tags and account. */
interface LabFunctionCommon {
  readonly name: string;
  readonly settings: Required<FunctionSettings>;
  readonly tags: Record<string, string> | undefined;
  readonly accountId: pulumi.Input<string>;
}

interface LabFunction {
  readonly fn: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
}

/**
 * The ETL lab's resources: a hardened bucket holding the data file and the Glue script, the check-file and
 * validate-output functions, and the Glue Python shell job that filters the data file; each with its own
 * least-privilege role.
 */
export class EtlPipeline extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly bucketName: pulumi.Output<string>;
  public readonly dataKey: string;
  public readonly outputPrefix: string;
  public readonly scriptKey: string;
  public readonly engine: EtlEngine;
  public readonly checkFileFunction: aws.lambda.Function;
  public readonly validateFunction: aws.lambda.Function;
  public readonly job: aws.glue.Job;
  public readonly jobName: pulumi.Output<string>;
  public readonly roles: { readonly checkFile: aws.iam.Role; readonly validateOutput: aws.iam.Role; readonly glueJob: aws.iam.Role; readonly eventCallback?: aws.iam.Role };
  /** The event-callback function and the rule that invokes it (when eventDrivenCallback is not false). */
  public readonly eventCallback?: { readonly fn: aws.lambda.Function; readonly rule: aws.cloudwatch.EventRule };
  /** What a pattern state machine needs: pass it to requestResponse/runJob/waitForCallback. */
  public readonly patternTargets: PatternTargets;

  constructor(name: string, args: EtlPipelineArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("sfn-integration-patterns:index:EtlPipeline", name, {}, opts);
    const schema = args.schema ?? ORDERS_SCHEMA;
    const filter = args.filter ?? DEFAULT_FILTER;
    const dataKey = args.dataKey ?? ETL_PIPELINE_DEFAULTS.dataKey;
    const outputPrefix = args.outputPrefix ?? ETL_PIPELINE_DEFAULTS.outputPrefix;
    const dataFile = args.dataFile ?? path.join(packageRoot(), DEFAULT_DATA_FILE);
    const job = withDefaults<Pick<EtlJobSettings, "maxCapacity" | "timeoutMinutes" | "maxConcurrentRuns">>(ETL_JOB_DEFAULTS, args.job);
    const fnSettings = withDefaults<FunctionSettings>(FUNCTION_DEFAULTS, args.functions);
    const engine = args.engine ?? ETL_PIPELINE_DEFAULTS.engine;
    const workers = { workerType: args.job?.workerType ?? SPARK_WORKER_DEFAULTS.workerType, numberOfWorkers: args.job?.numberOfWorkers ?? SPARK_WORKER_DEFAULTS.numberOfWorkers };
    checkArgs(name, () => {
      checkEngine(engine);
      checkEngineSettings(engine, args.job ?? {});
      checkSchema(schema);
      checkFilter(filter, schema);
      if (engine === "spark") checkWorkers(workers.workerType, workers.numberOfWorkers);
      else checkCapacity(job.maxCapacity);
      checkJobTimeout(job.timeoutMinutes);
      checkLogRetention("functions.logRetentionInDays", fnSettings.logRetentionInDays);
      // Pulumi reads a FileAsset only when it deploys; a missing file would pass preview and fail `up`.
      if (!fs.existsSync(dataFile) || !fs.statSync(dataFile).isFile()) throw new SettingError("dataFile", `data file ${dataFile} does not exist`);
      checkPrefix("outputPrefix", outputPrefix);
      checkPrefix("dataKey", dataKey);
    });
    const tags = args.tags;
    const arnContext = currentArnContext(this);
    const child = { parent: this };

    // Bucket, hardened: private, encrypted, versioned, TLS only, objects owned by the bucket owner.
    this.bucket = new aws.s3.Bucket(`${name}-data`, { forceDestroy: args.forceDestroy ?? ETL_PIPELINE_DEFAULTS.forceDestroy, tags }, child);
    const bucketId = this.bucket.id;
    const ownership = new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucketId, rule: { objectOwnership: "BucketOwnerEnforced" } },
      child,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket: bucketId, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      child,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket: bucketId, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      child,
    );
    new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucketId, versioningConfiguration: { status: "Enabled" } }, child);
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      {
        bucket: bucketId,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              // A Deny on every S3 action is the narrowest way to refuse plain-HTTP requests of any kind.
              Action: "s3:*",
              Resource: [this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      },
      // The public access block must exist first, or AWS may refuse the policy while it is being set.
      { parent: this, dependsOn: [publicAccess, ownership] },
    );

    // The Spark job runs spark_job.py, which uses the Python shell job's module (arguments, manifest), transform,
    // and arrow_range (transform's classification, most blocks read by Arrow when the job has pyarrow).
    const jobModuleKey = "etl/glue_job.py";
    const scriptKey = engine === "spark" ? "etl/spark_job.py" : jobModuleKey;
    const transformKey = "etl/transform.py";
    const arrowRangeKey = "etl/arrow_range.py";
    const libraryKeys = engine === "spark" ? [transformKey, jobModuleKey, arrowRangeKey] : [transformKey];
    const upload = (logical: string, key: string, file: string) =>
      new aws.s3.BucketObjectv2(`${name}-${logical}`, { bucket: bucketId, key, source: new pulumi.asset.FileAsset(file), tags }, {
        parent: this,
        dependsOn: [ownership],
      });
    upload("data-file", dataKey, dataFile);
    upload("etl-script", scriptKey, path.join(ETL_DIR, path.posix.basename(scriptKey)));
    upload("etl-transform", transformKey, path.join(ETL_DIR, "transform.py"));
    if (engine === "spark") {
      upload("etl-job-module", jobModuleKey, path.join(ETL_DIR, "glue_job.py"));
      upload("etl-arrow-range", arrowRangeKey, path.join(ETL_DIR, "arrow_range.py"));
    }

    const objectArn = (key: string) => pulumi.interpolate`${this.bucket.arn}/${key}`;
    const outputArn = pulumi.interpolate`${this.bucket.arn}/${outputPrefix}/*`;

    // The Glue job: reads its scripts and the data file, writes under the output prefix, logs to Glue's groups.
    const glueRole = new aws.iam.Role(
      `${name}-etl-role`,
      { description: `Glue job role of ${name}`, assumeRolePolicy: assumeRolePolicy("glue.amazonaws.com", arnContext.accountId), tags },
      child,
    );
    // Python shell jobs log to /aws-glue/python-jobs/..., Spark jobs to /aws-glue/jobs/... (output, error).
    const glueLogGroup = engine === "spark" ? "/aws-glue/jobs" : "/aws-glue/python-jobs";
    const glueLogs = pulumi.interpolate`arn:${arnContext.partition}:logs:${arnContext.region}:${arnContext.accountId}:log-group:${glueLogGroup}/*`;
    new aws.iam.RolePolicy(
      `${name}-etl-policy`,
      {
        role: glueRole.name,
        policy: policyDocument([
          { Sid: "ReadScriptsAndData", Effect: "Allow", Action: ["s3:GetObject"], Resource: [objectArn(scriptKey), ...libraryKeys.map(objectArn), objectArn(dataKey)] },
          { Sid: "WriteRunOutput", Effect: "Allow", Action: ["s3:PutObject"], Resource: [outputArn] },
          { Sid: "GlueLogGroups", Effect: "Allow", Action: ["logs:CreateLogGroup"], Resource: [glueLogs] },
          { Sid: "GlueLogStreams", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [pulumi.interpolate`${glueLogs}:*`] },
        ]),
      },
      child,
    );
    const s3Url = (key: string) => pulumi.interpolate`s3://${bucketId}/${key}`;
    this.job = new aws.glue.Job(
      `${name}-etl`,
      {
        description: `Filters s3://<bucket>/${dataKey} into ${outputPrefix}/<JobRunId>/`,
        roleArn: glueRole.arn,
        ...(engine === "spark"
          ? {
              // Glue 5.0: Spark 3.5.4 on Python 3.11; capacity is workers x DPU per worker.
              glueVersion: SPARK_GLUE_VERSION,
              command: { name: "glueetl", pythonVersion: "3", scriptLocation: s3Url(scriptKey) },
              workerType: workers.workerType,
              numberOfWorkers: workers.numberOfWorkers,
            }
          : {
              glueVersion: "3.0",
              command: { name: "pythonshell", pythonVersion: "3.9", scriptLocation: s3Url(scriptKey) },
              maxCapacity: job.maxCapacity,
            }),
        timeout: job.timeoutMinutes,
        maxRetries: 0,
        executionProperty: { maxConcurrentRuns: job.maxConcurrentRuns },
        defaultArguments: {
          "--extra-py-files": pulumi.all(libraryKeys.map(s3Url)).apply((urls) => urls.join(",")),
          ...(engine === "spark" ? { "--job-language": "python" } : {}),
          "--source_bucket": bucketId,
          "--source_key": dataKey,
          "--output_bucket": bucketId,
          "--output_prefix": outputPrefix,
          "--schema": JSON.stringify(schema),
          "--filter": JSON.stringify(filter),
        },
        tags,
      },
      child,
    );

    // check-file: reads the data file's metadata. ListBucket lets S3 answer 404 (FileNotFound) rather than 403.
    const common: LabFunctionCommon = { name, settings: fnSettings, tags, accountId: arnContext.accountId };
    const checkFile = this.labFunction(common, "check-file", { DATA_BUCKET: bucketId, DATA_KEY: dataKey, ETL_JOB_NAME: this.job.name }, [
      { Effect: "Allow", Action: ["s3:GetObject"], Resource: [objectArn(dataKey)] },
      { Effect: "Allow", Action: ["s3:ListBucket"], Resource: [this.bucket.arn] },
    ]);

    // validate-output: reads one run's output and manifest.
    const validate = this.labFunction(
      common,
      "validate-output",
      {
        OUTPUT_BUCKET: bucketId,
        OUTPUT_PREFIX: outputPrefix,
        SCHEMA_JSON: JSON.stringify(schema),
        FILTER_JSON: JSON.stringify(filter),
      },
      [
        { Effect: "Allow", Action: ["s3:GetObject"], Resource: [outputArn] },
        { Effect: "Allow", Action: ["s3:ListBucket"], Resource: [this.bucket.arn] },
      ],
    );

    // event-callback: the target of a rule on this job's state changes; reads the run, verifies it, sends the token.
    if (args.eventDrivenCallback === true) {
      const jobArn = pulumi.interpolate`arn:${arnContext.partition}:glue:${arnContext.region}:${arnContext.accountId}:job/${this.job.name}`;
      const callback = this.labFunction(
        common,
        "event-callback",
        {
          ETL_JOB_NAME: this.job.name,
          TASK_TOKEN_ARGUMENT,
          OUTPUT_BUCKET: bucketId,
          OUTPUT_PREFIX: outputPrefix,
          SCHEMA_JSON: JSON.stringify(schema),
          FILTER_JSON: JSON.stringify(filter),
        },
        [
          { Sid: "ReadJobRun", Effect: "Allow", Action: ["glue:GetJobRun"], Resource: [jobArn] },
          // SendTaskSuccess and SendTaskFailure have no resource type (Service Authorization Reference): "*" only.
          { Sid: "SendTaskHasNoResourceLevelPermissions", Effect: "Allow", Action: ["states:SendTaskSuccess", "states:SendTaskFailure"], Resource: ["*"] },
          // No s3:ListBucket: the run SUCCEEDED before its output is read, so a missing manifest is a broken run either way.
          { Sid: "ReadRunOutput", Effect: "Allow", Action: ["s3:GetObject"], Resource: [outputArn] },
        ],
      );
      // Glue sends "Glue Job State Change" for SUCCEEDED, FAILED, TIMEOUT and STOPPED ("Automating AWS Glue with EventBridge").
      const rule = new aws.cloudwatch.EventRule(
        `${name}-glue-job-ended`,
        {
          description: `This job's runs ended: invokes ${name}'s event-callback`,
          eventPattern: pulumi.jsonStringify({
            source: ["aws.glue"],
            "detail-type": ["Glue Job State Change"],
            detail: { jobName: [this.job.name], state: ["SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED"] },
          }),
          tags,
        },
        child,
      );
      // A Lambda target is authorized by the function's resource-based policy, for this rule only.
      const permission = new aws.lambda.Permission(
        `${name}-event-callback-from-rule`,
        { action: "lambda:InvokeFunction", function: callback.fn.name, principal: "events.amazonaws.com", sourceArn: rule.arn },
        child,
      );
      new aws.cloudwatch.EventTarget(`${name}-event-callback-target`, { rule: rule.name, targetId: "event-callback", arn: callback.fn.arn }, { parent: this, dependsOn: [permission] });
      this.eventCallback = { fn: callback.fn, rule };
      this.roles = { checkFile: checkFile.role, validateOutput: validate.role, glueJob: glueRole, eventCallback: callback.role };
    } else {
      this.roles = { checkFile: checkFile.role, validateOutput: validate.role, glueJob: glueRole };
    }

    this.bucketName = this.bucket.bucket;
    this.dataKey = dataKey;
    this.outputPrefix = outputPrefix;
    this.scriptKey = scriptKey;
    this.engine = engine;
    this.checkFileFunction = checkFile.fn;
    this.validateFunction = validate.fn;
    this.jobName = this.job.name;
    this.patternTargets = {
      checkFileFunctionArn: checkFile.fn.arn,
      validateFunctionArn: validate.fn.arn,
      jobName: this.job.name,
    };
    this.registerOutputs({
      bucketName: this.bucketName,
      dataKey,
      outputPrefix,
      jobName: this.jobName,
      checkFileFunctionArn: checkFile.fn.arn,
      validateFunctionArn: validate.fn.arn,
    });
  }

  /** A function with its own role, its own log group (retention set) and exactly the given permissions. */
  private labFunction(
    common: LabFunctionCommon,
    handler: HandlerName,
    environment: Record<string, pulumi.Input<string>>,
    statements: PolicyStatement[],
  ): LabFunction {
    const { name, settings, tags } = common;
    const child = { parent: this };
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-${handler}-logs`,
      { namePrefix: `/aws/lambda/${name}-${handler}-`, retentionInDays: settings.logRetentionInDays, tags },
      child,
    );
    const role = new aws.iam.Role(
      `${name}-${handler}-role`,
      { description: `${handler} function role of ${name}`, assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com", common.accountId), tags },
      child,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-${handler}-policy`,
      {
        role: role.name,
        policy: policyDocument([
          ...statements,
          { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [pulumi.interpolate`${logGroup.arn}:*`] },
        ]),
      },
      child,
    );
    const fn = new aws.lambda.Function(
      `${name}-${handler}`,
      {
        description: `${handler} of ${name}`,
        runtime: aws.lambda.Runtime.NodeJS22dX,
        architectures: ["arm64"],
        handler: "index.handler",
        code: handlerArchive(handler),
        role: role.arn,
        memorySize: settings.memorySize,
        timeout: settings.timeoutSeconds,
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
        environment: {
          variables: { ...environment, POWERTOOLS_SERVICE_NAME: handler, POWERTOOLS_LOG_LEVEL: "INFO" },
        },
        tags,
      },
      { parent: this, dependsOn: [policy] },
    );
    return { fn, role, logGroup };
  }
}

function checkArgs(name: string, check: () => void): void {
  try {
    check();
  } catch (err) {
    if (err instanceof SettingError) {
      throw new SettingError(err.field, `EtlPipeline "${name}": ${err.field}: ${err.message}`);
    }
    throw err;
  }
}
