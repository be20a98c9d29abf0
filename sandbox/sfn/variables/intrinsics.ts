import { createHash, randomUUID } from "node:crypto";
import { isObject } from "../../../policy/analysis/walk";
import { StatesError } from "../jsonata/errors";
import { readPath, type PathData } from "./paths";

/**
 * Intrinsic functions of JSONPath states ("Intrinsic functions for JSONPath states in Step Functions"):
 * `States.Name(arg, ...)` where an argument is a 'string' (with \ escapes), a number, true/false/null,
 * a path (`$.x`, `$$.x`, `$name`) or another intrinsic. A function given wrong arguments fails the
 * state with States.IntrinsicFailure, as that page says.
 */
type Argument = { literal: unknown } | { path: string } | { call: Call };
interface Call {
  readonly name: string;
  readonly args: readonly Argument[];
}

const fail = (message: string): never => {
  throw new StatesError("States.IntrinsicFailure", message);
};

const IMPLEMENTED: Record<string, (args: unknown[]) => unknown> = {
  "States.Format": ([template, ...values]) => {
    if (typeof template !== "string") return fail("States.Format takes a string template");
    let i = 0;
    const text = template.replace(/\\(.)|\{\}/g, (_match, escaped: string | undefined) => {
      if (escaped !== undefined) return escaped;
      if (i >= values.length) fail("States.Format has more {} than arguments");
      const value = values[i++];
      return typeof value === "string" ? value : JSON.stringify(value);
    });
    if (i !== values.length) fail("States.Format has more arguments than {}");
    return text;
  },
  "States.StringToJson": ([text]) => {
    if (typeof text !== "string") return fail("States.StringToJson takes a string");
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return fail(`States.StringToJson could not parse ${JSON.stringify(text)}`);
    }
  },
  "States.JsonToString": ([value]) => JSON.stringify(value),
  "States.Array": (values) => values,
  "States.ArrayLength": ([array]) => (Array.isArray(array) ? array.length : fail("States.ArrayLength takes an array")),
  "States.ArrayContains": ([array, value]) =>
    Array.isArray(array) ? array.some((item) => JSON.stringify(item) === JSON.stringify(value)) : fail("States.ArrayContains takes an array"),
  "States.ArrayGetItem": ([array, index]) =>
    Array.isArray(array) && Number.isInteger(index) && (index as number) >= 0 && (index as number) < array.length
      ? (array[index as number] as unknown)
      : fail("States.ArrayGetItem takes an array and an index within it"),
  "States.MathAdd": ([a, b]) => (Number.isInteger(a) && Number.isInteger(b) ? (a as number) + (b as number) : fail("States.MathAdd takes two integers")),
  "States.StringSplit": ([text, separators]) =>
    typeof text === "string" && typeof separators === "string"
      ? text.split(new RegExp(`[${separators.replace(/[\\\]^-]/g, "\\$&")}]`)).filter((part) => part !== "")
      : fail("States.StringSplit takes two strings"),
  "States.Base64Encode": ([text]) => (typeof text === "string" ? Buffer.from(text, "utf8").toString("base64") : fail("States.Base64Encode takes a string")),
  "States.Base64Decode": ([text]) => (typeof text === "string" ? Buffer.from(text, "base64").toString("utf8") : fail("States.Base64Decode takes a string")),
  "States.Hash": ([data, algorithm]) => {
    const algorithms: Record<string, string> = { MD5: "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };
    if (typeof algorithm !== "string" || !algorithms[algorithm]) return fail(`States.Hash does not know the algorithm ${JSON.stringify(algorithm)}`);
    return createHash(algorithms[algorithm]).update(typeof data === "string" ? data : JSON.stringify(data)).digest("hex");
  },
  "States.JsonMerge": ([a, b, deep]) =>
    isObject(a) && isObject(b) && deep === false ? { ...a, ...b } : fail("States.JsonMerge takes two objects and false (deep merge is not supported by Step Functions)"),
  "States.UUID": () => randomUUID(),
};

/** The intrinsic functions the sandbox evaluates; others are refused at deployment. */
export const INTRINSIC_NAMES: ReadonlySet<string> = new Set(Object.keys(IMPLEMENTED));

/** Is the value an intrinsic function call (rather than a path)? */
export function isIntrinsic(value: string): boolean {
  return value.startsWith("States.");
}

/** The names of the functions a call uses (for deployment checks); throws on a syntax error. */
export function intrinsicNames(text: string): string[] {
  const names: string[] = [];
  const visit = (call: Call): void => {
    names.push(call.name);
    for (const arg of call.args) if ("call" in arg) visit(arg.call);
  };
  visit(parseIntrinsic(text));
  return names;
}

export function evaluateIntrinsic(text: string, from: PathData, field: string): unknown {
  const evaluate = (call: Call): unknown => {
    const args = call.args.map((arg) => ("literal" in arg ? arg.literal : "path" in arg ? readPath(arg.path, from, field) : evaluate(arg.call)));
    const implementation = IMPLEMENTED[call.name];
    if (!implementation) return fail(`The intrinsic function ${call.name} of the field '${field}' is not evaluated by the sandbox`);
    return implementation(args);
  };
  return evaluate(parseIntrinsic(text));
}

/** A recursive-descent parse of one call. */
function parseIntrinsic(text: string): Call {
  let at = 0;
  const skip = (): void => {
    while (text[at] === " ") at++;
  };
  const error = (what: string): never => {
    throw new Error(`invalid intrinsic function ${JSON.stringify(text)}: ${what} at character ${at}`);
  };
  const call = (): Call => {
    const name = /^States\.[A-Za-z0-9]+/.exec(text.slice(at))?.[0] ?? error("expected a function name");
    at += name.length;
    if (text[at] !== "(") error("expected (");
    at++;
    const args: Argument[] = [];
    skip();
    if (text[at] === ")") {
      at++;
      return { name, args };
    }
    for (;;) {
      skip();
      args.push(argument());
      skip();
      if (text[at] === ",") at++;
      else if (text[at] === ")") {
        at++;
        return { name, args };
      } else error("expected , or )");
    }
  };
  const argument = (): Argument => {
    const rest = text.slice(at);
    if (rest.startsWith("States.")) return { call: call() };
    if (rest.startsWith("'")) {
      let value = "";
      at++;
      while (text[at] !== "'") {
        if (at >= text.length) error("unterminated string");
        // A backslash keeps the escaped character, and its meaning for States.Format ({ } \ ').
        if (text[at] === "\\") {
          value += text[at] + text[at + 1];
          at += 2;
        } else value += text[at++];
      }
      at++;
      return { literal: value.replace(/\\(['\\])/g, "$1") };
    }
    const path = /^\$[^,)\s]*/.exec(rest)?.[0];
    if (path) {
      at += path.length;
      return { path };
    }
    const scalar = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(rest)?.[0] ?? error("expected an argument");
    at += scalar.length;
    return { literal: JSON.parse(scalar) as unknown };
  };
  const parsed = call();
  skip();
  if (at !== text.length) error("unexpected text after the call");
  return parsed;
}
