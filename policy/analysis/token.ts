import { QueryLanguage } from "./types";
import { isObject, JsonObject } from "./walk";

/** Whether a callback Task passes its task token, and where a token was written as plain text by mistake. */
export interface TokenUse {
  passes: boolean;
  /**
   * Dotted keys (e.g. `Payload.token`) whose value is the token reference as a literal string: a JSONPath
   * key without `.$`, or a JSONata string without `{% %}`. Such a key sends the text, not the token.
   */
  literalKeys: string[];
}

const JSONPATH_CONTEXT = /\$\$((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\s*'[^']*'\s*\])*)/g;
const JSONATA_CONTEXT = /\$states\.context((?:\.[A-Za-z_][A-Za-z0-9_]*|\.`[^`]*`)*)/g;

/** The context-object paths that carry the token: the token itself, the whole Task object, the whole context. */
const TOKEN_CARRYING_PATHS = new Set(["", ".Task", ".Task.Token"]);

function normalizeMemberPath(path: string): string {
  return path.replace(/\[\s*'([^']*)'\s*\]/g, ".$1").replace(/\.`([^`]*)`/g, ".$1");
}

/**
 * Blanks out string literals (`'...'` in intrinsic functions and JSONata, `"..."` in JSONata): their text
 * is not a reference. A quoted name in brackets (`$$['Task']`) is part of a path and stays.
 */
function withoutStringLiterals(expression: string): string {
  let out = "";
  let i = 0;
  while (i < expression.length) {
    const c = expression[i];
    if (c !== "'" && c !== '"') {
      out += c;
      i++;
      continue;
    }
    let end = i + 1;
    while (end < expression.length && expression[end] !== c) end += expression[end] === "\\" ? 2 : 1;
    const isBracketName = /\[\s*$/.test(out);
    out += isBracketName ? expression.slice(i, end + 1) : "''";
    i = end + 1;
  }
  return out;
}

function referencesToken(expression: string, pattern: RegExp): boolean {
  const code = withoutStringLiterals(expression);
  for (const match of code.matchAll(pattern)) {
    if (TOKEN_CARRYING_PATHS.has(normalizeMemberPath(match[1]))) return true;
  }
  return false;
}

/** True for a JSONPath path or intrinsic function (a `.$` value) that references the token. */
export function jsonPathReferencesToken(expression: string): boolean {
  return referencesToken(expression, JSONPATH_CONTEXT);
}

/** The expression inside `{% ... %}`, or undefined for a plain string. */
export function jsonataExpression(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed.startsWith("{%") && trimmed.endsWith("%}") ? trimmed.slice(2, -2) : undefined;
}

/** True for a JSONata template (`{% ... %}`) that references `$states.context.Task.Token` (or its parents). */
export function jsonataReferencesToken(expression: string): boolean {
  return referencesToken(expression, JSONATA_CONTEXT);
}

function findInJsonPathPayload(value: unknown, keyPath: string[], use: TokenUse): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => findInJsonPathPayload(item, [...keyPath, String(i)], use));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (key.endsWith(".$")) {
      if (typeof child === "string" && jsonPathReferencesToken(child)) use.passes = true;
    } else if (typeof child === "string") {
      if (jsonPathReferencesToken(child)) use.literalKeys.push([...keyPath, key].join("."));
    } else {
      findInJsonPathPayload(child, [...keyPath, key], use);
    }
  }
}

function findInJsonataPayload(value: unknown, keyPath: string[], use: TokenUse): void {
  if (typeof value === "string") {
    const expression = jsonataExpression(value);
    if (expression !== undefined) {
      if (jsonataReferencesToken(expression)) use.passes = true;
    } else if (jsonataReferencesToken(value)) {
      use.literalKeys.push(keyPath.join(".") || "(Arguments)");
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => findInJsonataPayload(item, [...keyPath, String(i)], use));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) findInJsonataPayload(child, [...keyPath, key], use);
}

/** The payload a Task sends: `Parameters` in JSONPath states, `Arguments` in JSONata states. */
export function taskPayload(state: JsonObject, queryLanguage: QueryLanguage): unknown {
  return queryLanguage === "JSONata" ? state.Arguments : state.Parameters;
}

/**
 * Does a callback Task pass its token anywhere in what it sends, at any depth: `$$.Task.Token` in a `.$`
 * path or intrinsic function (e.g. `States.Format('{}', $$.Task.Token)`), or the whole `$$.Task` or `$$`
 * object, as AWS CDK accepts; in JSONata, `$states.context.Task.Token` (or `.Task`, or the whole context)
 * inside a `{% %}` expression.
 */
export function findTaskTokenUse(state: JsonObject, queryLanguage: QueryLanguage): TokenUse {
  const use: TokenUse = { passes: false, literalKeys: [] };
  const payload = taskPayload(state, queryLanguage);
  if (queryLanguage === "JSONata") findInJsonataPayload(payload, [], use);
  else findInJsonPathPayload(payload, [], use);
  return use;
}
