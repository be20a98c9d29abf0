/**
 * An error a sandbox service returns to its caller, in AWS's terms: the error code the SDK turns into an
 * exception name (`__type` in the JSON protocols, `<Code>` in S3's XML) and the HTTP status.
 */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = code;
  }
}

/** The caller's policies do not allow the action; `message` is AWS's "User: ... is not authorized..." text. */
export class AccessDeniedError extends AwsServiceError {
  constructor(
    message: string,
    readonly principalArn: string,
    readonly action: string,
    readonly resourceArn: string,
  ) {
    super("AccessDeniedException", message, 400);
  }
}

export function isAwsServiceError(error: unknown): error is AwsServiceError {
  return error instanceof AwsServiceError;
}
