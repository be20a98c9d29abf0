import { GlueClient } from "@aws-sdk/client-glue";
import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { CliError } from "../errors";
import { parseStackOutputs, regionOfArn, type StackOutputs } from "./outputs";
import type { Target } from "./target";

export interface AwsTargetOptions {
  /** Pulumi stack to read outputs from; default: the selected stack. */
  readonly stack?: string;
  /** A JSON file with the stack outputs, instead of asking the Pulumi CLI. */
  readonly outputsFile?: string;
  /** Runs `pulumi <args>` and returns its stdout; swapped in tests. */
  readonly runPulumi?: (args: readonly string[]) => Promise<string>;
}

function runPulumiCli(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("pulumi", [...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(
          new CliError(
            "The Pulumi CLI is not on PATH. Install it, or save the outputs once with `pulumi stack output --json > outputs.json` " +
              "and pass --outputs outputs.json",
          ),
        );
      } else if (error) {
        reject(new CliError(`\`pulumi ${args.join(" ")}\` failed: ${stderr.trim() || error.message}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

/** Reads the stack outputs from a file or from `pulumi stack output --json [--stack S]`. */
export async function readAwsStackOutputs(options: AwsTargetOptions): Promise<StackOutputs> {
  if (options.outputsFile !== undefined) {
    let text: string;
    try {
      text = await readFile(options.outputsFile, "utf8");
    } catch (error) {
      throw new CliError(`Cannot read the outputs file ${options.outputsFile}: ${(error as Error).message}`);
    }
    return parseStackOutputs(parseJson(text, options.outputsFile), options.outputsFile);
  }
  const args = ["stack", "output", "--json", ...(options.stack ? ["--stack", options.stack] : [])];
  const stdout = await (options.runPulumi ?? runPulumiCli)(args);
  return parseStackOutputs(parseJson(stdout, `pulumi ${args.join(" ")}`), `pulumi ${args.join(" ")}`);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * AWS: the standard credential chain; the region is the one the state machines live in (from their ARNs),
 * so a profile set to another region cannot point the CLI at the wrong place.
 */
export async function openAwsTarget(options: AwsTargetOptions = {}): Promise<Target> {
  const outputs = await readAwsStackOutputs(options);
  const region = regionOfArn(outputs.stateMachineArns["run-job"]);
  const config = region ? { region } : {};
  const sfn = new SFNClient(config);
  const glue = new GlueClient(config);
  const s3 = new S3Client(config);
  return {
    kind: "aws",
    description: `AWS stack${options.stack ? ` ${options.stack}` : ""}${region ? ` (${region})` : ""}`,
    sfn,
    glue,
    s3,
    outputs,
    labOutputs: outputs,
    pollIntervalMs: 2000,
    async close() {
      sfn.destroy();
      glue.destroy();
      s3.destroy();
    },
  };
}
