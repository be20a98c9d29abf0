/**
 * The shape of one integration module: everything the project knows about one integration (a service's
 * optimized action, one service's AWS SDK actions, or a Lambda function ARN), as data. The analysis, the
 * role derivation, the sandbox and the generated docs read it; nothing else describes an integration.
 */
import type { IntegrationPattern } from "../policy/analysis/types";
import type { Performer } from "./performer";

export type IntegrationKind = "optimized" | "sdk" | "lambda-function";

/**
 * An ARN, or an IAM action, with placeholders: `${Partition}`, `${Region}`, `${Account}`, `${Resource}` (the
 * Task's Resource as written), `${Action}` (the API name of the Task's action, e.g. StartJobRun), and
 * `${Name}` for the request member Name of the Task's Parameters (`${Name.last}`: its last `:`-separated
 * part, e.g. a state machine's name from its ARN).
 */
export type Template = string;

/** One statement the state machine's role needs, before its placeholders are filled in. */
export interface IamStatementTemplate {
  readonly actions: readonly Template[];
  readonly resources: readonly Template[];
}

/** The asynchronous work an action starts, for the rules that check a workflow waits for it. */
export interface AsyncJob {
  /** What the work is, for messages ("Glue job run"). */
  readonly label: string;
  /** SDK calls (`service:action` as in `aws-sdk:<service>:<action>`) that start the same work. */
  readonly sdk: readonly string[];
}

/** What one action of an integration supports, needs and does. */
export interface ActionSupport {
  /** Patterns in a STANDARD workflow. EXPRESS allows request-response only (see WORKFLOW_PATTERNS). */
  readonly patterns: readonly IntegrationPattern[];
  /** Statements the role needs, per pattern; a pattern without an entry cannot be derived (the user grants it). */
  readonly iam?: Partial<Record<IntegrationPattern, readonly IamStatementTemplate[]>>;
  /**
   * Request members that may be given as a name or an ARN, with the ARN template a name is put into
   * (Lambda's FunctionName): `${Member}` in the statements then stands for the ARN.
   */
  readonly nameOrArn?: Readonly<Record<string, Template>>;
  /** The request member that can carry a task token to the work (StartJobRun's Arguments). */
  readonly tokenCarrier?: string;
  /** How to put the token there, for messages; default `inside <tokenCarrier>`. */
  readonly tokenCarrierHint?: string;
  /** Asynchronous work the action starts (optimized form). */
  readonly job?: AsyncJob;
  /** The call that reads the status of the work the action starts (e.g. getJobRun), for messages. */
  readonly statusRead?: string;
  /** A start* call that starts no work (it switches a schedule on): nothing to wait for. */
  readonly startsNoWork?: boolean;
  /** How the sandbox performs the action, for every pattern above; absent: the sandbox refuses it. */
  readonly perform?: Performer;
}

/** Key of `actions` that stands for every action of the service not listed. */
export const OTHER_ACTIONS = "*";

export interface IntegrationModule {
  /** What the docs and messages call it, e.g. `glue:startJobRun`, `aws-sdk:glue`. */
  readonly name: string;
  readonly kind: IntegrationKind;
  /** The service as the Resource names it (`arn:aws:states:::<service>:<action>`); "lambda" for function ARNs. */
  readonly service: string;
  /** Actions as the Resource spells them (startJobRun); OTHER_ACTIONS for the rest of the service's actions. */
  readonly actions: Readonly<Record<string, ActionSupport>>;
  /** The AWS documentation page for the integration. */
  readonly docs: string;
}
