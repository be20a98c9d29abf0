/**
 * The one place the CLI meets the sandbox runtime: start it on a program model, learn its endpoints and
 * the operator's credentials, stop it. Everything else talks to it through the AWS SDK clients.
 */
import type { ProgramModel } from "../../sandbox/model";
import { CliError } from "../errors";

/** Delays the sandbox models; small values keep tests and the demo quick. */
export interface SandboxSettings {
  /** How long a Glue run stays STARTING (Glue provisions for seconds). */
  readonly glueStartupDelayMs?: number;
  /** How long Step Functions waits between polls of a `.sync` job run (about a minute on AWS). */
  readonly syncPollDelayMs?: number;
  /** Where the sandbox keeps its objects, runs and logs. */
  readonly dataDir: string;
}

export interface SandboxEndpoints {
  readonly sfn: string;
  readonly glue: string;
  readonly s3: string;
}

export interface SandboxCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface RunningSandbox {
  readonly region: string;
  readonly endpoints: SandboxEndpoints;
  readonly credentials: SandboxCredentials;
  stop(): Promise<void>;
}

/** Starts the sandbox in this process on a model (the program evaluated under mocks). */
export async function startSandbox(model: ProgramModel, settings: SandboxSettings): Promise<RunningSandbox> {
  void model;
  void settings;
  throw new CliError("The local sandbox runtime is not available in this build; use --target aws");
}
