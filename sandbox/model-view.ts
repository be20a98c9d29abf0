import { archivePart, PackageError, type PackagePart } from "./lambda/function-package";
import type { ModelResource, ProgramModel } from "./program-model";

/**
 * Typed views of the model's resources, by resource type only: the sandbox knows AWS resource types,
 * never which pattern or component declared them. Each reader says which resource and field is wrong.
 */

export const RESOURCE_TYPES = {
  bucket: "aws:s3/bucket:Bucket",
  bucketV2: "aws:s3/bucketV2:BucketV2",
  bucketObject: "aws:s3/bucketObjectv2:BucketObjectv2",
  bucketObjectV1: "aws:s3/bucketObject:BucketObject",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  policy: "aws:iam/policy:Policy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  function: "aws:lambda/function:Function",
  glueJob: "aws:glue/job:Job",
  catalogDatabase: "aws:glue/catalogDatabase:CatalogDatabase",
  crawler: "aws:glue/crawler:Crawler",
  glueWorkflow: "aws:glue/workflow:Workflow",
  glueTrigger: "aws:glue/trigger:Trigger",
  stateMachine: "aws:sfn/stateMachine:StateMachine",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  topic: "aws:sns/topic:Topic",
  topicSubscription: "aws:sns/topicSubscription:TopicSubscription",
  table: "aws:dynamodb/table:Table",
  lambdaPermission: "aws:lambda/permission:Permission",
} as const;

/** An IAM policy document, as far as the sandbox reads it (the evaluator validates the rest). */
export interface PolicyDocument {
  Version?: string;
  Statement: unknown[] | Record<string, unknown>;
}

export interface BucketView {
  readonly logicalName: string;
  readonly name: string;
  readonly arn: string;
}

export interface BucketObjectView {
  readonly logicalName: string;
  readonly bucket: string;
  readonly key: string;
  /** Absolute path of the file to upload (FileAsset), when the object comes from a file. */
  readonly sourcePath?: string;
  /** Inline content, when the object is given as a string. */
  readonly content?: string;
  readonly contentType?: string;
}

export interface BucketPolicyView {
  readonly logicalName: string;
  readonly bucket: string;
  readonly document: PolicyDocument;
}

export interface RoleView {
  readonly logicalName: string;
  readonly name: string;
  readonly arn: string;
  /** The trust policy as JSON text (the program's assumeRolePolicy), when the model has it. */
  readonly assumeRolePolicy?: string;
}

/** An identity policy attached to a role: inline (RolePolicy, inlinePolicies) or managed (attachment). */
export interface IdentityPolicyView {
  readonly roleName: string;
  /** Where the policy comes from, used in explanations: "<logical name>" or "<role>/<inline name>". */
  readonly name: string;
  readonly document: PolicyDocument;
}

export interface FunctionView {
  readonly logicalName: string;
  readonly name: string;
  readonly arn: string;
  readonly roleArn: string;
  readonly handler: string;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  readonly environment: Readonly<Record<string, string>>;
  /** The deployment package's parts, written into the function's task root in order. */
  readonly package: readonly PackagePart[];
}

export interface GlueJobView {
  readonly logicalName: string;
  readonly name: string;
  readonly arn: string;
  readonly roleArn: string;
  /** "pythonshell", "glueetl"... */
  readonly commandName: string;
  readonly pythonVersion: string;
  /** s3://bucket/key of the script. */
  readonly scriptLocation: string;
  readonly defaultArguments: Readonly<Record<string, string>>;
  /** Minutes, as Glue counts them (Glue's default is 2880 = 48 hours). */
  readonly timeoutMinutes: number;
  readonly maxConcurrentRuns: number;
  readonly maxCapacity?: number;
  /** A Spark job's Glue version, worker type and number of workers. */
  readonly glueVersion?: string;
  readonly workerType?: string;
  readonly numberOfWorkers?: number;
}

export interface StateMachineView {
  readonly logicalName: string;
  readonly name: string;
  readonly arn: string;
  readonly roleArn: string;
  /** The ASL definition, as the JSON string the program passed. */
  readonly definition: string;
  readonly type: "STANDARD" | "EXPRESS";
  /** DescribeStateMachine's shape of the program's loggingConfiguration (AWS's default: level OFF). */
  readonly loggingConfiguration: StateMachineLogging;
  /** X-Ray tracing as the program set it (AWS's default: disabled). */
  readonly tracingConfiguration: { readonly enabled: boolean };
  readonly tags: Readonly<Record<string, string>>;
}

export interface StateMachineLogging {
  readonly level: "ALL" | "ERROR" | "FATAL" | "OFF";
  readonly includeExecutionData: boolean;
  readonly destinations?: readonly { readonly cloudWatchLogsLogGroup: { readonly logGroupArn: string } }[];
}

export interface LogGroupView {
  readonly logicalName: string;
  readonly name: string;
  /** The log group ARN without the trailing ":*" (DescribeLogGroups' logGroupArn). */
  readonly arn: string;
  readonly retentionInDays?: number;
  readonly tags: Readonly<Record<string, string>>;
}

export class ModelError extends Error {
  override readonly name = "ModelError";
}

/** Glue's own defaults, applied when the program leaves a setting out. */
const GLUE_DEFAULT_TIMEOUT_MINUTES = 2880;
const GLUE_DEFAULT_MAX_CONCURRENT_RUNS = 1;
/** Lambda's defaults. */
export const LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3;
export const LAMBDA_DEFAULT_MEMORY_MB = 128;

export function where(resource: ModelResource): string {
  return `${resource.type} "${resource.name}"`;
}

/** A value from the mocks' state, falling back to the inputs. */
export function field(resource: ModelResource, key: string): unknown {
  const fromState = resource.state?.[key];
  return fromState !== undefined && fromState !== null ? fromState : resource.inputs?.[key];
}

export function requireString(resource: ModelResource, key: string): string {
  const value = field(resource, key);
  if (typeof value !== "string" || value === "") {
    throw new ModelError(`${where(resource)} has no ${key} (expected a non-empty string, got ${JSON.stringify(value)})`);
  }
  return value;
}

function optionalNumber(resource: ModelResource, key: string): number | undefined {
  const value = field(resource, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ModelError(`${where(resource)} has a non-numeric ${key}: ${JSON.stringify(value)}`);
  }
  return value;
}

function stringRecord(resource: ModelResource, value: unknown, what: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ModelError(`${where(resource)} has ${what} that is not an object: ${JSON.stringify(value)}`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== "string") throw new ModelError(`${where(resource)} ${what}.${k} is not a string: ${JSON.stringify(v)}`);
    out[k] = v;
  }
  return out;
}

/** Parses a policy given as a JSON string (Pulumi's usual form) or as an object. */
export function parsePolicy(resource: ModelResource, value: unknown, what = "policy"): PolicyDocument {
  let doc: unknown = value;
  if (typeof value === "string") {
    try {
      doc = JSON.parse(value);
    } catch (error) {
      throw new ModelError(`${where(resource)} ${what} is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (typeof doc !== "object" || doc === null || !("Statement" in doc)) {
    throw new ModelError(`${where(resource)} ${what} has no Statement: ${JSON.stringify(value)}`);
  }
  return doc as PolicyDocument;
}

export function ofType(model: ProgramModel, ...types: string[]): ModelResource[] {
  return model.resources.filter((r) => types.includes(r.type));
}

/** A role reference may be its name or its ARN; IAM role ARNs end in "role/<path>/<name>". */
export function roleNameOf(reference: string): string {
  const match = /^arn:[^:]+:iam::\d*:role\/(?:.*\/)?([^/]+)$/.exec(reference);
  return match ? match[1] : reference;
}

export function buckets(model: ProgramModel): BucketView[] {
  return ofType(model, RESOURCE_TYPES.bucket, RESOURCE_TYPES.bucketV2).map((r) => {
    const name = typeof field(r, "bucket") === "string" ? (field(r, "bucket") as string) : r.id;
    if (!name) throw new ModelError(`${where(r)} has neither a bucket name nor an id`);
    const arn = typeof field(r, "arn") === "string" ? (field(r, "arn") as string) : `arn:aws:s3:::${name}`;
    return { logicalName: r.name, name, arn };
  });
}

export function bucketObjects(model: ProgramModel): BucketObjectView[] {
  return ofType(model, RESOURCE_TYPES.bucketObject, RESOURCE_TYPES.bucketObjectV1).map((r) => {
    const bucket = requireString(r, "bucket");
    const key = requireString(r, "key");
    const source = r.inputs.source;
    const content = r.inputs.content;
    const contentType = typeof r.inputs.contentType === "string" ? r.inputs.contentType : undefined;
    if (typeof content === "string") return { logicalName: r.name, bucket, key, content, contentType };
    if (typeof source === "object" && source !== null && typeof (source as { path?: unknown }).path === "string") {
      return { logicalName: r.name, bucket, key, sourcePath: (source as { path: string }).path, contentType };
    }
    if (typeof source === "object" && source !== null && typeof (source as { text?: unknown }).text === "string") {
      return { logicalName: r.name, bucket, key, content: (source as { text: string }).text, contentType };
    }
    throw new ModelError(`${where(r)} has neither inputs.content nor inputs.source with a path or text`);
  });
}

export function bucketPolicies(model: ProgramModel): BucketPolicyView[] {
  return ofType(model, RESOURCE_TYPES.bucketPolicy).map((r) => ({
    logicalName: r.name,
    bucket: requireString(r, "bucket"),
    document: parsePolicy(r, field(r, "policy")),
  }));
}

export function roles(model: ProgramModel): RoleView[] {
  return ofType(model, RESOURCE_TYPES.role).map((r) => {
    const name = typeof field(r, "name") === "string" ? (field(r, "name") as string) : r.id;
    const arn = requireString(r, "arn");
    const trust = field(r, "assumeRolePolicy");
    const assumeRolePolicy = typeof trust === "string" ? trust : typeof trust === "object" && trust !== null ? JSON.stringify(trust) : undefined;
    return { logicalName: r.name, name, arn, ...(assumeRolePolicy !== undefined ? { assumeRolePolicy } : {}) };
  });
}

/** Every identity policy per role name: RolePolicy, Role.inlinePolicies and customer-managed attachments. */
export function identityPolicies(model: ProgramModel): IdentityPolicyView[] {
  const out: IdentityPolicyView[] = [];
  for (const r of ofType(model, RESOURCE_TYPES.rolePolicy)) {
    out.push({ roleName: roleNameOf(requireString(r, "role")), name: r.name, document: parsePolicy(r, field(r, "policy")) });
  }
  for (const r of ofType(model, RESOURCE_TYPES.role)) {
    const inline = field(r, "inlinePolicies");
    if (!Array.isArray(inline)) continue;
    const roleName = typeof field(r, "name") === "string" ? (field(r, "name") as string) : r.id;
    for (const [i, p] of inline.entries()) {
      const entry = p as { name?: unknown; policy?: unknown };
      if (entry.policy === undefined || entry.policy === "") continue;
      const name = typeof entry.name === "string" ? entry.name : `inline-${i}`;
      out.push({ roleName, name: `${roleName}/${name}`, document: parsePolicy(r, entry.policy, `inlinePolicies[${i}]`) });
    }
  }
  const managed = new Map<string, { name: string; document: PolicyDocument }>();
  for (const r of ofType(model, RESOURCE_TYPES.policy)) {
    managed.set(requireString(r, "arn"), { name: r.name, document: parsePolicy(r, field(r, "policy")) });
  }
  for (const r of ofType(model, RESOURCE_TYPES.rolePolicyAttachment)) {
    const policy = managed.get(requireString(r, "policyArn"));
    // AWS-managed policies are not in the model; their statements are unknown here, so they grant nothing.
    if (policy) out.push({ roleName: roleNameOf(requireString(r, "role")), name: policy.name, document: policy.document });
  }
  return out;
}

/** The parts of an AssetArchive's entries (text, file, folder or zip, nested archives under their name). */
function archiveEntries(r: ModelResource, assets: Record<string, unknown>, prefix: string): PackagePart[] {
  const parts: PackagePart[] = [];
  for (const [name, entry] of Object.entries(assets)) {
    const at = prefix === "" ? name : `${prefix}/${name}`;
    const value = (entry ?? {}) as { text?: unknown; path?: unknown; archive?: unknown; assets?: unknown };
    if (typeof value.text === "string") parts.push({ at, text: value.text });
    else if (typeof value.assets === "object" && value.assets !== null) parts.push(...archiveEntries(r, value.assets as Record<string, unknown>, at));
    else if (typeof value.path === "string") parts.push(value.archive === true ? archivePart(at, value.path, where(r)) : { at, file: value.path });
    else throw new PackageError(`${where(r)} code entry "${at}" is neither a string asset, a file asset nor an archive (${JSON.stringify(entry)})`);
  }
  return parts;
}

/**
 * A function's deployment package from its `code`: an AssetArchive (string and file assets, nested archives),
 * a FileArchive of a folder or a local .zip. Code in S3 (s3Bucket/s3Key) or an image is refused by name.
 */
export function functionPackage(r: ModelResource): PackagePart[] {
  const code = r.inputs.code as { assets?: unknown; path?: unknown } | undefined;
  if (typeof code === "object" && code !== null && typeof code.assets === "object" && code.assets !== null) {
    return archiveEntries(r, code.assets as Record<string, unknown>, "");
  }
  if (typeof code === "object" && code !== null && typeof code.path === "string") return [archivePart("", code.path, where(r))];
  if (r.inputs.s3Bucket !== undefined || r.inputs.imageUri !== undefined) {
    throw new PackageError(`${where(r)} takes its code from ${r.inputs.imageUri !== undefined ? "a container image" : "S3 (s3Bucket/s3Key)"}; the sandbox deploys code given as an asset archive, a folder or a local .zip`);
  }
  throw new PackageError(`${where(r)} has no code (expected an AssetArchive, a FileArchive of a folder or a .zip)`);
}

/** The runtimes the sandbox runs: Node.js in worker threads, Python with the machine's python3. */
export const SANDBOX_RUNTIMES: readonly string[] = ["nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x", "python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14"];

/** Why the sandbox cannot run a model function, or undefined when it can. */
export function functionProblem(r: ModelResource): string | undefined {
  const runtime = typeof field(r, "runtime") === "string" ? (field(r, "runtime") as string) : "nodejs22.x";
  if (!SANDBOX_RUNTIMES.includes(runtime)) return `runtime ${runtime} is not one the sandbox runs (${SANDBOX_RUNTIMES.join(", ")})`;
  try {
    functionPackage(r);
  } catch (error) {
    if (error instanceof PackageError) return error.message;
    throw error;
  }
  return undefined;
}

/** The functions the sandbox runs; those it cannot (functionProblem) are reported at start, not deployed. */
export function functions(model: ProgramModel): FunctionView[] {
  return ofType(model, RESOURCE_TYPES.function).filter((r) => functionProblem(r) === undefined).map((r) => {
    const environment = (field(r, "environment") as { variables?: unknown } | undefined)?.variables;
    return {
      logicalName: r.name,
      name: requireString(r, "name"),
      arn: requireString(r, "arn"),
      roleArn: requireString(r, "role"),
      handler: typeof field(r, "handler") === "string" ? (field(r, "handler") as string) : "index.handler",
      runtime: typeof field(r, "runtime") === "string" ? (field(r, "runtime") as string) : "nodejs22.x",
      timeoutSeconds: optionalNumber(r, "timeout") ?? LAMBDA_DEFAULT_TIMEOUT_SECONDS,
      memorySizeMb: optionalNumber(r, "memorySize") ?? LAMBDA_DEFAULT_MEMORY_MB,
      environment: stringRecord(r, environment, "environment.variables"),
      package: functionPackage(r),
    };
  });
}

export function glueJobs(model: ProgramModel): GlueJobView[] {
  return ofType(model, RESOURCE_TYPES.glueJob).map((r) => {
    const command = field(r, "command") as { name?: unknown; pythonVersion?: unknown; scriptLocation?: unknown } | undefined;
    if (!command || typeof command.scriptLocation !== "string") {
      throw new ModelError(`${where(r)} has no command.scriptLocation`);
    }
    const executionProperty = field(r, "executionProperty") as { maxConcurrentRuns?: unknown } | undefined;
    const maxConcurrentRuns =
      typeof executionProperty?.maxConcurrentRuns === "number" ? executionProperty.maxConcurrentRuns : GLUE_DEFAULT_MAX_CONCURRENT_RUNS;
    return {
      logicalName: r.name,
      name: requireString(r, "name"),
      arn: requireString(r, "arn"),
      roleArn: requireString(r, "roleArn"),
      commandName: typeof command.name === "string" ? command.name : "glueetl",
      pythonVersion: typeof command.pythonVersion === "string" ? command.pythonVersion : "3",
      scriptLocation: command.scriptLocation,
      defaultArguments: stringRecord(r, field(r, "defaultArguments"), "defaultArguments"),
      timeoutMinutes: optionalNumber(r, "timeout") ?? GLUE_DEFAULT_TIMEOUT_MINUTES,
      maxConcurrentRuns,
      maxCapacity: optionalNumber(r, "maxCapacity"),
      glueVersion: typeof field(r, "glueVersion") === "string" ? (field(r, "glueVersion") as string) : undefined,
      workerType: typeof field(r, "workerType") === "string" ? (field(r, "workerType") as string) : undefined,
      numberOfWorkers: optionalNumber(r, "numberOfWorkers"),
    };
  });
}

export function stateMachines(model: ProgramModel): StateMachineView[] {
  return ofType(model, RESOURCE_TYPES.stateMachine).map((r) => {
    const type = field(r, "type");
    return {
      logicalName: r.name,
      name: requireString(r, "name"),
      arn: requireString(r, "arn"),
      roleArn: requireString(r, "roleArn"),
      definition: requireString(r, "definition"),
      type: type === "EXPRESS" ? "EXPRESS" : "STANDARD",
      loggingConfiguration: stateMachineLogging(r),
      tracingConfiguration: { enabled: (field(r, "tracingConfiguration") as { enabled?: unknown } | undefined)?.enabled === true },
      tags: stringRecord(r, field(r, "tags"), "tags"),
    };
  });
}

const LOG_LEVELS = ["ALL", "ERROR", "FATAL", "OFF"] as const;

/** Pulumi's { logDestination, level, includeExecutionData } as Step Functions describes it. */
function stateMachineLogging(r: ModelResource): StateMachineLogging {
  const logging = field(r, "loggingConfiguration") as { logDestination?: unknown; level?: unknown; includeExecutionData?: unknown } | undefined;
  if (!logging) return { level: "OFF", includeExecutionData: false };
  const level = logging.level ?? "OFF";
  if (!LOG_LEVELS.includes(level as StateMachineLogging["level"])) {
    throw new ModelError(`${where(r)} loggingConfiguration.level must be one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(level)}`);
  }
  const destination = logging.logDestination;
  return {
    level: level as StateMachineLogging["level"],
    includeExecutionData: logging.includeExecutionData === true,
    ...(typeof destination === "string" && destination !== "" ? { destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: destination } }] } : {}),
  };
}

export function logGroups(model: ProgramModel): LogGroupView[] {
  return ofType(model, RESOURCE_TYPES.logGroup).map((r) => ({
    logicalName: r.name,
    name: requireString(r, "name"),
    arn: requireString(r, "arn").replace(/:\*$/, ""),
    retentionInDays: optionalNumber(r, "retentionInDays"),
    tags: stringRecord(r, field(r, "tags"), "tags"),
  }));
}

/** Where a function logs: its loggingConfig.logGroup, or Lambda's default /aws/lambda/<function name>. */
export interface FunctionLogGroup {
  readonly functionName: string;
  readonly logGroupName: string;
}

export function functionLogGroups(model: ProgramModel): FunctionLogGroup[] {
  return ofType(model, RESOURCE_TYPES.function).map((r) => {
    const functionName = requireString(r, "name");
    const configured = (field(r, "loggingConfig") as { logGroup?: unknown } | undefined)?.logGroup;
    return { functionName, logGroupName: typeof configured === "string" && configured !== "" ? configured : `/aws/lambda/${functionName}` };
  });
}
