import { isObject } from "../../../policy/analysis/walk";
import { evaluateField, type Bindings } from "./expressions";

/** The workflow variables one scope sees (the machine, a Parallel branch or a Map iteration). */
export type Variables = Map<string, unknown>;

/**
 * Assign ("Passing data between states with variables"): every value of the object is evaluated with the
 * variables as they were when the state was entered (an Assign does not see its own assignments, nor
 * does the state's Output), then all are stored at once.
 */
export async function assignVariables(assign: unknown, bindings: Bindings, variables: Variables, field: string): Promise<void> {
  if (assign === undefined) return;
  if (!isObject(assign)) return;
  const values: [string, unknown][] = [];
  for (const [name, value] of Object.entries(assign)) values.push([name, await evaluateField(value, bindings, `${field}.${name}`)]);
  for (const [name, value] of values) variables.set(name, value);
}
