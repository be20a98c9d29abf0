/**
 * The run manifest (_manifest.json): parsing it and checking it against what this run must have produced.
 * Pure: the handler fetches the text and passes it in.
 */
import { ValidationFailed } from "../shared/errors";
import type { RowFilter } from "./filter";

export interface Manifest {
  readonly jobRunId: string;
  readonly source: string;
  readonly inputRows: number;
  readonly kept: number;
  readonly filteredOut: number;
  readonly rejected: number;
  readonly header: readonly string[];
  readonly filter: { readonly column: unknown; readonly operator: unknown; readonly value: unknown };
  /** "python-shell" (one data_key and rejects_key) or "spark" (data_keys and rejects_keys: one part per range). */
  readonly engine: OutputEngine;
  /** The data files and rejects files, in input order: one each for the Python shell job, the parts for Spark. */
  readonly dataKeys: readonly string[];
  readonly rejectsKeys: readonly string[];
}

export type OutputEngine = "python-shell" | "spark";

/** What the manifest of this run must say. */
export interface ManifestExpectations {
  readonly jobRunId: string;
  readonly header: readonly string[];
  readonly filter: RowFilter;
  /** The run's prefix: `<outputPrefix>/<JobRunId>`. */
  readonly runPrefix: string;
}

/**
 * The output layout of the data contract, per engine: the Python shell job writes `<run>/data.csv` and
 * `<run>/rejects.csv`; the Spark job writes one part per range, `<run>/data/part-00000.csv`... and
 * `<run>/rejects/part-00000.csv`..., each with its header. Both write `<run>/_manifest.json` last.
 */
export function expectedKeys(engine: OutputEngine, runPrefix: string, parts: number): { data: string[]; rejects: string[] } {
  if (engine === "python-shell") return { data: [`${runPrefix}/data.csv`], rejects: [`${runPrefix}/rejects.csv`] };
  const part = (folder: string, index: number) => `${runPrefix}/${folder}/part-${String(index).padStart(5, "0")}.csv`;
  const indexes = [...Array(parts).keys()];
  return { data: indexes.map((i) => part("data", i)), rejects: indexes.map((i) => part("rejects", i)) };
}

/** Parses the manifest text; throws ValidationFailed naming the field that is missing or malformed. */
export function parseManifest(text: string, manifestKey: string, manifestUrl: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ValidationFailed(
      `Manifest ${manifestUrl} is not valid JSON (${(error as Error).message}). The job writes it last and ` +
        `whole, so the run's output is corrupt; rerun the job.`,
      { key: manifestKey },
    );
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ValidationFailed(`Manifest ${manifestUrl} is not a JSON object.`, { key: manifestKey });
  }
  const fields = json as Record<string, unknown>;
  const fail = (field: string, expected: string): never => {
    throw new ValidationFailed(
      `Manifest ${manifestUrl}: field "${field}" must be ${expected}, got ${JSON.stringify(fields[field]) ?? "nothing"}. ` +
        `The job did not write the manifest the data contract describes.`,
      { key: manifestKey },
    );
  };
  const textField = (field: string): string => {
    const value = fields[field];
    return typeof value === "string" ? value : fail(field, "a string");
  };
  const countField = (field: string): number => {
    const value = fields[field];
    return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : fail(field, "a non-negative integer");
  };
  const header = fields.header;
  if (!Array.isArray(header) || !header.every((name) => typeof name === "string")) {
    fail("header", "an array of column names");
  }
  const filter = fields.filter;
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) {
    fail("filter", "an object");
  }
  const keyList = (field: string): string[] => {
    const value = fields[field];
    return Array.isArray(value) && value.length > 0 && value.every((key) => typeof key === "string")
      ? (value as string[])
      : fail(field, "a non-empty array of keys");
  };
  const engine = fields.engine === undefined ? "python-shell" : fields.engine;
  if (engine !== "python-shell" && engine !== "spark") fail("engine", `"spark", or absent for the Python shell job`);
  const keys =
    engine === "spark"
      ? { dataKeys: keyList("data_keys"), rejectsKeys: keyList("rejects_keys") }
      : { dataKeys: [textField("data_key")], rejectsKeys: [textField("rejects_key")] };
  return {
    jobRunId: textField("job_run_id"),
    source: textField("source"),
    inputRows: countField("input_rows"),
    kept: countField("kept"),
    filteredOut: countField("filtered_out"),
    rejected: countField("rejected"),
    header: header as string[],
    filter: filter as Manifest["filter"],
    engine: engine as OutputEngine,
    ...keys,
  };
}

/** Checks the manifest belongs to this run, is self-consistent, and matches the validator's contract. */
export function checkManifest(
  manifest: Manifest,
  expected: ManifestExpectations,
  manifestKey: string,
  manifestUrl: string,
): void {
  const fail = (message: string): never => {
    throw new ValidationFailed(`Manifest ${manifestUrl}: ${message}`, { key: manifestKey });
  };
  if (manifest.jobRunId !== expected.jobRunId) {
    fail(
      `job_run_id is "${manifest.jobRunId}", expected "${expected.jobRunId}". The output under this run's prefix ` +
        `was written by another run (copied, or the job was given the wrong --JOB_RUN_ID).`,
    );
  }
  const accounted = manifest.kept + manifest.filteredOut + manifest.rejected;
  if (manifest.inputRows !== accounted) {
    fail(
      `counts do not add up: input_rows ${manifest.inputRows} != kept ${manifest.kept} + filtered_out ` +
        `${manifest.filteredOut} + rejected ${manifest.rejected} (= ${accounted}). The job lost or double-counted ` +
        `${Math.abs(manifest.inputRows - accounted)} row(s).`,
    );
  }
  if (!sameList(manifest.header, expected.header)) {
    fail(
      `header is ${JSON.stringify(manifest.header)}, expected the schema's columns ${JSON.stringify(expected.header)}. ` +
        `The job and the validator were given different schemas.`,
    );
  }
  const { column, operator, value } = manifest.filter;
  if (column !== expected.filter.column || operator !== expected.filter.operator || value !== expected.filter.value) {
    fail(
      `the job ran with filter ${JSON.stringify({ column, operator, value })}, but this validator checks ` +
        `${JSON.stringify(expected.filter)}. Deploy the job and the validator with the same filter.`,
    );
  }
  const keys = expectedKeys(manifest.engine, expected.runPrefix, manifest.dataKeys.length);
  if (!sameList(manifest.dataKeys, keys.data) || !sameList(manifest.rejectsKeys, keys.rejects)) {
    const [dataField, rejectsField] = manifest.engine === "spark" ? ["data_keys", "rejects_keys"] : ["data_key", "rejects_key"];
    fail(
      `${dataField}/${rejectsField} are ${JSON.stringify(manifest.dataKeys)}/${JSON.stringify(manifest.rejectsKeys)}, expected ` +
        `${JSON.stringify(keys.data)}/${JSON.stringify(keys.rejects)} (the run's own prefix, the ${manifest.engine} job's layout).`,
    );
  }
}

/** Same items in the same order. */
export function sameList(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((item, index) => item === right[index]);
}
