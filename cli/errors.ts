/**
 * An expected failure the operator can act on: bin.js prints its message as one line (no stack trace) and
 * exits with `exitCode`. Anything else that escapes a command is a bug and keeps its stack in the message.
 */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Exit code of a command line the CLI cannot act on (unknown option, bad value), as distinct from findings (1). */
export const USAGE_EXIT_CODE = 2;

/** A command line the CLI cannot act on: exits 2, like commander's own usage errors. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, USAGE_EXIT_CODE);
  }
}

/** True for a CliError, also one from another copy of this module (compiled and source side by side). */
function isCliError(error: unknown): error is CliError {
  return error instanceof CliError || (error instanceof Error && error.name === "CliError" && typeof (error as CliError).exitCode === "number");
}

/**
 * What to do when the AWS SDK's default credential chain found nothing (env, shared config and SSO, container
 * and instance metadata): the sources that chain reads, as the SDK's developer guide lists them.
 */
export const NO_AWS_CREDENTIALS =
  "No AWS credentials found for --target aws: run `aws configure` (or `aws sso login --profile NAME` and set AWS_PROFILE=NAME), " +
  "or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials), then run the command again";

/**
 * The message of any thrown value, on one line; AWS SDK errors put their code in `name`, so it is kept in
 * front (a bug's TypeError too: it says what broke).
 */
export function describeError(error: unknown): string {
  return oneLine(describe(error));
}

function describe(error: unknown): string {
  if (isCliError(error)) return error.message;
  if (error instanceof Error && error.name === "CredentialsProviderError") return NO_AWS_CREDENTIALS;
  if (error instanceof Error) {
    const code = error.name && error.name !== "Error" ? `${error.name}: ` : "";
    return `${code}${error.message}`;
  }
  return String(error);
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, " ");
}

/** The exit code a failed command ends with: the CliError's own, otherwise 1. */
export function exitCodeOf(error: unknown): number {
  return isCliError(error) ? error.exitCode : 1;
}
