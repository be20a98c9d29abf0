import { loadProgramModel, type LoadProgramOptions, type ProgramModel } from "../model";

/**
 * The program evaluated under Pulumi's mocks once per test process for each set of options, instead of once
 * per test file (an evaluation bundles the functions and costs seconds). Every caller gets its own deep copy,
 * so a test may edit its model (remove a statement, break a job argument) without touching another's.
 */
const evaluations = new Map<string, Promise<ProgramModel>>();

export async function sharedProgramModel(options: LoadProgramOptions): Promise<ProgramModel> {
  const key = JSON.stringify(options, (_key, value: unknown) =>
    value && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : value,
  );
  let evaluation = evaluations.get(key);
  if (!evaluation) {
    evaluation = loadProgramModel(options);
    evaluations.set(key, evaluation);
    // A failed evaluation is not kept: the next caller sees the error again, not a stale rejection.
    evaluation.catch(() => evaluations.delete(key));
  }
  return structuredClone(await evaluation);
}
