import { IntegrationPattern, ParsedResource, Partition } from "./types";

const PARTITION = "(aws|aws-cn|aws-us-gov)";

/** `arn:<p>:states:::<service>:<action>[.sync|.sync:2|.waitForTaskToken]`, and the SDK form with `aws-sdk:`. */
const INTEGRATION_ARN = new RegExp(
  `^arn:${PARTITION}:states:::(aws-sdk:)?([A-Za-z0-9-]+):([A-Za-z0-9]+)(\\.sync:2|\\.sync|\\.waitForTaskToken)?$`,
);
/** `arn:<p>:lambda:<region>:<account>:function:<name>[:<version or alias>]`. */
const FUNCTION_ARN = new RegExp(`^arn:${PARTITION}:lambda:[a-z0-9-]+:\\d{12}:function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$`);
/** `arn:<p>:states:<region>:<account>:activity:<name>`. */
const ACTIVITY_ARN = new RegExp(`^arn:${PARTITION}:states:[a-z0-9-]+:\\d{12}:activity:(.+)$`);
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

  const integration = INTEGRATION_ARN.exec(resource);
  if (integration) {
    const [, partition, sdk, service, action, suffix] = integration;
    return {
      raw,
      partition: partition as Partition,
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
      partition: partition as Partition,
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
    return { raw, partition: partition as Partition, kind: "activity", service: "states", activityName, pattern: "request-response" };
  }
  const anyArn = ANY_ARN.exec(resource);
  return { raw, ...(anyArn ? { partition: anyArn[1] as Partition } : {}), kind: "unknown", pattern: "request-response" };
}

/** The Resource ARN for an integration in a partition, e.g. `arn:aws-cn:states:::glue:startJobRun.sync`. */
export function integrationArn(
  partition: Partition | undefined,
  kind: "optimized" | "sdk",
  service: string,
  action: string,
  pattern: IntegrationPattern = "request-response",
): string {
  const suffix = pattern === "request-response" ? "" : `.${pattern}`;
  return `arn:${partition ?? "aws"}:states:::${kind === "sdk" ? "aws-sdk:" : ""}${service}:${action}${suffix}`;
}
