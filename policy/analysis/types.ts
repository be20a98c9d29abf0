/** Types shared by the ASL analysis: rules, findings and the classified Tasks of a definition. */

/** The rule ids. Fixed: tests, pack config and the lint CLI refer to them. */
export const RULE_IDS = [
  "glue-task-must-wait",
  "integration-pattern-supported",
  "callback-must-pass-token",
  "waiting-task-has-timeout",
  "definition-is-valid",
  "async-job-should-wait",
  "polling-loop-reads-the-run",
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** How a finding is enforced. `disabled` drops the rule's findings. */
export type Level = "mandatory" | "advisory" | "disabled";

export type WorkflowType = "STANDARD" | "EXPRESS";
export type QueryLanguage = "JSONPath" | "JSONata";

export type Partition = "aws" | "aws-cn" | "aws-us-gov";

/**
 * What a Task's Resource names: an optimized integration (`arn:aws:states:::glue:startJobRun`), an AWS SDK
 * integration (`arn:aws:states:::aws-sdk:glue:startCrawler`), a Lambda function ARN, an activity ARN, or
 * something else.
 */
export type ResourceKind = "optimized" | "sdk" | "lambda-function" | "activity" | "unknown";

/** Service integration pattern, from the Resource's suffix (none, `.sync`, `.sync:2`, `.waitForTaskToken`). */
export type IntegrationPattern = "request-response" | "sync" | "sync:2" | "waitForTaskToken";

export interface ParsedResource {
  /** The Resource as written. */
  raw: string;
  /** From the ARN; absent when the Resource is not an ARN of a known partition. */
  partition?: Partition;
  /** The placeholder written where the partition is (`${AWS::Partition}`), taken to be a partition. */
  partitionPlaceholder?: string;
  /** Template placeholders anywhere in the Resource, when there are any: verdicts on it depend on them. */
  placeholders?: string[];
  kind: ResourceKind;
  /** Integration service (`glue`, `lambda`, `states`...); for an activity `states`, for a function `lambda`. */
  service?: string;
  /** API action as written in the ARN (`startJobRun`); for a Lambda function ARN `invoke`. */
  action?: string;
  pattern: IntegrationPattern;
  /** Lambda function ARN only: the function name and its version or alias, if any. */
  functionName?: string;
  qualifier?: string;
  /** Activity ARN only. */
  activityName?: string;
}

/** One finding of one rule on one state (or on the whole definition, with `state` ""). */
export interface Finding {
  rule: RuleId;
  level: Exclude<Level, "disabled">;
  /** State path, e.g. `Fan out > Branch 2 > StartEtl`; "" for the definition as a whole. */
  state: string;
  /** JSON pointer (RFC 6901) of what the finding is about, e.g. `/States/Fan out/Branches/1/States/StartEtl`. */
  pointer: string;
  /** What is wrong and the exact fix. */
  message: string;
  /** For a definition that does not parse: where, 1-based. */
  position?: { line: number; column: number };
}

/** A Task state as the analysis classified it; enough to derive IAM permissions from. */
export interface TaskInfo {
  /** State path, e.g. `Fan out > Branch 2 > StartEtl`. */
  path: string;
  /** State name. */
  name: string;
  /** JSON pointer of the state. */
  pointer: string;
  resource: ParsedResource;
  queryLanguage: QueryLanguage;
  /** `Parameters` (JSONPath) or `Arguments` (JSONata), as written. */
  parameters?: unknown;
  /** Literal values only; absent when unset or computed (TimeoutSecondsPath, JSONata). */
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}
