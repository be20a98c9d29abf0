import { isIP } from "node:net";
import { AwsServiceError } from "../aws-error";

/**
 * Amazon EventBridge event patterns ("Amazon EventBridge event patterns", "Content filtering in Amazon
 * EventBridge event patterns", "Comparison operators for use in event patterns"): a pattern has the
 * structure of the events it matches; every field it names must match (AND), a leaf's array of
 * values matches when any of them does (OR), and an event value that is an array matches when any of
 * its elements does. Leaf matchers: exact values (string, number, boolean, null), prefix, suffix,
 * equals-ignore-case, wildcard, anything-but (value, list, prefix, suffix, equals-ignore-case, wildcard),
 * numeric, exists, cidr; and "$or" at any level.
 *
 * No npm library implements these semantics (EventBridge's own engine, Event Ruler, is Java), so this is
 * a small matcher of its own, tested against the examples of AWS's documentation.
 */

/** A compiled pattern: true when the event (already parsed JSON) matches. */
export type EventPatternMatcher = (event: unknown) => boolean;

/** What a leaf sees: the field's values (an array's elements, or the one value), or absent. */
type Leaf = (values: readonly unknown[] | undefined) => boolean;

/** EventPattern's limit in the API model (PutRule, TestEventPattern). */
export const MAX_EVENT_PATTERN_LENGTH = 4096;

/** Numeric matching's range ("limited to values between -1.0e9 and +1.0e9 inclusive"). */
const NUMERIC_LIMIT = 1e9;

export class InvalidEventPattern extends AwsServiceError {
  constructor(reason: string) {
    super("InvalidEventPatternException", `Event pattern is not valid. Reason: ${reason}`);
  }
}

/** Parses and compiles a pattern given as the JSON text PutRule and TestEventPattern take. */
export function compileEventPattern(text: string): EventPatternMatcher {
  if (text.length > MAX_EVENT_PATTERN_LENGTH) throw new InvalidEventPattern(`the pattern is longer than ${MAX_EVENT_PATTERN_LENGTH} characters`);
  let pattern: unknown;
  try {
    pattern = JSON.parse(text);
  } catch (error) {
    throw new InvalidEventPattern(`the pattern is not JSON (${(error as Error).message})`);
  }
  return compileParsedPattern(pattern);
}

/** Compiles a pattern already parsed from JSON (SNS filter policies share the syntax, with their own limits). */
export function compileParsedPattern(pattern: unknown): EventPatternMatcher {
  if (!isObject(pattern)) throw new InvalidEventPattern("Filter is not an object");
  const matcher = compileObject(pattern, "");
  return (event) => matcher(event);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every field of the pattern object must match the event's field of the same name. */
function compileObject(pattern: Record<string, unknown>, where: string): (event: unknown) => boolean {
  const entries = Object.entries(pattern);
  if (entries.length === 0) throw new InvalidEventPattern(`Empty objects are not allowed${where ? ` (at ${where})` : ""}`);
  const checks = entries.map(([key, value]): ((event: unknown) => boolean) => {
    const at = where ? `${where}.${key}` : key;
    if (key === "$or") return compileOr(value, at);
    if (isObject(value)) {
      const nested = compileObject(value, at);
      return (event) => {
        const child = isObject(event) ? event[key] : undefined;
        // An event array of objects matches when any of its objects does.
        return Array.isArray(child) ? child.some((item) => nested(item)) : nested(child);
      };
    }
    if (!Array.isArray(value)) throw new InvalidEventPattern(`Match value must be String, number, true, false, or null (at ${at})`);
    const leaf = compileLeaf(value, at);
    return (event) => leaf(leafValues(isObject(event) ? event[key] : undefined));
  });
  return (event) => checks.every((check) => check(event));
}

/** "$or": [pattern, pattern, ...]: at least two alternatives, each a pattern of the same object. */
function compileOr(value: unknown, at: string): (event: unknown) => boolean {
  if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) {
    throw new InvalidEventPattern(`"$or" must be an array of at least two objects (at ${at})`);
  }
  const alternatives = value.map((alternative, i) => compileObject(alternative, `${at}[${i}]`));
  return (event) => alternatives.some((alternative) => alternative(event));
}

/**
 * The values a leaf matcher compares: undefined when the field is absent or is an object (matchers work on
 * leaf nodes only: `exists: false` matches an object, per the "Exists matching" example), else the
 * array's non-object elements, or the one value.
 */
function leafValues(value: unknown): readonly unknown[] | undefined {
  if (value === undefined || isObject(value)) return undefined;
  if (Array.isArray(value)) {
    const leaves = value.filter((v) => !isObject(v) && !Array.isArray(v));
    return leaves.length > 0 ? leaves : undefined;
  }
  return [value];
}

function compileLeaf(alternatives: readonly unknown[], at: string): Leaf {
  if (alternatives.length === 0) throw new InvalidEventPattern(`Empty arrays are not allowed (at ${at})`);
  const leaves = alternatives.map((alternative) => compileAlternative(alternative, at));
  return (values) => leaves.some((leaf) => leaf(values));
}

/** One value of a leaf's array: an exact value, or an object with exactly one comparison operator. */
function compileAlternative(alternative: unknown, at: string): Leaf {
  if (!isObject(alternative)) {
    if (Array.isArray(alternative)) throw new InvalidEventPattern(`Match value must be String, number, true, false, or null (at ${at})`);
    return anyValue((v) => sameValue(v, alternative));
  }
  const keys = Object.keys(alternative);
  if (keys.length !== 1) throw new InvalidEventPattern(`a matcher object must have exactly one operator, got ${JSON.stringify(keys)} (at ${at})`);
  const operator = keys[0];
  const operand = alternative[operator];
  switch (operator) {
    case "prefix":
      return anyString(stringTest(operand, at, "prefix", (v, s) => v.startsWith(s), (v, s) => v.toLowerCase().startsWith(s.toLowerCase())));
    case "suffix":
      return anyString(stringTest(operand, at, "suffix", (v, s) => v.endsWith(s), (v, s) => v.toLowerCase().endsWith(s.toLowerCase())));
    case "equals-ignore-case": {
      const wanted = requireString(operand, at, operator).toLowerCase();
      return anyString((v) => v.toLowerCase() === wanted);
    }
    case "wildcard":
      return anyString(wildcardTest(requireString(operand, at, operator), at));
    case "anything-but":
      return anythingBut(operand, at);
    case "numeric":
      return anyValue(numericTest(operand, at));
    case "exists":
      if (typeof operand !== "boolean") throw new InvalidEventPattern(`exists match pattern must be either true or false (at ${at})`);
      return (values) => (values !== undefined) === operand;
    case "cidr":
      return anyString(cidrTest(operand, at));
    default:
      throw new InvalidEventPattern(`Unrecognized match type ${operator} (at ${at})`);
  }
}

/** Matches when any of the field's values passes; never when the field is absent. */
function anyValue(test: (value: unknown) => boolean): Leaf {
  return (values) => values !== undefined && values.some(test);
}

function anyString(test: (value: string) => boolean): Leaf {
  return anyValue((v) => typeof v === "string" && test(v));
}

/** Exact matching: strings, booleans and null by identity; numbers by value (3.018e2 is 301.8). */
function sameValue(value: unknown, wanted: unknown): boolean {
  if (typeof wanted === "number") return typeof value === "number" && value === wanted;
  return value === wanted;
}

function requireString(operand: unknown, at: string, operator: string): string {
  if (typeof operand !== "string") throw new InvalidEventPattern(`${operator} match pattern must be a string (at ${at})`);
  return operand;
}

/** prefix/suffix take a string, or { "equals-ignore-case": string } to ignore case. */
function stringTest(
  operand: unknown,
  at: string,
  operator: string,
  exact: (value: string, s: string) => boolean,
  ignoringCase: (value: string, s: string) => boolean,
): (value: string) => boolean {
  if (typeof operand === "string") return (v) => exact(v, operand);
  if (isObject(operand) && Object.keys(operand).length === 1 && typeof operand["equals-ignore-case"] === "string") {
    const s = operand["equals-ignore-case"];
    return (v) => ignoringCase(v, s);
  }
  throw new InvalidEventPattern(`${operator} match pattern must be a string or {"equals-ignore-case": string} (at ${at})`);
}

/**
 * Wildcard: `*` matches any run of characters; `\*` is a literal star and `\\` a backslash. Two stars in a
 * row are refused ("Consecutive wildcard characters are not supported"), as EventBridge does.
 */
function wildcardTest(pattern: string, at: string): (value: string) => boolean {
  let source = "^";
  let previousStar = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next !== "*" && next !== "\\") throw new InvalidEventPattern(`Invalid escape in wildcard pattern ${JSON.stringify(pattern)} (at ${at})`);
      source += `\\${next}`;
      i++;
      previousStar = false;
    } else if (c === "*") {
      if (previousStar) throw new InvalidEventPattern(`Consecutive wildcard characters at pos ${i} (at ${at})`);
      source += "[\\s\\S]*";
      previousStar = true;
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      previousStar = false;
    }
  }
  const regex = new RegExp(`${source}$`, "u");
  return (v) => regex.test(v);
}

/**
 * anything-but: a value, a list of only strings or only numbers, or { prefix | suffix | equals-ignore-case
 * | wildcard }. It matches a present value that is none of them (an absent field matches nothing).
 */
function anythingBut(operand: unknown, at: string): Leaf {
  let excluded: (value: unknown) => boolean;
  if (Array.isArray(operand)) {
    if (operand.length === 0) throw new InvalidEventPattern(`Empty arrays are not allowed in anything-but (at ${at})`);
    const allStrings = operand.every((v) => typeof v === "string");
    const allNumbers = operand.every((v) => typeof v === "number");
    if (!allStrings && !allNumbers) throw new InvalidEventPattern(`Inside anything-but list, mixed types are not allowed (at ${at})`);
    excluded = (v) => operand.some((o) => sameValue(v, o));
  } else if (typeof operand === "string" || typeof operand === "number") {
    excluded = (v) => sameValue(v, operand);
  } else if (isObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1) throw new InvalidEventPattern(`anything-but takes one operator, got ${JSON.stringify(keys)} (at ${at})`);
    const [operator] = keys;
    const value = operand[operator];
    const strings = (what: string): string[] => {
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0 || !list.every((v) => typeof v === "string")) throw new InvalidEventPattern(`anything-but ${what} takes a string or a list of strings (at ${at})`);
      return list as string[];
    };
    const onStrings = (test: (v: string) => boolean) => (v: unknown) => typeof v === "string" && test(v);
    switch (operator) {
      case "prefix":
        excluded = onStrings((v) => v.startsWith(requireString(value, at, "anything-but prefix")));
        break;
      case "suffix":
        excluded = onStrings((v) => v.endsWith(requireString(value, at, "anything-but suffix")));
        break;
      case "equals-ignore-case": {
        const lowered = strings(operator).map((s) => s.toLowerCase());
        excluded = onStrings((v) => lowered.includes(v.toLowerCase()));
        break;
      }
      case "wildcard": {
        const tests = strings(operator).map((s) => wildcardTest(s, at));
        excluded = onStrings((v) => tests.some((t) => t(v)));
        break;
      }
      default:
        throw new InvalidEventPattern(`Unsupported anything-but pattern: ${operator} (at ${at})`);
    }
  } else {
    throw new InvalidEventPattern(`Value of anything-but must be an array or single string/number value (at ${at})`);
  }
  return anyValue((v) => !excluded(v));
}

const NUMERIC_OPERATORS: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  "=": (a, b) => a === b,
  ">=": (a, b) => a >= b,
  ">": (a, b) => a > b,
};

/** numeric: ["op", n] or a range ["> or >=", low, "< or <=", high]; only JSON numbers match. */
function numericTest(operand: unknown, at: string): (value: unknown) => boolean {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    throw new InvalidEventPattern(`Value of numeric must be an array of an operator and a number, or a range of two (at ${at})`);
  }
  const comparisons: ((v: number) => boolean)[] = [];
  for (let i = 0; i < operand.length; i += 2) {
    const [operator, bound] = [operand[i], operand[i + 1]];
    const compare = typeof operator === "string" && Object.hasOwn(NUMERIC_OPERATORS, operator) ? NUMERIC_OPERATORS[operator] : undefined;
    if (!compare) throw new InvalidEventPattern(`Unrecognized numeric range operator: ${JSON.stringify(operator)} (at ${at})`);
    if (typeof bound !== "number") throw new InvalidEventPattern(`Value of ${operator} must be a number (at ${at})`);
    if (Math.abs(bound) > NUMERIC_LIMIT) throw new InvalidEventPattern(`Value of ${operator} must be between -1.0e9 and 1.0e9 (at ${at})`);
    comparisons.push((v) => compare(v, bound));
  }
  if (operand.length === 4) {
    // A range is a lower bound then an upper bound.
    if (![">", ">="].includes(operand[0] as string) || !["<", "<="].includes(operand[2] as string) || (operand[1] as number) > (operand[3] as number)) {
      throw new InvalidEventPattern(`Bad numeric range: ${JSON.stringify(operand)} (at ${at})`);
    }
  }
  return (v) => typeof v === "number" && comparisons.every((c) => c(v));
}

/** cidr: an IPv4 or IPv6 block; a value matches when it is an address of the same family inside it. */
function cidrTest(operand: unknown, at: string): (value: string) => boolean {
  const text = requireString(operand, at, "cidr");
  const slash = text.indexOf("/");
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = isIP(address);
  const bits = family === 4 ? 32 : 128;
  const length = slash < 0 ? bits : Number(text.slice(slash + 1));
  if (family === 0 || !Number.isInteger(length) || length < 0 || length > bits || (slash >= 0 && !/^\d+$/.test(text.slice(slash + 1)))) {
    throw new InvalidEventPattern(`Malformed CIDR, one '/' required and the address and prefix length must be valid: ${JSON.stringify(text)} (at ${at})`);
  }
  const shift = BigInt(bits - length);
  const network = addressBits(address, family) >> shift;
  return (value) => {
    const valueFamily = isIP(value);
    return valueFamily === family && addressBits(value, family) >> shift === network;
  };
}

function addressBits(address: string, family: number): bigint {
  if (family === 4) return address.split(".").reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
  let text = address;
  // An IPv6 address may end in a dotted IPv4 part (::ffff:10.0.0.1).
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = addressBits(v4[1], 4);
    text = `${text.slice(0, v4.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const headParts = head ? head.split(":") : [];
  const tailParts = tail ? tail.split(":") : [];
  const groups = tail === undefined ? headParts : [...headParts, ...Array(8 - headParts.length - tailParts.length).fill("0"), ...tailParts];
  return groups.reduce((n, group) => (n << 16n) | BigInt(Number.parseInt(group || "0", 16)), 0n);
}
