import { LineCounter, parseDocument } from "yaml";
import { findJsonSyntaxError, LineIndex } from "./json-source";

/** A definition that cannot be read as JSON (or YAML): says what is wrong and where (1-based). */
export class DefinitionParseError extends Error {
  constructor(
    /** What is wrong, without the position. */
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line !== undefined ? `line ${line}, column ${column}: ${reason}` : reason);
    this.name = "DefinitionParseError";
  }
}

export type DefinitionFormat = "json" | "yaml";

/** A parsed definition with the JSON text Step Functions receives (its size counts against the 1 MB limit). */
export interface ParsedDefinition {
  definition: unknown;
  /** The JSON text: the text as given when it was JSON, else the object serialized. */
  json: string;
}

const BYTE_ORDER_MARK = /^\uFEFF/;

/**
 * How deeply objects and arrays may nest in a definition the analysis reads. Step Functions documents no
 * nesting limit, but its definitions are at most 1 MB and real ones nest a few dozen levels; the bound keeps
 * a pathological file (thousands of levels) from exhausting the stack of the parsers and the analysis.
 */
export const MAX_NESTING_DEPTH = 512;

/** YAML aliases expanded per document at most (the yaml library's guard against alias bombs). */
export const MAX_YAML_ALIASES = 100;

function tooDeep(): DefinitionParseError {
  return new DefinitionParseError(
    `objects and arrays nest more than ${MAX_NESTING_DEPTH} levels deep; the analysis does not read definitions nested this deeply`,
  );
}

/** Throws when JSON text nests deeper than the bound; one pass over the text, brackets inside strings skipped. */
function checkTextDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > MAX_NESTING_DEPTH) {
        const { line, column } = new LineIndex(text).position(i);
        const err = tooDeep();
        throw new DefinitionParseError(err.reason, line, column);
      }
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
}

/** Throws when a value nests deeper than the bound (iterative: the value may be deeper than the stack). */
export function checkValueDepth(value: unknown): void {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof current !== "object" || current === null) continue;
    if (depth >= MAX_NESTING_DEPTH) throw tooDeep();
    if (seen.has(current)) continue; // shared (YAML aliases, objects built in code): walked once
    seen.add(current);
    for (const child of Object.values(current)) if (typeof child === "object" && child !== null) stack.push({ value: child, depth: depth + 1 });
  }
}

/** Parses JSON text; on failure a DefinitionParseError with line and column. */
export function parseJsonText(text: string): unknown {
  const body = text.replace(BYTE_ORDER_MARK, "");
  if (body.trim() === "") throw new DefinitionParseError("the definition is empty");
  checkTextDepth(body);
  try {
    return JSON.parse(body);
  } catch (err) {
    const quoted = quotedBarePlaceholders(body);
    if (quoted !== undefined) {
      try {
        return JSON.parse(quoted);
      } catch {
        // not only placeholders: report the text's own first error
      }
    }
    throw jsonParseError(body, err instanceof Error ? err.message : String(err));
  }
}

/**
 * A template's JSON with bare placeholders where values go (`"Seconds": ${timeout}`, as Terraform's
 * templatefile writes numbers) made strings, so they read as unknowns; undefined when there are none.
 */
function quotedBarePlaceholders(text: string): string | undefined {
  let out = "";
  let last = 0;
  let inString = false;
  let found = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "$" && text[i + 1] === "{") {
      const end = text.indexOf("}", i);
      if (end < 0) return undefined;
      out += `${text.slice(last, i)}${JSON.stringify(text.slice(i, end + 1))}`;
      last = end + 1;
      i = end;
      found = true;
    }
  }
  return found ? out + text.slice(last) : undefined;
}

/**
 * V8's messages carry "position N" for most errors but not for "Unexpected token"; the scanner finds
 * those. The message keeps V8's wording minus its copy of the text.
 */
function jsonParseError(text: string, v8Message: string): DefinitionParseError {
  const scanned = findJsonSyntaxError(text);
  const positionMatch = /at position (\d+)/.exec(v8Message);
  const offset = positionMatch ? Number(positionMatch[1]) : scanned ? scanned.offset : text.length;
  const { line, column } = new LineIndex(text).position(offset);
  const reason = v8Message
    .replace(/, (\.\.\.)?"[\s\S]*" is not valid JSON$/, "")
    .replace(/ in JSON at position \d+( \(line \d+ column \d+\))?$/, "")
    .trim();
  return new DefinitionParseError(`invalid JSON: ${reason || scanned?.message || "syntax error"}`, line, column);
}

/** Parses YAML text (a definition written as YAML); on failure a DefinitionParseError with line and column. */
export function parseYamlText(text: string): unknown {
  if (text.replace(BYTE_ORDER_MARK, "").trim() === "") throw new DefinitionParseError("the definition is empty");
  const lineCounter = new LineCounter();
  let value: unknown;
  try {
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    const error = doc.errors[0];
    if (error) {
      const pos = lineCounter.linePos(error.pos[0]);
      throw new DefinitionParseError(`invalid YAML: ${error.message.split("\n")[0]}`, pos.line, pos.col);
    }
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    if (err instanceof DefinitionParseError) throw err;
    if (err instanceof RangeError) throw tooDeep(); // the parser's own recursion ran out of stack
    const message = err instanceof Error ? err.message : String(err);
    if (/alias/i.test(message)) {
      throw new DefinitionParseError(`invalid YAML: its aliases expand to more than ${MAX_YAML_ALIASES} copies (an alias bomb?); the analysis does not expand them`);
    }
    throw new DefinitionParseError(`invalid YAML: ${message.split("\n")[0]}`);
  }
  checkValueDepth(value);
  return value;
}

/** Parses a definition given as text (JSON by default) or as an object (taken as is). */
export function parseDefinition(input: string | object, format: DefinitionFormat = "json"): ParsedDefinition {
  if (typeof input !== "string") {
    checkValueDepth(input);
    return { definition: input, json: serialize(input) };
  }
  if (format === "json") return { definition: parseJsonText(input), json: input.replace(BYTE_ORDER_MARK, "") };
  const definition = parseYamlText(input);
  return { definition, json: serialize(definition) };
}

function serialize(definition: unknown): string {
  try {
    return JSON.stringify(definition) ?? "";
  } catch (err) {
    throw new DefinitionParseError(`the definition cannot be written as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}
