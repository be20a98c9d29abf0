import { AwsServiceError } from "../aws-error";
import { constraintError } from "../endpoints/validation";
import type { StateMachineLogging } from "../model-view";
import { checkExecutionName } from "./execution-name";

/**
 * The checks CreateStateMachine and UpdateStateMachine make on their request before the definition itself
 * (botocore stepfunctions 2016-11-23 model and the API reference): the name follows StartExecution's name
 * rules (same shape Name, same forbidden characters, InvalidName); roleArn is an IAM role ARN (InvalidArn);
 * definition is model shape Definition, 1 to 1048576 characters; loggingConfiguration is LoggingConfiguration
 * (level ALL|ERROR|FATAL|OFF, at most one destination, required unless OFF: InvalidLoggingConfiguration);
 * tracingConfiguration is {enabled: boolean} (InvalidTracingConfiguration); tags are {key 1-128, value 0-256}.
 */
export const MAX_DEFINITION_CHARS = 1_048_576;
const LOG_LEVELS: readonly string[] = ["ALL", "ERROR", "FATAL", "OFF"];
const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const LOG_GROUP_ARN = /^arn:aws[\w-]*:logs:[\w-]+:\d{12}:log-group:[\w#./-]+:\*$/;

export function checkStateMachineName(name: string): void {
  checkExecutionName(name);
}

export function checkRoleArn(roleArn: string): void {
  if (!ROLE_ARN.test(roleArn)) throw new AwsServiceError("InvalidArn", `Invalid Arn: 'Resource type not valid in this context: ${roleArn}'`);
}

export function checkDefinitionSize(definition: string): void {
  if (definition.length < 1) throw constraintError("ValidationException", definition, "definition", "Member must have length greater than or equal to 1");
  if (definition.length > MAX_DEFINITION_CHARS) {
    throw new AwsServiceError("ValidationException", `1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DEFINITION_CHARS}`);
  }
}

/** LoggingConfiguration as DescribeStateMachine shows it; absent means AWS's default, level OFF without data. */
export function loggingConfigurationOf(value: unknown): StateMachineLogging {
  if (value === undefined || value === null) return { level: "OFF", includeExecutionData: false };
  const invalid = (why: string) => new AwsServiceError("InvalidLoggingConfiguration", `Invalid Logging Configuration: ${why}`);
  if (typeof value !== "object" || Array.isArray(value)) throw invalid("loggingConfiguration must be an object");
  const { level = "OFF", includeExecutionData = false, destinations } = value as Record<string, unknown>;
  if (typeof level !== "string" || !LOG_LEVELS.includes(level)) {
    throw new AwsServiceError("ValidationException", `1 validation error detected: Value '${String(level)}' at 'loggingConfiguration.level' failed to satisfy constraint: Member must satisfy enum value set: [${LOG_LEVELS.join(", ")}]`);
  }
  if (typeof includeExecutionData !== "boolean") throw invalid("includeExecutionData must be a boolean");
  const list = destinations ?? [];
  if (!Array.isArray(list)) throw invalid("destinations must be a list");
  if (list.length > 1) throw invalid("Exactly one destination must be specified");
  if (level !== "OFF" && list.length === 0) throw invalid("Logging destination must be specified when the log level is not OFF");
  const arns = list.map((d: unknown) => {
    const arn = (d as { cloudWatchLogsLogGroup?: { logGroupArn?: unknown } } | null)?.cloudWatchLogsLogGroup?.logGroupArn;
    if (typeof arn !== "string" || !LOG_GROUP_ARN.test(arn)) throw invalid(`CloudWatch Logs log group ARN '${String(arn)}' is not a log group ARN ending in :*`);
    return arn;
  });
  return {
    level: level as StateMachineLogging["level"],
    includeExecutionData,
    ...(arns.length > 0 ? { destinations: arns.map((logGroupArn) => ({ cloudWatchLogsLogGroup: { logGroupArn } })) } : {}),
  };
}

export function tracingConfigurationOf(value: unknown): { enabled: boolean } {
  if (value === undefined || value === null) return { enabled: false };
  const enabled = (value as { enabled?: unknown }).enabled ?? false;
  if (typeof value !== "object" || typeof enabled !== "boolean") {
    throw new AwsServiceError("InvalidTracingConfiguration", "Invalid Tracing Configuration: enabled must be a boolean");
  }
  return { enabled };
}

/** TagList: [{key, value}], key 1-128, value 0-256 (model shapes TagKey, TagValue). */
export function tagsOf(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value)) throw new AwsServiceError("ValidationException", "tags must be a list of {key, value}");
  const tags: Record<string, string> = {};
  for (const tag of value as unknown[]) {
    const { key, value: tagValue = "" } = (tag ?? {}) as { key?: unknown; value?: unknown };
    if (typeof key !== "string" || key.length < 1 || key.length > 128) throw constraintError("ValidationException", String(key), "tags.member.key", "Member must have length between 1 and 128");
    if (typeof tagValue !== "string" || tagValue.length > 256) throw constraintError("ValidationException", String(tagValue), "tags.member.value", "Member must have length less than or equal to 256");
    tags[key] = tagValue;
  }
  return tags;
}
