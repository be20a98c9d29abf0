import { isObject } from "../../../policy/analysis/walk";
import { StatesError } from "./errors";
import { evaluateField, type Bindings } from "./expressions";

/**
 * "Passing data between states with variables": a state stores up to 256 KiB in its variables. Past it,
 * the state fails with States.DataLimitExceeded, the error Step Functions gives data over its size quotas
 * ("Handling errors in Step Functions workflows"), which States.ALL does not catch.
 */
export const MAX_ASSIGNED_BYTES_PER_STATE = 256 * 1024;

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
  const bytes = Buffer.byteLength(JSON.stringify(Object.fromEntries(values)), "utf8");
  if (bytes > MAX_ASSIGNED_BYTES_PER_STATE) {
    throw new StatesError("States.DataLimitExceeded", `The variables assigned by the field '${field}' take ${bytes} bytes, over the ${MAX_ASSIGNED_BYTES_PER_STATE} bytes a state may assign.`);
  }
  for (const [name, value] of values) variables.set(name, value);
}
