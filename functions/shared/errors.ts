/**
 * Errors the handlers throw on purpose. Lambda reports `error.name` as the errorType, so each class fixes
 * its name: a state machine can Catch/Retry on it ("FileNotFound", "ValidationFailed", ...).
 */

/** A required environment variable is missing or malformed: the function is misconfigured. */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
}

/** The invocation event lacks a field or has one of the wrong shape. */
export class InvalidEvent extends Error {
  override readonly name = "InvalidEvent";
}

/** Where in S3 the object the handler needed lives. */
export interface ObjectLocation {
  readonly bucket: string;
  readonly key: string;
}

/** Formats an S3 location the way operators paste it into the console or the CLI. */
export function s3Url(location: ObjectLocation): string {
  return `s3://${location.bucket}/${location.key}`;
}

/** Where a validation problem was found, for structured logs. */
export interface ValidationLocation {
  readonly key?: string;
  /** 1-based data row (the header is not a row). */
  readonly row?: number;
  /** 1-based physical line (the header is line 1). */
  readonly line?: number;
}

/** The ETL output does not prove a correct run; a state machine can Catch "ValidationFailed". */
export class ValidationFailed extends Error {
  override readonly name = "ValidationFailed";
  constructor(
    message: string,
    readonly where: ValidationLocation = {},
  ) {
    super(message);
  }
}
