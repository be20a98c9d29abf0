import type { S3Client } from "@aws-sdk/client-s3";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import { requireEnv, requireJsonEnv, type Environment } from "../shared/env";
import { ConfigurationError, s3Url, ValidationFailed } from "../shared/errors";
import { createLogger } from "../shared/logger";
import { createS3Client, openObject } from "../shared/s3";
import { csvRecords, CsvSyntaxError, decodeUtf8, InvalidUtf8, type CsvRecord } from "./csv";
import {
  ContractError,
  createRowChecker,
  parseFilter,
  parseSchema,
  type Column,
  type RowChecker,
  type RowFilter,
} from "./filter";
import { checkManifest, parseManifest, sameList, type Manifest } from "./manifest";

/** Input of validate-output: the Glue job run whose output to check. */
export interface ValidateOutputEvent {
  readonly jobRunId: string;
}

/** The run's counts, proven against its files. */
export interface ValidateOutputResult {
  readonly jobRunId: string;
  readonly inputRows: number;
  readonly kept: number;
  readonly filteredOut: number;
  readonly rejected: number;
  /** The data file (Python shell), or the folder of the Spark job's parts. */
  readonly dataKey: string;
  readonly rejectsKey: string;
  /** The Spark job's number of parts (data and rejects each). */
  readonly parts?: number;
}

export { ValidationFailed } from "../shared/errors";

/** The header of rejects.csv, fixed by the data contract. */
export const REJECTS_HEADER = ["line_number", "reason", "raw"] as const;

/** What the handler needs from the outside; tests swap them. */
export interface ValidateOutputDependencies {
  readonly s3: S3Client;
  readonly logger: Logger;
  readonly env?: Environment;
}

interface ValidatorConfig {
  readonly bucket: string;
  readonly prefix: string;
  readonly schema: readonly Column[];
  readonly filter: RowFilter;
}

/** Builds the handler around its dependencies; `handler` below is the one Lambda runs. */
export function createValidateOutputHandler(deps: ValidateOutputDependencies) {
  return async (event: ValidateOutputEvent, context?: Context): Promise<ValidateOutputResult> => {
    if (context !== undefined) {
      deps.logger.addContext(context);
    }
    const jobRunId = readJobRunId(event);
    const config = readConfig(deps.env ?? process.env);
    try {
      const result = await validateRun(deps.s3, config, jobRunId);
      deps.logger.info("Output validated", { ...result });
      return result;
    } catch (error) {
      if (error instanceof ValidationFailed) {
        deps.logger.error("Output validation failed", { jobRunId, reason: error.message, ...error.where });
      }
      throw error;
    }
  };
}

/** The handler Lambda runs: one S3 client and one logger per container. */
export const handler = createValidateOutputHandler({ s3: createS3Client(), logger: createLogger("validate-output") });

function readJobRunId(event: ValidateOutputEvent | null | undefined): string {
  const jobRunId: unknown = event?.jobRunId;
  if (typeof jobRunId !== "string" || jobRunId === "" || jobRunId.includes("/")) {
    throw new ValidationFailed(
      `event.jobRunId must be the Glue job run id (e.g. "jr_..."), got ${JSON.stringify(jobRunId) ?? "nothing"}. ` +
        `The state machine passes it in the Validate state's Payload, e.g. {"jobRunId.$": "$.JobRunId"}.`,
    );
  }
  return jobRunId;
}

function readConfig(env: Environment): ValidatorConfig {
  const bucket = requireEnv("OUTPUT_BUCKET", env);
  const prefix = requireEnv("OUTPUT_PREFIX", env).replace(/^\/+|\/+$/g, "");
  try {
    const schema = parseSchema(requireJsonEnv("SCHEMA_JSON", env));
    const filter = parseFilter(requireJsonEnv("FILTER_JSON", env), schema);
    return { bucket, prefix, schema, filter };
  } catch (error) {
    if (error instanceof ContractError) {
      throw new ConfigurationError(`SCHEMA_JSON/FILTER_JSON do not follow the data contract: ${error.message}`);
    }
    throw error;
  }
}

async function validateRun(s3: S3Client, config: ValidatorConfig, jobRunId: string): Promise<ValidateOutputResult> {
  const runPrefix = config.prefix === "" ? jobRunId : `${config.prefix}/${jobRunId}`;
  const manifestKey = `${runPrefix}/_manifest.json`;
  const url = (key: string) => s3Url({ bucket: config.bucket, key });
  const header = config.schema.map((column) => column.name);

  const manifestBody = await openObject(s3, config.bucket, manifestKey);
  if (manifestBody === undefined) {
    throw new ValidationFailed(
      `No output for Glue job run ${jobRunId}: ${url(manifestKey)} does not exist. The job has not finished ` +
        `writing; did the state machine wait for it (use glue:startJobRun.sync or a task token)?`,
      { key: manifestKey },
    );
  }
  const manifestText = await readText(manifestBody, manifestKey, url(manifestKey));
  const manifest = parseManifest(manifestText, manifestKey, url(manifestKey));
  checkManifest(manifest, { jobRunId, header, filter: config.filter, runPrefix }, manifestKey, url(manifestKey));

  // Each file (or part) in order: its header, then its rows; the counts are the parts' sums.
  const checker = createRowChecker(config.schema, config.filter);
  let kept = 0;
  for (const key of manifest.dataKeys) {
    const body = await openObject(s3, config.bucket, key);
    if (body === undefined) throw missingFile(key, url(key), url(manifestKey));
    kept = await checkDataFile(records(body, key, url(key)), { header, checker, manifest, key, url: url(key), before: kept, last: key === manifest.dataKeys.at(-1) });
  }
  let rejected = 0;
  for (const key of manifest.rejectsKeys) {
    const body = await openObject(s3, config.bucket, key);
    if (body === undefined) throw missingFile(key, url(key), url(manifestKey));
    rejected = await checkRejectsFile(records(body, key, url(key)), manifest, key, url(key), rejected, key === manifest.rejectsKeys.at(-1));
  }

  const single = manifest.engine === "python-shell";
  return {
    jobRunId,
    inputRows: manifest.inputRows,
    kept: manifest.kept,
    filteredOut: manifest.filteredOut,
    rejected: manifest.rejected,
    dataKey: single ? manifest.dataKeys[0] : `${runPrefix}/data/`,
    rejectsKey: single ? manifest.rejectsKeys[0] : `${runPrefix}/rejects/`,
    ...(single ? {} : { parts: manifest.dataKeys.length }),
  };
}

/** What a count covers: the one file, or every part up to the last one (the Spark job's output). */
function counted(url: string, manifest: Manifest): string {
  return manifest.engine === "spark" ? `the output (${manifest.dataKeys.length} parts, through ${url})` : url;
}

function missingFile(key: string, fileUrl: string, manifestUrl: string): ValidationFailed {
  return new ValidationFailed(
    `${fileUrl} does not exist, but the manifest ${manifestUrl} does. The job writes the manifest last, so its ` +
      `output was deleted or moved afterwards; rerun the job.`,
    { key },
  );
}

async function readText(body: AsyncIterable<Uint8Array>, key: string, fileUrl: string): Promise<string> {
  let text = "";
  try {
    for await (const chunk of decodeUtf8(body)) {
      text += chunk;
    }
  } catch (error) {
    throw asEncodingFailure(error, key, fileUrl);
  }
  return text;
}

/** Turns a decoding error into ValidationFailed; any other error is returned as it is. */
function asEncodingFailure(error: unknown, key: string, fileUrl: string): unknown {
  return error instanceof InvalidUtf8
    ? new ValidationFailed(
        `${fileUrl} is not valid UTF-8 (${error.message}). The job writes UTF-8; the object is damaged.`,
        { key },
      )
    : error;
}

/** The CSV records of an object, with decoding and syntax errors turned into ValidationFailed. */
async function* records(body: AsyncIterable<Uint8Array>, key: string, fileUrl: string): AsyncGenerator<CsvRecord> {
  try {
    yield* csvRecords(decodeUtf8(body));
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new ValidationFailed(
        error.truncated
          ? `${fileUrl} is truncated: ${error.message}. The object was cut short (an interrupted upload, or ` +
              `read while being written).`
          : `${fileUrl} is not valid CSV: ${error.message}. The job writes RFC 4180 CSV; the object is damaged.`,
        { key, line: error.line },
      );
    }
    throw asEncodingFailure(error, key, fileUrl);
  }
}

interface DataFileCheck {
  readonly header: readonly string[];
  readonly checker: RowChecker;
  readonly manifest: Manifest;
  readonly key: string;
  readonly url: string;
  /** Rows in the parts before this one; the last part closes the count against the manifest. */
  readonly before: number;
  readonly last: boolean;
}

/**
 * Proves data.csv (or one part): the schema's header, every row parses and passes the filter, and, with the rows of
 * the parts before it, manifest.kept rows by the last part. Returns the rows counted so far.
 */
async function checkDataFile(source: AsyncIterable<CsvRecord>, check: DataFileCheck): Promise<number> {
  const { manifest, key, url } = check;
  let headerSeen = false;
  let rows = check.before;
  let lastLine = 0;
  for await (const record of source) {
    if (!record.terminated) {
      throw truncatedAtEnd(record, headerSeen ? rows + 1 : 0, rows, manifest.kept, key, url);
    }
    if (!headerSeen) {
      headerSeen = true;
      if (!sameList(record.fields, check.header)) {
        throw new ValidationFailed(
          `${url} line 1: header is ${JSON.stringify(record.fields)}, expected the schema's columns ` +
            `${JSON.stringify(check.header)}. The job wrote columns other than the contract's, or in another order.`,
          { key, line: 1 },
        );
      }
      continue;
    }
    rows++;
    lastLine = record.line;
    const problem = check.checker.check(record.fields);
    if (problem !== undefined) {
      const meaning =
        problem.kind === "filter"
          ? `The job kept a row its filter (${check.checker.describeFilter}) should have dropped.`
          : `A row that does not parse must go to rejects.csv, not data.csv.`;
      throw new ValidationFailed(`${url} row ${rows} (line ${record.line}): ${problem.reason}. ${meaning}`, {
        key,
        row: rows,
        line: record.line,
      });
    }
  }
  if (!headerSeen) {
    throw new ValidationFailed(`${url} is empty: expected at least the header line. The job's upload failed.`, { key });
  }
  if (!check.last && rows <= manifest.kept) return rows;
  if (rows < manifest.kept) {
    throw new ValidationFailed(
      `${counted(url, manifest)} has ${rows} data rows but the manifest says kept=${manifest.kept}: ${manifest.kept - rows} row(s) ` +
        `missing after line ${Math.max(lastLine, 1)}. The job lost rows, or the file was cut at a line end or replaced.`,
      { key, row: rows + 1 },
    );
  }
  if (rows > manifest.kept) {
    throw new ValidationFailed(
      `${counted(url, manifest)} has ${rows} data rows but the manifest says kept=${manifest.kept}: ${rows - manifest.kept} row(s) ` +
        `too many. The job duplicated rows, or the file mixes output from more than one run.`,
      { key, row: manifest.kept + 1 },
    );
  }
  return rows;
}

/** The last record has no line end: every record of the contract's files ends with one, so it was cut. */
function truncatedAtEnd(record: CsvRecord, row: number, rows: number, expected: number, key: string, url: string) {
  const where = row === 0 ? `the header (line ${record.line})` : `row ${row} (line ${record.line})`;
  const shortBy = rows < expected ? ` and only ${rows} complete data row(s) of the manifest's ${expected} precede it` : "";
  return new ValidationFailed(
    `${url} is truncated: ${where} has no line end${shortBy}. Every record the job writes ends with "\\n"; the ` +
      `object was cut short (an interrupted upload, or read while being written).`,
    { key, line: record.line, ...(row === 0 ? {} : { row }) },
  );
}

/** Proves rejects.csv (or one part): the contract's header, three fields per record; with the parts before it, manifest.rejected records. */
async function checkRejectsFile(
  source: AsyncIterable<CsvRecord>,
  manifest: Manifest,
  key: string,
  url: string,
  before = 0,
  last = true,
): Promise<number> {
  let headerSeen = false;
  let rows = before;
  for await (const record of source) {
    if (!record.terminated) {
      throw truncatedAtEnd(record, headerSeen ? rows + 1 : 0, rows, manifest.rejected, key, url);
    }
    if (!headerSeen) {
      headerSeen = true;
      if (!sameList(record.fields, REJECTS_HEADER)) {
        throw new ValidationFailed(
          `${url} line 1: header is ${JSON.stringify(record.fields)}, expected ${JSON.stringify(REJECTS_HEADER)}.`,
          { key, line: 1 },
        );
      }
      continue;
    }
    rows++;
    if (record.fields.length !== REJECTS_HEADER.length) {
      throw new ValidationFailed(
        `${url} record ${rows} (line ${record.line}): expected 3 fields (${REJECTS_HEADER.join(",")}), got ` +
          `${record.fields.length}. The raw text of a rejected row must be one quoted field.`,
        { key, row: rows, line: record.line },
      );
    }
  }
  if (!headerSeen) {
    throw new ValidationFailed(`${url} is empty: expected at least the header line. The job's upload failed.`, { key });
  }
  if (!last && rows <= manifest.rejected) return rows;
  if (rows !== manifest.rejected) {
    throw new ValidationFailed(
      `${counted(url, manifest)} has ${rows} rejected record(s) but the manifest says rejected=${manifest.rejected}. The job's reject ` +
        `count and its rejects file disagree, so input rows are unaccounted for.`,
      { key },
    );
  }
  return rows;
}
