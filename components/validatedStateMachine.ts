import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { analyzeDefinition, Finding, RuleId, TaskInfo } from "../policy/analysis";
import { AslDefinition } from "./asl";
import { DefinitionSkeleton, inputForPlaceholder, resolveSkeleton, toSkeleton } from "./definitionInputs";
import { ArnContext, assumeRolePolicy, policyDocument, PolicyStatement } from "./iam";
import { DerivedPermissions, derivePermissions } from "./taskPermissions";
import { STATE_MACHINE_DEFAULTS } from "./defaults";
import { checkLogRetention, SettingError } from "./etlSettings";

/** A finding the owner accepts on purpose; it is still reported, as a warning with the reason. */
export interface DefinitionExemption {
  /** The rule id, e.g. `glue-task-must-wait`. */
  readonly rule: RuleId;
  /** Why the finding is accepted. Required: an exemption without a reason is refused. */
  readonly reason: string;
  /** Limit the exemption to one state path; by default it covers the rule everywhere in this machine. */
  readonly state?: string;
}

export interface ValidatedStateMachineArgs {
  /**
   * The ASL definition: an object whose leaves may be Pulumi inputs (e.g. a pattern builder's output), or
   * JSON text. Objects are analysed when the component is constructed, even while ARNs are still unknown.
   */
  readonly definition: AslDefinition | pulumi.Input<string>;
  /** Workflow type. Default STANDARD (EXPRESS supports only request-response integrations). */
  readonly type?: "STANDARD" | "EXPRESS";
  /** Findings accepted on purpose, each with a reason. */
  readonly exemptions?: readonly DefinitionExemption[];
  /**
   * Statements for integrations the role cannot be derived for (e.g. SNS, SQS, DynamoDB tasks); added to the
   * derived ones. Without them, a Task the component has no permission table for is refused.
   */
  readonly additionalStatements?: readonly PolicyStatement[];
  /** Retention of the execution log group, in days. Default 30. */
  readonly logRetentionInDays?: number;
  /** Logging level. Default ALL, with execution data: the lab is read through its logs. */
  readonly logLevel?: "ALL" | "ERROR" | "FATAL" | "OFF";
  /** X-Ray tracing. Default true. */
  readonly tracingEnabled?: boolean;
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Thrown at construction when a definition is invalid or breaks a mandatory rule without an exemption. */
export class StateMachineDefinitionError extends Error {
  constructor(machine: string, findings: readonly Finding[]) {
    const lines = findings.map((f) => `  - [${f.rule}] at "${f.state || "(definition)"}": ${f.message}`);
    super(
      `ValidatedStateMachine "${machine}": the definition is refused:\n${lines.join("\n")}\n` +
        `Fix the definition, or accept a finding on purpose with exemptions: [{ rule, reason }].`,
    );
    this.name = "StateMachineDefinitionError";
  }
}

/** The integration each Task uses, as the analysis classified it. */
export interface TaskIntegration {
  readonly state: string;
  readonly resource: string;
  readonly pattern: string;
}

interface CheckedDefinition {
  readonly tasks: readonly TaskInfo[];
  readonly warnings: readonly string[];
}

/** Applies the rules and the exemptions; throws on what is left that is mandatory. */
export function checkDefinition(
  machine: string,
  definition: unknown,
  type: "STANDARD" | "EXPRESS",
  exemptions: readonly DefinitionExemption[],
): CheckedDefinition {
  for (const e of exemptions) {
    if (!e.reason || !e.reason.trim()) {
      throw new Error(`ValidatedStateMachine "${machine}": the exemption for rule "${e.rule}" has no reason; give one.`);
    }
  }
  const result = analyzeDefinition(definition as object, { workflowType: type });
  const refused: Finding[] = [];
  const warnings: string[] = [];
  for (const finding of result.findings) {
    const exemption = exemptions.find((e) => e.rule === finding.rule && (!e.state || e.state === finding.state));
    if (exemption) {
      warnings.push(`[${finding.rule}] at "${finding.state}" is exempted (${exemption.reason}): ${finding.message}`);
    } else if (finding.level === "mandatory") {
      refused.push(finding);
    } else {
      warnings.push(`[${finding.rule}] at "${finding.state}" (advisory): ${finding.message}`);
    }
  }
  if (refused.length > 0) throw new StateMachineDefinitionError(machine, refused);
  return { tasks: result.tasks, warnings };
}

/**
 * A Step Functions state machine whose definition is checked by the policy rules when it is constructed,
 * with a role derived from its Tasks (least privilege, scoped to the ARNs the definition names), logging
 * of every event with execution data, and X-Ray tracing.
 */
export class ValidatedStateMachine extends pulumi.ComponentResource {
  public readonly stateMachine: aws.sfn.StateMachine;
  public readonly arn: pulumi.Output<string>;
  public readonly name: pulumi.Output<string>;
  public readonly role: aws.iam.Role;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  /** The definition as deployed (JSON text). */
  public readonly definitionJson: pulumi.Output<string>;
  /** Each Task's Resource and integration pattern. */
  public readonly integrations: pulumi.Output<TaskIntegration[]>;

  constructor(name: string, args: ValidatedStateMachineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sfn-integration-patterns:index:ValidatedStateMachine", name, {}, opts);
    const type = args.type ?? STATE_MACHINE_DEFAULTS.type;
    const exemptions = args.exemptions ?? [];
    const logRetentionInDays = args.logRetentionInDays ?? STATE_MACHINE_DEFAULTS.logRetentionInDays;
    try {
      checkLogRetention("logRetentionInDays", logRetentionInDays);
    } catch (err) {
      if (err instanceof SettingError) throw new SettingError(err.field, `ValidatedStateMachine "${name}": ${err.field}: ${err.message}`);
      throw err;
    }
    const additional = args.additionalStatements ?? [];
    // Tasks with no permission table are the user's to grant; with nothing granted, the machine is refused.
    const granted = (derived: DerivedPermissions): PolicyStatement[] => {
      if (derived.unsupported.length > 0 && additional.length === 0) throw derived.unsupported[0];
      return derived.statements;
    };

    const arnContext = currentArnContext(this);
    let definitionJson: pulumi.Output<string>;
    let statements: pulumi.Output<PolicyStatement[]>;
    let integrations: pulumi.Output<TaskIntegration[]>;

    const check = (definition: unknown): CheckedDefinition => {
      const checked = checkDefinition(name, definition, type, exemptions);
      for (const warning of checked.warnings) pulumi.log.warn(warning, this);
      return checked;
    };

    if (typeof args.definition === "object" && !pulumi.Output.isInstance(args.definition) && !isPromise(args.definition)) {
      // An object: analysed now, synchronously, with placeholders for the inputs it holds.
      const skeleton: DefinitionSkeleton = toSkeleton(args.definition);
      const checked = check(skeleton.skeleton);
      definitionJson = resolveSkeleton(skeleton);
      statements = pulumi.output(
        granted(derivePermissions(checked.tasks, arnContext, (value) => inputForPlaceholder(value, skeleton) as pulumi.Input<string> | undefined)),
      );
      integrations = pulumi.output(describeIntegrations(checked.tasks));
    } else {
      // JSON text: analysed when its value is known (at preview, only if it does not depend on new resources).
      const checked = pulumi.output(args.definition as pulumi.Input<string>).apply((text) => ({ text, checked: check(text) }));
      definitionJson = checked.apply((c) => c.text);
      statements = checked.apply((c) => granted(derivePermissions(c.checked.tasks, arnContext, () => undefined)));
      integrations = checked.apply((c) => describeIntegrations(c.checked.tasks));
    }

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { namePrefix: `/aws/vendedlogs/states/${name}-`, retentionInDays: logRetentionInDays, tags: args.tags },
      { parent: this },
    );

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Step Functions role of ${name}: only what its Tasks call`,
        assumeRolePolicy: assumeRolePolicy("states.amazonaws.com", arnContext.accountId),
        tags: args.tags,
      },
      { parent: this },
    );

    const allStatements = statements.apply((derived) => [
      ...derived,
      ...additional,
      ...observabilityStatements(),
    ]);
    const taskPolicy = new aws.iam.RolePolicy(
      `${name}-tasks`,
      { role: this.role.name, policy: allStatements.apply((s) => policyDocument(s)) },
      { parent: this },
    );

    this.stateMachine = new aws.sfn.StateMachine(
      name,
      {
        roleArn: this.role.arn,
        definition: definitionJson,
        type,
        loggingConfiguration: {
          logDestination: pulumi.interpolate`${this.logGroup.arn}:*`,
          level: args.logLevel ?? STATE_MACHINE_DEFAULTS.logLevel,
          includeExecutionData: true,
        },
        tracingConfiguration: { enabled: args.tracingEnabled ?? STATE_MACHINE_DEFAULTS.tracingEnabled },
        tags: args.tags,
      },
      // The role must carry its permissions before the machine is created: AWS checks logging access then.
      { parent: this, dependsOn: [taskPolicy] },
    );

    this.arn = this.stateMachine.arn;
    this.name = this.stateMachine.name;
    this.definitionJson = definitionJson;
    this.integrations = integrations;
    this.registerOutputs({ arn: this.arn, name: this.name, roleArn: this.role.arn, integrations });
  }
}

function isPromise(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

function describeIntegrations(tasks: readonly TaskInfo[]): TaskIntegration[] {
  return tasks.map((t) => ({ state: t.path, resource: t.resource.raw, pattern: t.resource.pattern }));
}

/**
 * Log delivery and X-Ray: AWS defines these actions on no narrower resource than "*"
 * (CloudWatch Logs vended delivery and X-Ray segments have no resource-level permissions).
 */
/** What Step Functions needs to deliver execution logs to CloudWatch Logs (vended log delivery). */
export const LOG_DELIVERY_ACTIONS: readonly string[] = [
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
];

/** What Step Functions needs to send X-Ray traces. */
export const XRAY_ACTIONS: readonly string[] = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"];

function observabilityStatements(): PolicyStatement[] {
  return [
    { Sid: "LogDeliveryHasNoResourceLevelPermissions", Effect: "Allow", Action: LOG_DELIVERY_ACTIONS, Resource: ["*"] },
    { Sid: "XRayHasNoResourceLevelPermissions", Effect: "Allow", Action: XRAY_ACTIONS, Resource: ["*"] },
  ];
}

/** Partition, region and account of the provider this component deploys with. */
export function currentArnContext(parent: pulumi.Resource): ArnContext {
  const invokeOpts = { parent };
  return {
    partition: aws.getPartitionOutput({}, invokeOpts).partition,
    region: aws.getRegionOutput({}, invokeOpts).region,
    accountId: aws.getCallerIdentityOutput({}, invokeOpts).accountId,
  };
}
