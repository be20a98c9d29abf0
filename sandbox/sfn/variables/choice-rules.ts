import { isObject, type JsonObject } from "../../../policy/analysis/walk";
import { StatesError } from "../jsonata/errors";
import { parsePath, readPath, type PathData } from "./paths";

/**
 * Choice rules of JSONPath states ("Choice workflow state"): `Variable` (a path over the input, the
 * context or a workflow variable) compared with a literal or, for `...Path` operators, another path;
 * `And`, `Or`, `Not` combine rules. A comparison of values of another type is false, as the page says.
 */
type Kind = "String" | "Numeric" | "Boolean" | "Timestamp";
type Relation = "Equals" | "LessThan" | "GreaterThan" | "LessThanEquals" | "GreaterThanEquals";

const COMPARISON = /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/;
/** RFC 3339 date-time, as the Timestamp operators and IsTimestamp require. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function ofKind(kind: Kind, value: unknown): boolean {
  if (kind === "String") return typeof value === "string";
  if (kind === "Numeric") return typeof value === "number";
  if (kind === "Boolean") return typeof value === "boolean";
  return typeof value === "string" && TIMESTAMP.test(value);
}

function compare(kind: Kind, relation: Relation, a: unknown, b: unknown): boolean {
  if (!ofKind(kind, a) || !ofKind(kind, b)) return false;
  if (kind === "Boolean") return relation === "Equals" && a === b;
  const [x, y] = kind === "Timestamp" ? [Date.parse(a as string), Date.parse(b as string)] : [a as string | number, b as string | number];
  switch (relation) {
    case "Equals":
      return x === y;
    case "LessThan":
      return x < y;
    case "GreaterThan":
      return x > y;
    case "LessThanEquals":
      return x <= y;
    case "GreaterThanEquals":
      return x >= y;
  }
}

/** StringMatches: `*` matches any characters; `\*` and `\\` are literal. */
function globMatches(text: string, pattern: string): boolean {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\" && i + 1 < pattern.length) source += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    else source += c === "*" ? "[\\s\\S]*" : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`).test(text);
}

/** Does the path select a value? (IsPresent; a variable never assigned is not present.) */
function present(path: string, from: PathData, field: string): boolean {
  try {
    readPath(path, from, field);
    return true;
  } catch (error) {
    if (error instanceof StatesError && error.name === "States.Runtime" && parsePath(path)) return false;
    throw error;
  }
}

export function ruleMatches(rule: JsonObject, from: PathData, field: string): boolean {
  if (Array.isArray(rule.And)) return rule.And.every((r, i) => ruleMatches(r as JsonObject, from, `${field}.And[${i}]`));
  if (Array.isArray(rule.Or)) return rule.Or.some((r, i) => ruleMatches(r as JsonObject, from, `${field}.Or[${i}]`));
  if (isObject(rule.Not)) return !ruleMatches(rule.Not, from, `${field}.Not`);
  const variable = String(rule.Variable);
  const where = `${field}.Variable`;
  for (const [operator, operand] of Object.entries(rule)) {
    if (operator === "IsPresent") return present(variable, from, where) === operand;
    const comparison = COMPARISON.exec(operator);
    if (comparison) {
      const value = readPath(variable, from, where);
      const other = comparison[3] ? readPath(String(operand), from, `${field}.${operator}`) : operand;
      return compare(comparison[1] as Kind, comparison[2] as Relation, value, other);
    }
    if (operator === "StringMatches") {
      const value = readPath(variable, from, where);
      return typeof value === "string" && typeof operand === "string" && globMatches(value, operand);
    }
    const typeTest: Record<string, (v: unknown) => boolean> = {
      IsNull: (v) => v === null,
      IsNumeric: (v) => typeof v === "number",
      IsString: (v) => typeof v === "string",
      IsBoolean: (v) => typeof v === "boolean",
      IsTimestamp: (v) => ofKind("Timestamp", v),
    };
    if (typeTest[operator]) return typeTest[operator](readPath(variable, from, where)) === operand;
  }
  throw new StatesError("States.Runtime", `The Choice rule '${field}' has no comparison the sandbox knows`);
}

/** The comparison operators this module evaluates (for deployment checks). */
export function isKnownOperator(key: string): boolean {
  return COMPARISON.test(key) || ["StringMatches", "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"].includes(key);
}
