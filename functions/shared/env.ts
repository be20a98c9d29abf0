import { ConfigurationError } from "./errors";

/** The environment the handler reads; a parameter so tests and callers need not touch process.env. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Returns a required, non-empty environment variable, or throws a ConfigurationError naming it. */
export function requireEnv(name: string, env: Environment = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === "") {
    throw new ConfigurationError(
      `Environment variable ${name} is ${value === undefined ? "not set" : "empty"}. ` +
        `The deployment sets it on the function; set it too when invoking the handler by hand.`,
    );
  }
  return value;
}

/** Returns a required environment variable parsed as JSON, or throws a ConfigurationError naming it. */
export function requireJsonEnv(name: string, env: Environment = process.env): unknown {
  const text = requireEnv(name, env);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigurationError(`Environment variable ${name} is not valid JSON (${reason}): ${text}`);
  }
}
