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
  readonly dataKey: string;
  readonly rejectsKey: string;
}

/** What the manifest of this run must say. */
export interface ManifestExpectations {
  readonly jobRunId: string;
  readonly header: readonly string[];
  readonly filter: RowFilter;
  readonly dataKey: string;
  readonly rejectsKey: string;
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
  return {
    jobRunId: textField("job_run_id"),
    source: textField("source"),
    inputRows: countField("input_rows"),
    kept: countField("kept"),
    filteredOut: countField("filtered_out"),
    rejected: countField("rejected"),
    header: header as string[],
    filter: filter as Manifest["filter"],
    dataKey: textField("data_key"),
    rejectsKey: textField("rejects_key"),
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
  if (manifest.dataKey !== expected.dataKey || manifest.rejectsKey !== expected.rejectsKey) {
    fail(
      `data_key/rejects_key are "${manifest.dataKey}"/"${manifest.rejectsKey}", expected ` +
        `"${expected.dataKey}"/"${expected.rejectsKey}" (the run's own prefix).`,
    );
  }
}

/** Same items in the same order. */
export function sameList(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((item, index) => item === right[index]);
}
