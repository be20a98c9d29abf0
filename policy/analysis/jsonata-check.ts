/**
 * JSONata expressions checked with the jsonata library's own parser, each syntax error reported at its
 * field and its position in the expression. In a JSONata state, a string that begins with "{%" and ends
 * with "%}" is an expression and any other string is a literal ("Transforming data with JSONata in Step
 * Functions"); an expression may span lines.
 */
import jsonata from "jsonata";
import { escapePointerSegment } from "./json-source";
import { hasPlaceholder } from "./placeholders";
import { isObject, StateVisit } from "./walk";

export interface JsonataProblem {
  pointer: string;
  message: string;
}

/** Fields of a state that hold nested states or prose, not expressions. */
const NOT_EVALUATED = new Set(["Branches", "ItemProcessor", "Iterator", "Comment"]);

const EXPRESSION = /^\s*\{%([\s\S]*)%\}\s*$/;

interface JsonataError {
  code?: string;
  position?: number;
  token?: string;
  message?: string;
}

/** Parse answers per expression text (definitions repeat `$states.input`, the same Output in every branch). */
const answers = new Map<string, JsonataError | null>();
const MAX_REMEMBERED = 10_000;

function syntaxError(expression: string): JsonataError | null {
  let answer = answers.get(expression);
  if (answer !== undefined) return answer;
  try {
    jsonata(expression);
    answer = null;
  } catch (err) {
    answer = (err ?? {}) as JsonataError;
  }
  if (answers.size >= MAX_REMEMBERED) answers.clear();
  answers.set(expression, answer);
  return answer;
}

function describe(error: JsonataError, expression: string, text: string): string {
  const offset = text.indexOf("{%") + 2;
  const at = typeof error.position === "number" ? ` at character ${error.position} of the expression (character ${offset + error.position} of the string)` : "";
  const shown = expression.trim().length > 60 ? `${expression.trim().slice(0, 57)}...` : expression.trim();
  return `${error.message ?? "syntax error"}${error.code ? ` (${error.code})` : ""}${at}, in {% ${shown} %}`;
}

/** Every JSONata syntax error in the JSONata states of a walk, in document order. */
export function jsonataProblems(states: readonly StateVisit[]): JsonataProblem[] {
  const problems: JsonataProblem[] = [];
  for (const visit of states) {
    if (visit.queryLanguage !== "JSONata") continue;
    const check = (value: unknown, pointer: string): void => {
      if (typeof value === "string") {
        const match = EXPRESSION.exec(value);
        if (!match || hasPlaceholder(value)) return;
        const error = syntaxError(match[1]);
        if (!error) return;
        const field = pointer.slice(visit.pointer.length + 1).replace(/\//g, ".");
        problems.push({ pointer, message: `"${field}" of "${visit.name}" is not a valid JSONata expression: ${describe(error, match[1], value)}. Fix the expression.` });
      } else if (Array.isArray(value)) {
        value.forEach((child, i) => check(child, `${pointer}/${i}`));
      } else if (isObject(value)) {
        for (const [key, child] of Object.entries(value)) check(child, `${pointer}/${escapePointerSegment(key)}`);
      }
    };
    for (const [key, value] of Object.entries(visit.state)) {
      if (!NOT_EVALUATED.has(key)) check(value, `${visit.pointer}/${escapePointerSegment(key)}`);
    }
  }
  return problems;
}
