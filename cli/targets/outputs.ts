import { PATTERN_NAMES, type PatternName } from "../../components/patternNames";
import { CliError } from "../errors";

/** The program's stack outputs the CLI needs, as `pulumi stack output --json` prints them. */
export interface StackOutputs {
  readonly stateMachineArns: Readonly<Record<PatternName, string>>;
  readonly jobName: string;
  readonly bucketName: string;
  readonly dataKey: string;
  readonly outputPrefix: string;
  readonly functionNames: { readonly checkFile: string; readonly validateOutput: string };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks the outputs' shape; `source` names where they came from, so an error says what to fix and where. */
export function parseStackOutputs(json: unknown, source: string): StackOutputs {
  if (!isRecord(json)) throw new CliError(`Stack outputs from ${source} are not a JSON object`);
  const text = (value: unknown, key: string): string => {
    if (typeof value !== "string" || value === "") {
      throw new CliError(`Stack outputs from ${source}: "${key}" must be a non-empty string, got ${JSON.stringify(value) ?? "nothing"}`);
    }
    return value;
  };
  const arns = json.stateMachineArns;
  if (!isRecord(arns)) {
    throw new CliError(`Stack outputs from ${source} have no "stateMachineArns" object (is this the sfn-lab program's stack?)`);
  }
  const stateMachineArns = Object.fromEntries(
    PATTERN_NAMES.map((pattern) => [pattern, text(arns[pattern], `stateMachineArns.${pattern}`)]),
  ) as Record<PatternName, string>;
  const functions = isRecord(json.functionNames) ? json.functionNames : {};
  return {
    stateMachineArns,
    jobName: text(json.jobName, "jobName"),
    bucketName: text(json.bucketName, "bucketName"),
    dataKey: text(json.dataKey, "dataKey"),
    outputPrefix: text(json.outputPrefix, "outputPrefix"),
    functionNames: {
      checkFile: text(functions.checkFile, "functionNames.checkFile"),
      validateOutput: text(functions.validateOutput, "functionNames.validateOutput"),
    },
  };
}

/** The region of an ARN ("arn:aws:states:us-east-1:..." -> "us-east-1"). */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.split(":")[3];
  return region ? region : undefined;
}
