import { AwsServiceError } from "../aws-error";
import type { GlueJobView } from "../model-view";
import { constraintError, wrongType } from "../endpoints/validation";
import { GLUE_MAX_TIMEOUT_MINUTES, PYTHON_SHELL_CAPACITIES } from "../../components/etlSettings";
import { MIN_SPARK_WORKERS, SPARK_WORKER_TYPES } from "../../components/glueWorkers";

/**
 * A job definition as CreateJob takes it (botocore glue CreateJobRequest) and UpdateJob's JobUpdate replaces it
 * ("The previous job definition is completely overwritten by this information"), checked as Glue's model and
 * API reference say, limited to what the sandbox runs: pythonshell and glueetl scripts from S3. Every other
 * setting is refused by name, so a job never runs differently from how it was defined.
 */

/** A job the API made: what runs (the view) and what GetJob reports besides. */
export interface ApiJobDefinition {
  readonly view: Omit<GlueJobView, "arn" | "logicalName">;
  /** As given: "The name or Amazon Resource Name (ARN) of the IAM role". */
  readonly role: string;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
}

const GLUE_VALIDATION = "InvalidInputException";
const invalid = (message: string) => new AwsServiceError(GLUE_VALIDATION, message);

/** Model shape NameString: 1..255 characters of [\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]. */
const NAME_PATTERN = /^[\t\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const NAME_MAX = 255;
/** Model shape DescriptionString: at most 2048 characters. */
const DESCRIPTION_MAX = 2048;
/** Model shape ScriptLocationString: at most 400000 characters. */
const SCRIPT_LOCATION_MAX = 400_000;
/** Model shape PythonVersionString: ^([2-3]|3[.]9)$. */
const PYTHON_VERSION = /^([2-3]|3[.]9)$/;
/** Model shape GlueVersionString: ^(\w+\.)+\w+$. */
const GLUE_VERSION = /^(\w+\.)+\w+$/;
/** Model shape WorkerType (enum). */
const WORKER_TYPE_ENUM: readonly string[] = ["Standard", "G.1X", "G.2X", "G.025X", "G.4X", "G.8X", "Z.2X"];
/** Model shape TagsMap: at most 50 tags. */
const TAGS_MAX = 50;
/**
 * CreateJob, Timeout: "When the value is left blank, the timeout is defaulted to 2,880 minutes for Glue version
 * 4.0 and earlier, or 480 minutes for Glue version 5.0 and later."
 */
const DEFAULT_TIMEOUT_BEFORE_5 = 2_880;
const DEFAULT_TIMEOUT_FROM_5 = 480;
/** CreateJob, GlueVersion: "Jobs that are created without specifying a Glue version default to Glue 5.1." */
const DEFAULT_SPARK_GLUE_VERSION = "5.1";
/** The Glue versions of Spark jobs the sandbox runs (on its one local Spark); 0.9 and 1.0 take MaxCapacity instead. */
const SPARK_GLUE_VERSIONS: readonly string[] = ["2.0", "3.0", "4.0", "5.0", "5.1"];
/** Python shell jobs: Glue 1.0 (Python 3.6) and 3.0 (Python 3.9) ("AWS Glue versions", developer guide). */
const PYTHON_SHELL_GLUE_VERSIONS: readonly string[] = ["1.0", "3.0"];
/** CreateJob, MaxCapacity: an Apache Spark ETL job "can allocate from 2 to 100 DPUs. The default is 10 DPUs." */
const DEFAULT_SPARK_CAPACITY = 10;
/** ExecutionProperty.MaxConcurrentRuns: "The default is 1." */
const DEFAULT_MAX_CONCURRENT_RUNS = 1;
/** The commands the sandbox runs; JobCommand.Name also names gluestreaming and glueray. */
const RUN_COMMANDS: readonly string[] = ["glueetl", "pythonshell"];

/** Settings the sandbox does not apply, refused when present (non-empty), with why. */
const UNSUPPORTED: readonly (readonly [string, string])[] = [
  ["Connections", "jobs reach no network connections"],
  ["SecurityConfiguration", "encryption settings are not applied"],
  ["NonOverridableArguments", "every argument may be overridden by a run"],
  ["NotificationProperty", "delay notifications are not sent"],
  ["CodeGenConfigurationNodes", "Glue Studio visual graphs are not generated into scripts"],
  ["SourceControlDetails", "jobs are not synchronized with a repository"],
  ["MaintenanceWindow", "it runs no streaming jobs"],
  ["AllocatedCapacity", "deprecated: use MaxCapacity, or WorkerType and NumberOfWorkers"],
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function present(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return true;
}

function notNull(field: string): AwsServiceError {
  return invalid(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
}

/** A job's name as the model constrains NameString. */
export function jobName(value: unknown, field: string): string {
  if (value !== undefined && value !== null && typeof value !== "string") throw wrongType(field, "a string", value);
  if (typeof value !== "string" || value === "") throw notNull(field);
  if (value.length > NAME_MAX) throw constraintError(GLUE_VALIDATION, value, field, `Member must have length less than or equal to ${NAME_MAX}`);
  if (!NAME_PATTERN.test(value)) throw constraintError(GLUE_VALIDATION, value, field, "Member must satisfy regular expression pattern: [\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*");
  return value;
}

function optionalText(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw wrongType(field, "a string", value);
  return value;
}

function stringMap(body: Record<string, unknown>, field: string): Record<string, string> | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== "string")) throw wrongType(field, "a map of strings", value);
  return { ...(value as Record<string, string>) };
}

function optionalInteger(body: Record<string, unknown>, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType(field, "an integer", value);
  return value;
}

function glueMajor(version: string): number {
  return Number.parseFloat(version);
}

/**
 * Parses and checks a CreateJob request body, or UpdateJob's JobUpdate (whose Role and Command are required as
 * CreateJob's are: the update replaces the whole definition). `name` is the job's, already checked.
 */
export function jobDefinition(name: string, body: Record<string, unknown>): ApiJobDefinition {
  const role = body.Role;
  if (role !== undefined && role !== null && typeof role !== "string") throw wrongType("Role", "a string", role);
  if (typeof role !== "string" || role === "") throw notNull("Role");
  for (const [setting, why] of UNSUPPORTED) {
    if (present(body[setting])) throw unsupported(name, setting, why);
  }
  const jobMode = optionalText(body, "JobMode");
  if (jobMode !== undefined && jobMode !== "SCRIPT") throw unsupported(name, `JobMode ${jobMode}`, "it runs scripts (JobMode SCRIPT)");
  if (body.JobRunQueuingEnabled === true) throw unsupported(name, "JobRunQueuingEnabled", "runs beyond MaxConcurrentRuns are refused, not queued");
  const executionClass = optionalText(body, "ExecutionClass");
  if (executionClass !== undefined && executionClass !== "STANDARD") throw unsupported(name, `ExecutionClass ${executionClass}`, "runs start as STANDARD runs do");
  const maxRetries = optionalInteger(body, "MaxRetries");
  if (maxRetries !== undefined && maxRetries !== 0) throw unsupported(name, `MaxRetries ${maxRetries}`, "a failed run is not retried; retry it from the state machine (Retry)");

  const description = optionalText(body, "Description");
  if (description !== undefined && description.length > DESCRIPTION_MAX) {
    throw constraintError(GLUE_VALIDATION, description, "Description", `Member must have length less than or equal to ${DESCRIPTION_MAX}`);
  }
  const command = commandOf(name, body.Command);
  const glueVersion = glueVersionOf(name, command.name, optionalText(body, "GlueVersion"));
  const workers = workersOf(name, command.name, body);
  const maxCapacity = capacityOf(name, command.name, body, workers !== undefined);
  const timeoutMinutes = timeoutOf(body) ?? (glueVersion !== undefined && glueMajor(glueVersion) >= 5 ? DEFAULT_TIMEOUT_FROM_5 : DEFAULT_TIMEOUT_BEFORE_5);
  const defaultArguments = stringMap(body, "DefaultArguments") ?? {};
  const tags = stringMap(body, "Tags") ?? {};
  if (Object.keys(tags).length > TAGS_MAX) throw invalid(`1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to ${TAGS_MAX}`);
  return {
    role,
    ...(description !== undefined ? { description } : {}),
    tags,
    view: {
      name,
      roleArn: role,
      commandName: command.name,
      pythonVersion: command.pythonVersion,
      scriptLocation: command.scriptLocation,
      defaultArguments,
      timeoutMinutes,
      maxConcurrentRuns: maxConcurrentRunsOf(body),
      ...(maxCapacity !== undefined ? { maxCapacity } : {}),
      ...(glueVersion !== undefined ? { glueVersion } : {}),
      ...(workers !== undefined ? { workerType: workers.workerType, numberOfWorkers: workers.numberOfWorkers } : {}),
    },
  };
}

function unsupported(jobName: string, setting: string, why: string): AwsServiceError {
  return invalid(`Job ${jobName}: ${setting} is not supported by the sandbox (${why}); it runs pythonshell and glueetl scripts from S3`);
}

function commandOf(name: string, value: unknown): { name: string; scriptLocation: string; pythonVersion: string } {
  if (value === undefined || value === null) throw notNull("Command");
  if (!isObject(value)) throw wrongType("Command", "a structure", value);
  // JobCommand.Name: "For an Apache Spark ETL job, this must be glueetl"; the sandbox's program jobs default to it too.
  const commandName = optionalText(value, "Name") ?? "glueetl";
  if (!RUN_COMMANDS.includes(commandName)) {
    throw invalid(`Job ${name}: Command.Name ${commandName} is not supported by the sandbox; it runs ${RUN_COMMANDS.join(" and ")} jobs`);
  }
  if (present(value.Runtime)) throw unsupported(name, "Command.Runtime", "it runs no Ray jobs");
  const scriptLocation = optionalText(value, "ScriptLocation");
  if (scriptLocation === undefined || scriptLocation === "") throw invalid(`Job ${name}: Command.ScriptLocation is required: the S3 path (s3://bucket/key) of the script the job runs`);
  if (scriptLocation.length > SCRIPT_LOCATION_MAX) {
    throw constraintError(GLUE_VALIDATION, scriptLocation.slice(0, 64), "command.scriptLocation", `Member must have length less than or equal to ${SCRIPT_LOCATION_MAX}`);
  }
  // JobCommand.ScriptLocation: "the Amazon Simple Storage Service (Amazon S3) path to a script that runs a job".
  if (!/^s3:\/\/[^/]+\/.+/.test(scriptLocation)) throw invalid(`Job ${name}: Command.ScriptLocation ${scriptLocation} is not an S3 path (s3://bucket/key)`);
  const pythonVersion = optionalText(value, "PythonVersion") ?? "3";
  if (!PYTHON_VERSION.test(pythonVersion)) {
    throw constraintError(GLUE_VALIDATION, pythonVersion, "command.pythonVersion", "Member must satisfy regular expression pattern: ^([2-3]|3[.]9)$");
  }
  if (pythonVersion === "2") throw unsupported(name, "Command.PythonVersion 2", "scripts run on Python 3");
  return { name: commandName, scriptLocation, pythonVersion };
}

function glueVersionOf(name: string, command: string, given: string | undefined): string | undefined {
  if (given !== undefined && (given.length > NAME_MAX || !GLUE_VERSION.test(given))) {
    throw constraintError(GLUE_VALIDATION, given, "glueVersion", "Member must satisfy regular expression pattern: ^(\\w+\\.)+\\w+$");
  }
  if (command === "pythonshell") {
    if (given !== undefined && !PYTHON_SHELL_GLUE_VERSIONS.includes(given)) {
      throw invalid(`Job ${name}: GlueVersion ${given} is not a Python shell job's Glue version (${PYTHON_SHELL_GLUE_VERSIONS.join(" or ")})`);
    }
    return given;
  }
  const version = given ?? DEFAULT_SPARK_GLUE_VERSION;
  if (!SPARK_GLUE_VERSIONS.includes(version)) {
    throw unsupported(name, `GlueVersion ${version}`, `it runs Spark jobs of Glue ${SPARK_GLUE_VERSIONS.join(", ")}`);
  }
  return version;
}

/** WorkerType and NumberOfWorkers go together; a Spark job takes the worker types and minimum of components/glueWorkers. */
function workersOf(name: string, command: string, body: Record<string, unknown>): { workerType: string; numberOfWorkers: number } | undefined {
  const workerType = optionalText(body, "WorkerType");
  const numberOfWorkers = optionalInteger(body, "NumberOfWorkers");
  if (workerType !== undefined && !WORKER_TYPE_ENUM.includes(workerType)) {
    throw constraintError(GLUE_VALIDATION, workerType, "workerType", `Member must satisfy enum value set: [${WORKER_TYPE_ENUM.join(", ")}]`);
  }
  if (workerType === undefined && numberOfWorkers === undefined) return undefined;
  if (command === "pythonshell") throw invalid(`Job ${name}: WorkerType and NumberOfWorkers are for Spark jobs; a pythonshell job takes MaxCapacity (0.0625 or 1)`);
  if (workerType === undefined || numberOfWorkers === undefined) throw invalid(`Job ${name}: WorkerType and NumberOfWorkers must be set together`);
  if (!SPARK_WORKER_TYPES.includes(workerType)) throw invalid(`Job ${name}: WorkerType ${workerType} is not a batch Spark worker type (${SPARK_WORKER_TYPES.join(", ")})`);
  if (numberOfWorkers < MIN_SPARK_WORKERS) throw invalid(`Job ${name}: NumberOfWorkers ${numberOfWorkers} is below ${MIN_SPARK_WORKERS}: a Spark job runs a driver and at least one executor`);
  return { workerType, numberOfWorkers };
}

function capacityOf(name: string, command: string, body: Record<string, unknown>, hasWorkers: boolean): number | undefined {
  const value = body.MaxCapacity;
  if (value === undefined || value === null) {
    // CreateJob, MaxCapacity: a Python shell job takes 0.0625 or 1 DPU; "The default is 0.0625 DPU."
    if (command === "pythonshell") return PYTHON_SHELL_CAPACITIES[0];
    return hasWorkers ? undefined : DEFAULT_SPARK_CAPACITY;
  }
  if (typeof value !== "number") throw wrongType("MaxCapacity", "a number", value);
  // CreateJob, MaxCapacity: "Do not set MaxCapacity if using WorkerType and NumberOfWorkers."
  if (hasWorkers) throw invalid(`Job ${name}: MaxCapacity cannot be set with WorkerType and NumberOfWorkers`);
  if (command === "glueetl") throw invalid(`Job ${name}: a glueetl job of Glue 2.0 or later cannot specify MaxCapacity; set WorkerType and NumberOfWorkers`);
  if (!PYTHON_SHELL_CAPACITIES.includes(value)) throw invalid(`Job ${name}: MaxCapacity ${value} is not a Python shell job's capacity (0.0625 or 1 DPU)`);
  return value;
}

function timeoutOf(body: Record<string, unknown>): number | undefined {
  const timeout = optionalInteger(body, "Timeout");
  if (timeout === undefined) return undefined;
  // Model shape Timeout: min 1; CreateJob, Timeout: "less than 7 days or 10080 minutes".
  if (timeout < 1) throw constraintError(GLUE_VALIDATION, timeout, "timeout", "Member must have value greater than or equal to 1");
  if (timeout > GLUE_MAX_TIMEOUT_MINUTES) throw invalid(`Timeout ${timeout} is over the maximum of ${GLUE_MAX_TIMEOUT_MINUTES} minutes (7 days)`);
  return timeout;
}

function maxConcurrentRunsOf(body: Record<string, unknown>): number {
  const property = body.ExecutionProperty;
  if (property === undefined || property === null) return DEFAULT_MAX_CONCURRENT_RUNS;
  if (!isObject(property)) throw wrongType("ExecutionProperty", "a structure", property);
  const runs = optionalInteger(property, "MaxConcurrentRuns");
  if (runs === undefined) return DEFAULT_MAX_CONCURRENT_RUNS;
  if (runs < 1) throw invalid(`ExecutionProperty.MaxConcurrentRuns ${runs} must be at least 1`);
  return runs;
}
