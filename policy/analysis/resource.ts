import { IntegrationPattern, ParsedResource, Partition } from "./types";

/**
 * A template placeholder: `${AWS::Partition}` (CloudFormation Fn::Sub, SAM and CDK
 * DefinitionSubstitutions), `${Partition}`, `${var.name}` (Terraform templatefile). It stands for a value
 * known only when the template is deployed.
 */
export const PLACEHOLDER_SOURCE = "\\$\\{[^}]+\\}";
const PLACEHOLDER_GLOBAL = new RegExp(PLACEHOLDER_SOURCE, "g");

/** Every placeholder in a string, in order. */
export function placeholdersIn(text: string): string[] {
  return text.match(PLACEHOLDER_GLOBAL) ?? [];
}

const PARTITION = `(aws|aws-cn|aws-us-gov|${PLACEHOLDER_SOURCE})`;
const REGION = `(?:[a-z0-9-]+|${PLACEHOLDER_SOURCE})`;
const ACCOUNT = `(?:\\d{12}|${PLACEHOLDER_SOURCE})`;

/** `arn:<p>:states:::<service>:<action>[.sync|.sync:2|.waitForTaskToken]`, and the SDK form with `aws-sdk:`. */
const INTEGRATION_ARN = new RegExp(
  `^arn:${PARTITION}:states:::(aws-sdk:)?([A-Za-z0-9-]+):([A-Za-z0-9]+)(\\.sync:2|\\.sync|\\.waitForTaskToken)?$`,
);
/** `arn:<p>:lambda:<region>:<account>:function:<name>[:<version or alias>]`. */
const FUNCTION_ARN = new RegExp(`^arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:([A-Za-z0-9_-]+|${PLACEHOLDER_SOURCE})(?::([A-Za-z0-9_$-]+))?$`);
/** `arn:<p>:states:<region>:<account>:activity:<name>`. */
const ACTIVITY_ARN = new RegExp(`^arn:${PARTITION}:states:${REGION}:${ACCOUNT}:activity:(.+)$`);
const ANY_ARN = new RegExp(`^arn:${PARTITION}:`);

const SUFFIX_PATTERNS: Record<string, IntegrationPattern> = {
  ".sync": "sync",
  ".sync:2": "sync:2",
  ".waitForTaskToken": "waitForTaskToken",
};

/**
 * Classifies a Task's Resource: partition, kind, service, action and integration pattern. Works the same
 * for JSONPath and JSONata states (in both the Resource is a plain string).
 */
export function parseResource(resource: unknown): ParsedResource {
  const raw = typeof resource === "string" ? resource : JSON.stringify(resource) ?? String(resource);
  if (typeof resource !== "string") return { raw, kind: "unknown", pattern: "request-response" };
  const placeholders = placeholdersIn(resource);
  return placeholders.length > 0 ? { ...classify(resource, raw), placeholders } : classify(resource, raw);
}

/** The partition part of a classified ARN: a known partition, or the placeholder written there. */
function partitionFields(partition: string): Pick<ParsedResource, "partition" | "partitionPlaceholder"> {
  return partition.startsWith("${") ? { partitionPlaceholder: partition } : { partition: partition as Partition };
}

function classify(resource: string, raw: string): ParsedResource {
  const integration = INTEGRATION_ARN.exec(resource);
  if (integration) {
    const [, partition, sdk, service, action, suffix] = integration;
    return {
      raw,
      ...partitionFields(partition),
      kind: sdk ? "sdk" : "optimized",
      service,
      action,
      pattern: suffix ? SUFFIX_PATTERNS[suffix] : "request-response",
    };
  }
  const fn = FUNCTION_ARN.exec(resource);
  if (fn) {
    const [, partition, functionName, qualifier] = fn;
    return {
      raw,
      ...partitionFields(partition),
      kind: "lambda-function",
      service: "lambda",
      action: "invoke",
      pattern: "request-response",
      functionName,
      ...(qualifier ? { qualifier } : {}),
    };
  }
  const activity = ACTIVITY_ARN.exec(resource);
  if (activity) {
    const [, partition, activityName] = activity;
    // An activity worker calls SendTaskSuccess with the token it got from GetActivityTask: the state waits.
    return { raw, ...partitionFields(partition), kind: "activity", service: "states", activityName, pattern: "request-response" };
  }
  const anyArn = ANY_ARN.exec(resource);
  return { raw, ...(anyArn ? partitionFields(anyArn[1]) : {}), kind: "unknown", pattern: "request-response" };
}

/** The partition to write in a fix: the Resource's own, or its placeholder (kept as written). */
export function arnPartition(resource: ParsedResource): string | undefined {
  return resource.partition ?? resource.partitionPlaceholder;
}

/** The Resource ARN for an integration in a partition, e.g. `arn:aws-cn:states:::glue:startJobRun.sync`. */
export function integrationArn(
  partition: string | undefined,
  kind: "optimized" | "sdk",
  service: string,
  action: string,
  pattern: IntegrationPattern = "request-response",
): string {
  const suffix = pattern === "request-response" ? "" : `.${pattern}`;
  return `arn:${partition ?? "aws"}:states:::${kind === "sdk" ? "aws-sdk:" : ""}${service}:${action}${suffix}`;
}
