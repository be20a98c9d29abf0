import * as pulumi from "@pulumi/pulumi";

/**
 * Amazon States Language, typed just enough for the pattern builders. Leaves may be `pulumi.Input<string>`
 * (a function ARN, a job name) so a definition can be written before the resources it names exist;
 * `ValidatedStateMachine` resolves them.
 */
export type AslValue =
  | string
  | number
  | boolean
  | null
  | pulumi.Input<string>
  | AslValue[]
  | { readonly [key: string]: AslValue };

export interface AslRetrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: "FULL" | "NONE";
}

export interface AslCatcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
  /** JSONata states: the catcher's output (default `$states.errorOutput`). */
  readonly Output?: AslValue;
  readonly Assign?: { readonly [name: string]: AslValue };
}

interface AslStateBase {
  readonly Comment?: string;
  readonly Next?: string;
  readonly End?: boolean;
}

export interface AslTaskState extends AslStateBase {
  readonly Type: "Task";
  readonly Resource: string;
  readonly QueryLanguage?: "JSONPath" | "JSONata";
  readonly Parameters?: { readonly [key: string]: AslValue };
  /** JSONata states: what the Task sends (replaces InputPath and Parameters). */
  readonly Arguments?: { readonly [key: string]: AslValue };
  /** JSONata states: the state's output (replaces ResultSelector, ResultPath and OutputPath). */
  readonly Output?: AslValue;
  readonly Assign?: { readonly [name: string]: AslValue };
  readonly ResultSelector?: { readonly [key: string]: AslValue };
  readonly ResultPath?: string | null;
  readonly TimeoutSeconds?: number;
  readonly HeartbeatSeconds?: number;
  readonly Retry?: readonly AslRetrier[];
  readonly Catch?: readonly AslCatcher[];
}

export interface AslFailState {
  readonly Type: "Fail";
  readonly Comment?: string;
  readonly Error?: string;
  readonly Cause?: string;
  readonly ErrorPath?: string;
  readonly CausePath?: string;
}

export interface AslSucceedState {
  readonly Type: "Succeed";
  readonly Comment?: string;
}

export interface AslPassState extends AslStateBase {
  readonly Type: "Pass";
  readonly Result?: AslValue;
  readonly ResultPath?: string | null;
  readonly Parameters?: { readonly [key: string]: AslValue };
}

/** Other state types (Choice, Wait, Parallel, Map) are accepted as plain objects. */
export interface AslOtherState {
  readonly Type: "Choice" | "Wait" | "Parallel" | "Map";
  readonly [key: string]: AslValue | undefined;
}

export type AslState = AslTaskState | AslFailState | AslSucceedState | AslPassState | AslOtherState;

export interface AslDefinition {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly TimeoutSeconds?: number;
  readonly QueryLanguage?: "JSONPath" | "JSONata";
  readonly States: { readonly [name: string]: AslState };
}
