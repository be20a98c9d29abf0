import jsonata from "jsonata";
import { isObject } from "../../../policy/analysis/walk";
import { QueryEvaluationError } from "./errors";
import { STEP_FUNCTIONS_FUNCTIONS } from "./functions";

/**
 * JSONata in field values ("Transforming data with JSONata in Step Functions"): a string that starts
 * with `{%` and ends with `%}` is an expression; any other string is a literal. Expressions may sit in
 * any string of a field's value, nested in objects and arrays.
 */
const EXPRESSION = /^\{%([\s\S]*)%\}$/;

export function expressionOf(value: unknown): string | undefined {
  return typeof value === "string" ? EXPRESSION.exec(value)?.[1] : undefined;
}

/** Every expression in a field's value, with where it is (for deploy-time compilation). */
export function expressionsIn(value: unknown, where: string): { where: string; expression: string }[] {
  const expression = expressionOf(value);
  if (expression !== undefined) return [{ where, expression }];
  if (Array.isArray(value)) return value.flatMap((item, i) => expressionsIn(item, `${where}[${i}]`));
  if (isObject(value)) return Object.entries(value).flatMap(([key, item]) => expressionsIn(item, `${where}.${key}`));
  return [];
}

const compiled = new Map<string, jsonata.Expression>();

/** Compiles (once per text) an expression; a syntax error is thrown as JSONata reports it. */
export function compile(expression: string): jsonata.Expression {
  let parsed = compiled.get(expression);
  if (!parsed) {
    parsed = jsonata(expression);
    compiled.set(expression, parsed);
  }
  return parsed;
}

/** What expressions see: `$states` and the workflow variables in scope. */
export interface Bindings {
  readonly states: Record<string, unknown>;
  readonly variables: Readonly<Record<string, unknown>>;
}

/**
 * The field's value with every expression replaced by its result. An expression that fails, or whose
 * result is undefined or not JSON, is `States.QueryEvaluationError` naming the field.
 */
export async function evaluateField(value: unknown, bindings: Bindings, field: string): Promise<unknown> {
  const expression = expressionOf(value);
  if (expression !== undefined) return evaluateExpression(expression, bindings, field);
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const [i, item] of value.entries()) items.push(await evaluateField(item, bindings, `${field}[${i}]`));
    return items;
  }
  if (isObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = await evaluateField(item, bindings, `${field}.${key}`);
    return result;
  }
  return value;
}

async function evaluateExpression(expression: string, bindings: Bindings, field: string): Promise<unknown> {
  let result: unknown;
  try {
    // Variables first: `$states` and the Step Functions functions cannot be shadowed by an assignment.
    result = await compile(expression).evaluate(undefined, { ...bindings.variables, ...STEP_FUNCTIONS_FUNCTIONS, states: bindings.states });
  } catch (error) {
    if (error instanceof QueryEvaluationError) throw new QueryEvaluationError(`An error occurred while evaluating the field '${field}': ${error.message}`);
    const reason = (error as { message?: string })?.message ?? String(error);
    throw new QueryEvaluationError(`An error occurred while evaluating the JSONata expression '${expression.trim()}' of the field '${field}': ${reason}`);
  }
  if (result === undefined) {
    throw new QueryEvaluationError(`The JSONata expression '${expression.trim()}' specified for the field '${field}' returned nothing (undefined).`);
  }
  if (typeof result === "function") {
    throw new QueryEvaluationError(`The JSONata expression '${expression.trim()}' specified for the field '${field}' returned a function, which is not JSON.`);
  }
  // JSONata's results carry sequence markers and may share structure: hand on plain JSON.
  return JSON.parse(JSON.stringify(result)) as unknown;
}
