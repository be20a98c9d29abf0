import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import { requireEnv, type Environment } from "../shared/env";
import { InvalidEvent, s3Url, type ObjectLocation } from "../shared/errors";
import { createLogger } from "../shared/logger";
import { createS3Client, isMissingObjectError } from "../shared/s3";

/**
 * Input of check-file. Empty in the request-response and run-job patterns; in the callback pattern the
 * state machine passes its task token (`$$.Task.Token`) and execution id (`$$.Execution.Id`).
 */
export interface CheckFileEvent {
  readonly taskToken?: string;
  readonly executionId?: string;
}

/** What check-file found: the data file the ETL job will read. */
export interface CheckFileResult {
  readonly bucket: string;
  readonly key: string;
  /** Size in bytes. */
  readonly size: number;
  /** The ETag without its surrounding quotes. */
  readonly etag: string;
  /** Last modification time, ISO 8601. */
  readonly lastModified: string;
}

/** The data file is not in the bucket; a state machine can Catch "FileNotFound". */
export class FileNotFound extends Error {
  override readonly name = "FileNotFound";
  constructor(
    readonly bucket: string,
    readonly key: string,
  ) {
    super(
      `Data file ${s3Url({ bucket, key })} not found (bucket "${bucket}", key "${key}"). ` +
        `Upload it or fix DATA_KEY.`,
    );
  }
}

/**
 * S3 refused to say whether the data file exists (HTTP 403). HeadObject has no response body, so the SDK
 * cannot name the error ("UnknownError"); this names it, with the object and the permissions involved.
 */
export class DataFileAccessDenied extends Error {
  override readonly name = "AccessDenied";
  constructor(
    readonly bucket: string,
    readonly key: string,
  ) {
    super(
      `Access denied: HeadObject on ${s3Url({ bucket, key })} answered 403 (bucket "${bucket}", key "${key}"). ` +
        `The function's role needs s3:GetObject on the object, and s3:ListBucket on the bucket for S3 to ` +
        `answer 404 rather than 403 when the file is missing.`,
    );
  }
}

/** What the handler needs from the outside; tests swap them. */
export interface CheckFileDependencies {
  readonly s3: S3Client;
  readonly logger: Logger;
  readonly env?: Environment;
}

/** Builds the handler around its dependencies; `handler` below is the one Lambda runs. */
export function createCheckFileHandler(deps: CheckFileDependencies) {
  return async (event: CheckFileEvent, context?: Context): Promise<CheckFileResult> => {
    const env = deps.env ?? process.env;
    if (context !== undefined) {
      deps.logger.addContext(context);
    }
    const taskToken = readTaskToken(event);
    const location: ObjectLocation = { bucket: requireEnv("DATA_BUCKET", env), key: requireEnv("DATA_KEY", env) };
    // Read before any S3 call so a misconfigured callback function fails before it looks healthy.
    const etlJobName = taskToken === undefined ? undefined : requireEnv("ETL_JOB_NAME", env);

    const result = await headDataFile(deps.s3, location);
    deps.logger.info("Data file found", { ...result });

    if (taskToken !== undefined && etlJobName !== undefined) {
      logOperatorInstructions(deps.logger, taskToken, event.executionId, etlJobName);
    }
    return result;
  };
}

/** The handler Lambda runs: one S3 client and one logger per container. */
export const handler = createCheckFileHandler({ s3: createS3Client(), logger: createLogger("check-file") });

async function headDataFile(s3: S3Client, location: ObjectLocation): Promise<CheckFileResult> {
  let response;
  try {
    response = await s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }));
  } catch (error) {
    if (isMissingObjectError(error)) {
      throw new FileNotFound(location.bucket, location.key);
    }
    if (httpStatus(error) === 403) {
      throw new DataFileAccessDenied(location.bucket, location.key);
    }
    throw error;
  }
  if (response.ContentLength === undefined || response.LastModified === undefined) {
    throw new Error(`HeadObject on ${s3Url(location)} returned no Content-Length or Last-Modified header`);
  }
  return {
    bucket: location.bucket,
    key: location.key,
    size: response.ContentLength,
    etag: (response.ETag ?? "").replace(/^"(.*)"$/, "$1"),
    lastModified: response.LastModified.toISOString(),
  };
}

function httpStatus(error: unknown): unknown {
  return (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
}

/** The task token, when the event carries one (callback pattern); rejects a token of the wrong shape. */
function readTaskToken(event: CheckFileEvent | null | undefined): string | undefined {
  const token: unknown = event?.taskToken;
  if (token === undefined) {
    return undefined;
  }
  if (typeof token !== "string" || token === "") {
    throw new InvalidEvent(
      `event.taskToken must be a non-empty string, got ${JSON.stringify(token)}. ` +
        `Pass the task token with "taskToken.$": "$$.Task.Token" in the state's Payload.`,
    );
  }
  return token;
}

/**
 * Enough of a task token to tell two apart in logs, never enough to use: a token lets anyone who holds
 * it resume or fail the execution. Short tokens show less so the preview never reveals most of one.
 */
export function previewTaskToken(token: string): string {
  const shown = Math.min(8, Math.floor(token.length / 4));
  return `${token.slice(0, shown)}…(${token.length} chars)`;
}

/** Tells the operator, in the function's log, what to do to resume the paused execution. */
function logOperatorInstructions(logger: Logger, token: string, executionId: string | undefined, jobName: string) {
  const execution = executionId ?? "<executionId>";
  logger.info("Waiting for operator approval", {
    executionId: execution,
    taskToken: previewTaskToken(token),
    next:
      `Start the Glue job "${jobName}", verify its output, then approve: npx sfn-lab approve ${execution} ` +
      `(or reject: npx sfn-lab reject ${execution}).`,
  });
  // The full token only at DEBUG: it is a credential for this execution.
  logger.debug("Task token", { executionId: execution, taskToken: token });
}
