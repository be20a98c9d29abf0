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

/** Parses JSON text; on failure a DefinitionParseError with line and column. */
export function parseJsonText(text: string): unknown {
  const body = text.replace(BYTE_ORDER_MARK, "");
  if (body.trim() === "") throw new DefinitionParseError("the definition is empty");
  try {
    return JSON.parse(body);
  } catch (err) {
    throw jsonParseError(body, err instanceof Error ? err.message : String(err));
  }
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
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const pos = lineCounter.linePos(error.pos[0]);
    throw new DefinitionParseError(`invalid YAML: ${error.message.split("\n")[0]}`, pos.line, pos.col);
  }
  return doc.toJS({ maxAliasCount: 100 });
}

/** Parses a definition given as text (JSON by default) or as an object (taken as is). */
export function parseDefinition(input: string | object, format: DefinitionFormat = "json"): ParsedDefinition {
  if (typeof input !== "string") return { definition: input, json: serialize(input) };
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
