import { AwsServiceError } from "../aws-error";
import { compileParsedPattern, InvalidEventPattern } from "../events/event-pattern";

/**
 * SNS subscription filter policies (SNS Developer Guide: "Amazon SNS message filtering", "Filter policy
 * constraints", "Amazon SNS filter policy scope"). The policy language is EventBridge's event-pattern syntax
 * (exact values, prefix, suffix, equals-ignore-case, anything-but, numeric, exists, IP address ("cidr") and
 * "$or"), so the event-pattern matcher applies it; what differs is SNS's:
 * - scope: "MessageAttributes" (default) matches the message's attributes, and such a policy may not nest;
 *   "MessageBody" matches the message, which must be a JSON object, nested as the policy is;
 * - attributes: String as a string, Number as a number, String.Array as its JSON array (any element matching);
 *   Binary attributes are ignored;
 * - limits: at most 5 keys (leaf keys: "how the keys in the policy are counted"), at most 150 combinations of
 *   values (the product of each array's length), 256 KB; no "wildcard" operator (not in SNS's list).
 */
export type FilterPolicyScope = "MessageAttributes" | "MessageBody";
export const FILTER_POLICY_SCOPES: readonly FilterPolicyScope[] = ["MessageAttributes", "MessageBody"];

export interface FilteredMessage {
  readonly message: string;
  readonly attributes: Readonly<Record<string, { readonly DataType: string; readonly StringValue?: string }>>;
}

export type FilterPolicyMatcher = (message: FilteredMessage) => boolean;

const MAX_POLICY_BYTES = 256 * 1024;
const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;

const invalidPolicy = (reason: string) => new AwsServiceError("InvalidParameter", `Invalid parameter: FilterPolicy: ${reason}`);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Leaf keys and combinations of values; "$or" alternatives add their combinations. */
function measure(policy: Record<string, unknown>, scope: FilterPolicyScope): { keys: number; combinations: number } {
  let keys = 0;
  let combinations = 1;
  for (const [key, value] of Object.entries(policy)) {
    if (key === "$or" && Array.isArray(value)) {
      const branches = value.filter(isObject).map((branch) => measure(branch, scope));
      keys += branches.reduce((n, b) => n + b.keys, 0);
      combinations *= Math.max(1, branches.reduce((n, b) => n + b.combinations, 0));
    } else if (isObject(value)) {
      if (scope === "MessageAttributes") throw invalidPolicy(`Filter policy scope MessageAttributes does not support nested filter policy (at ${key})`);
      const inner = measure(value, scope);
      keys += inner.keys;
      combinations *= inner.combinations;
    } else if (Array.isArray(value)) {
      keys += 1;
      combinations *= Math.max(1, value.length);
      if (value.some((v) => isObject(v) && "wildcard" in v)) throw invalidPolicy(`Unrecognized match type wildcard (at ${key})`);
    }
  }
  return { keys, combinations };
}

/** What a MessageAttributes-scope policy is matched against: each attribute as a JSON value, Binary left out. */
function attributeDocument(attributes: FilteredMessage["attributes"]): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    const type = attribute.DataType.split(".")[0];
    const text = attribute.StringValue ?? "";
    if (attribute.DataType.startsWith("String.Array")) {
      try {
        const parsed = JSON.parse(text) as unknown;
        if (Array.isArray(parsed)) document[name] = parsed;
      } catch {
        // Publish refuses a String.Array that is not a JSON array; such a value matches nothing.
      }
    } else if (type === "String") document[name] = text;
    else if (type === "Number") document[name] = Number(text);
  }
  return document;
}

/** The FilterPolicyScope attribute's value, MessageAttributes when unset. */
export function filterPolicyScope(scopeText: string | undefined): FilterPolicyScope {
  const scope = (scopeText ?? "MessageAttributes") as FilterPolicyScope;
  if (!FILTER_POLICY_SCOPES.includes(scope)) {
    throw new AwsServiceError("InvalidParameter", `Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [${String(scopeText).slice(0, 40)}]. Please use either MessageBody or MessageAttributes`);
  }
  return scope;
}

/** Checks a policy as Subscribe and SetSubscriptionAttributes do, and compiles it. */
export function compileFilterPolicy(text: string, scopeText: string | undefined): FilterPolicyMatcher {
  const scope = filterPolicyScope(scopeText);
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) throw invalidPolicy("Filter policy is too long (over 256 KB)");
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch (error) {
    throw invalidPolicy(`failed to parse JSON (${(error as Error).message})`);
  }
  if (!isObject(policy)) throw invalidPolicy("Filter policy must be a JSON object");
  const { keys, combinations } = measure(policy, scope);
  if (keys > MAX_KEYS) throw invalidPolicy(`Filter policy can not have more than ${MAX_KEYS} keys`);
  if (combinations > MAX_COMBINATIONS) throw invalidPolicy(`Filter policy is too complex (${combinations} combinations of values; at most ${MAX_COMBINATIONS})`);
  let matcher: (event: unknown) => boolean;
  try {
    matcher = compileParsedPattern(policy);
  } catch (error) {
    if (error instanceof InvalidEventPattern) throw invalidPolicy(error.message.replace(/^Event pattern is not valid\. Reason: /, ""));
    throw error;
  }
  if (scope === "MessageAttributes") return (message) => matcher(attributeDocument(message.attributes));
  return (message) => {
    let body: unknown;
    try {
      body = JSON.parse(message.message);
    } catch {
      // Payload-based filtering needs a JSON object: any other message matches nothing.
      return false;
    }
    return isObject(body) && matcher(body);
  };
}
