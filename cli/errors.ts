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

/** The message of any thrown value; AWS SDK errors put their code in `name`, so it is kept in front. */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return error.message;
  if (error instanceof Error) {
    const code = error.name && error.name !== "Error" ? `${error.name}: ` : "";
    return `${code}${error.message}`;
  }
  return String(error);
}
