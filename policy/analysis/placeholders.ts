/**
 * Template placeholders (`${AWS::Partition}`, `${ReminderTimeout}`) as unknowns of the right type, for the
 * schema check. Templates (CloudFormation `DefinitionSubstitutions` and `Fn::Sub`, SAM, CDK, Terraform
 * `templatefile`) put them in ARNs and in place of numbers (`"Seconds": ${ReminderTimeout}` is a string
 * once YAML is parsed); Step Functions only ever sees them substituted. The schema sees a valid stand-in
 * of the type the field needs; the rules read the placeholders themselves (`resource.ts`).
 */
import { PLACEHOLDER_SOURCE } from "./resource";
import { isObject, JsonObject } from "./walk";

const WHOLE = new RegExp(`^${PLACEHOLDER_SOURCE}$`);
const ANY = new RegExp(PLACEHOLDER_SOURCE, "g");
const SOME = new RegExp(PLACEHOLDER_SOURCE);

/** ASL fields whose value is a number (Amazon States Language: Wait, Task, Retry, Map, Choice rules). */
const NUMBER_FIELDS = new Set([
  "Seconds",
  "TimeoutSeconds",
  "HeartbeatSeconds",
  "IntervalSeconds",
  "MaxAttempts",
  "BackoffRate",
  "MaxDelaySeconds",
  "MaxConcurrency",
  "ToleratedFailureCount",
  "ToleratedFailurePercentage",
  "MaxItems",
  "MaxItemsPerBatch",
  "MaxInputBytesPerBatch",
  "NumericEquals",
  "NumericLessThan",
  "NumericGreaterThan",
  "NumericLessThanEquals",
  "NumericGreaterThanEquals",
]);
const BOOLEAN_FIELDS = new Set(["BooleanEquals", "End", "IsPresent", "IsNull", "IsString", "IsNumeric", "IsBoolean", "IsTimestamp"]);

/** Stand-ins by the ARN segment a placeholder is in (arn:partition:service:region:account:resource). */
const ARN_SEGMENT_STAND_INS: Readonly<Record<number, string>> = { 1: "aws", 2: "states", 3: "us-east-1", 4: "123456789012" };

export function hasPlaceholder(text: string): boolean {
  return SOME.test(text);
}

/** A string with each placeholder replaced by a stand-in that fits where it is. */
function substituted(key: string | undefined, text: string): unknown {
  if (WHOLE.test(text)) {
    if (key !== undefined && NUMBER_FIELDS.has(key)) return 1;
    if (key !== undefined && BOOLEAN_FIELDS.has(key)) return true;
    if (key === "Resource") return "arn:aws:states:::placeholder:placeholder";
  }
  const isArn = text.startsWith("arn:");
  let out = "";
  let last = 0;
  for (const match of text.matchAll(ANY)) {
    out += text.slice(last, match.index);
    const segment = out.split(":").length - 1;
    out += isArn ? (ARN_SEGMENT_STAND_INS[segment] ?? "placeholder") : "placeholder";
    last = (match.index ?? 0) + match[0].length;
  }
  return out + text.slice(last);
}

/**
 * The definition with every placeholder replaced by a stand-in, sharing every part without one (the
 * definition itself when it has none).
 */
export function withoutPlaceholders<T>(value: T): T {
  const view = (node: unknown, key: string | undefined): unknown => {
    if (typeof node === "string") return hasPlaceholder(node) ? substituted(key, node) : node;
    if (Array.isArray(node)) {
      let copy: unknown[] | undefined;
      node.forEach((child, i) => {
        const replaced = view(child, key);
        if (replaced === child) return;
        copy ??= node.slice();
        copy[i] = replaced;
      });
      return copy ?? node;
    }
    if (!isObject(node)) return node;
    let copy: JsonObject | undefined;
    for (const [k, child] of Object.entries(node)) {
      const replaced = view(child, k);
      if (replaced === child) continue;
      copy ??= { ...node };
      copy[k] = replaced;
    }
    return copy ?? node;
  };
  return view(value, undefined) as T;
}
