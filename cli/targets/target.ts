import type { GlueClient } from "@aws-sdk/client-glue";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { StackOutputs } from "./outputs";

/**
 * Where the commands act: unmodified AWS SDK v3 clients and the stack outputs. The AWS and sandbox targets
 * differ only in how the clients are configured (endpoint, credentials) and where the outputs come from.
 */
export interface Target {
  readonly kind: "aws" | "sandbox";
  /** One line for the operator: which stack or sandbox this is. */
  readonly description: string;
  readonly sfn: SFNClient;
  readonly glue: GlueClient;
  readonly s3: S3Client;
  /**
   * The lab's stack outputs, for commands about the lab's job and patterns (etl, approve's verification, demo);
   * reading it when the deployed program is another one throws a CliError saying so.
   */
  readonly outputs: StackOutputs;
  /** The lab's outputs when the deployed program has them (its pattern names are then shortcuts), else undefined. */
  readonly labOutputs: StackOutputs | undefined;
  /** How often to poll execution history and job runs: AWS throttles, the sandbox answers at once. */
  readonly pollIntervalMs: number;
  /** True when the target lives only as long as this command (a sandbox started in-process for it). */
  readonly ephemeral?: boolean;
  /** Releases what the target holds (an in-process sandbox stops; clients are destroyed). */
  close(): Promise<void>;
}

/** Options every command that acts on a target accepts. */
export interface TargetOptions {
  readonly target: "sandbox" | "aws";
  /** AWS: the Pulumi stack whose outputs to read. */
  readonly stack?: string;
  /** AWS: a file holding `pulumi stack output --json`. */
  readonly outputs?: string;
  /** Sandbox: the program folder a sandbox started for the command deploys. */
  readonly program?: string;
}
