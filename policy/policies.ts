/**
 * The pack's policies, as plain objects (tests and the offline check call them directly).
 *
 * Mapping of rules onto Pulumi policies: a Pulumi policy has one enforcement level, so there is one
 * ResourceValidationPolicy per rule id, named by the rule id; `pulumi ... --policy-pack-config` sets each
 * rule's level the Pulumi way (`{"glue-task-must-wait": "advisory"}`). Two advisory companions complete it:
 * - `exempted-findings` holds the exemptions in its config and reports every exempted finding, with its
 *   reason, as advisory. The rule policies skip those findings. Pulumi runs a pack's policies in order for
 *   each resource, and this one is first, so the rule policies see the exemptions it read (a rule policy
 *   cannot read another policy's config). Disabling it disables the exemptions: every finding is then
 *   enforced at its rule's level.
 * - `definition-not-yet-known` reports, as advisory, a definition that is unknown at preview (it depends on
 *   resources not created yet): it is not checked until the value is known. Never a crash.
 */
import { PolicyConfigSchema, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, UnknownValueError } from "@pulumi/policy";
import { analyzeDefinition, Analysis, Finding, RULE_IDS, RuleId, RULES, WorkflowType } from "./analysis";

export const STATE_MACHINE_TYPES = {
  aws: "aws:sfn/stateMachine:StateMachine",
  awsNative: "aws-native:stepfunctions:StateMachine",
} as const;

export const EXEMPTED_FINDINGS_POLICY = "exempted-findings";
export const DEFINITION_NOT_KNOWN_POLICY = "definition-not-yet-known";

/** A finding accepted on purpose: the resource (Pulumi name or URN), optionally one rule, and why. */
export interface Exemption {
  resource: string;
  /** Omitted: every rule. */
  rule?: RuleId;
  reason: string;
}

/** Policy config that does not match the schema; says which entry and what is wrong. */
export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigError";
  }
}

export const EXEMPTIONS_CONFIG_SCHEMA: PolicyConfigSchema = {
  properties: {
    exemptions: {
      type: "array",
      description: "Findings accepted on purpose. Each is still reported, as advisory, with its reason.",
      items: {
        type: "object",
        properties: {
          resource: { type: "string", minLength: 1, description: "Pulumi name (or URN) of the state machine resource." },
          rule: { type: "string", enum: [...RULE_IDS], description: "Rule id; omitted: every rule." },
          reason: { type: "string", minLength: 1, description: "Why the finding is accepted. Required." },
        },
        required: ["resource", "reason"],
        additionalProperties: false,
      },
      default: [],
    },
  },
};

/** Reads and checks the `exemptions` config (the Pulumi CLI checks the schema too; offline use does not). */
export function parseExemptions(config: unknown): Exemption[] {
  const list = (config as { exemptions?: unknown } | undefined)?.exemptions;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new PolicyConfigError(`${EXEMPTED_FINDINGS_POLICY}.exemptions must be a list of {resource, rule?, reason}.`);
  return list.map((entry: unknown, i) => {
    const where = `${EXEMPTED_FINDINGS_POLICY}.exemptions[${i}]`;
    if (typeof entry !== "object" || entry === null) throw new PolicyConfigError(`${where} must be an object {resource, rule?, reason}.`);
    const { resource, rule, reason, ...rest } = entry as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length > 0) throw new PolicyConfigError(`${where} has unknown field(s) ${extra.join(", ")}; allowed: resource, rule, reason.`);
    if (typeof resource !== "string" || resource.trim() === "") throw new PolicyConfigError(`${where}.resource must name the resource (its Pulumi name).`);
    if (typeof reason !== "string" || reason.trim() === "") throw new PolicyConfigError(`${where} (${resource}) has no reason: an exemption must say why.`);
    if (rule !== undefined && !(RULE_IDS as readonly unknown[]).includes(rule)) {
      throw new PolicyConfigError(`${where}.rule is "${String(rule)}", not a rule id (${RULE_IDS.join(", ")}).`);
    }
    return { resource, reason, ...(rule !== undefined ? { rule: rule as RuleId } : {}) };
  });
}

/** What a resource's props say about its definition. */
export type StateMachineDefinition =
  | { status: "known"; definition: string | object; workflowType: WorkflowType }
  | { status: "unknown"; detail: string }
  | { status: "not-checkable"; detail: string };

/** Copies a value out of Pulumi's unknown-checking proxy; reading an unknown throws UnknownValueError. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => plain(value[i]));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = plain((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

function substitute(value: unknown, substitutions: Record<string, unknown>): unknown {
  if (typeof value === "string") {
    return value.replace(/\$\{([^}]+)\}/g, (whole, key: string) => {
      const v = substitutions[key];
      return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : whole;
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, substitutions));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, substitutions)]));
  }
  return value;
}

function workflowTypeOf(value: unknown): WorkflowType {
  return value === "EXPRESS" ? "EXPRESS" : "STANDARD";
}

/**
 * The definition and workflow type of an `aws:sfn/stateMachine:StateMachine` (definition: JSON string,
 * type) or an `aws-native:stepfunctions:StateMachine` (definition object or definitionString, with
 * definitionSubstitutions, stateMachineType). Unknown values (preview) come back as `unknown`.
 */
export function readStateMachineDefinition(type: string, props: Record<string, unknown>): StateMachineDefinition {
  try {
    if (type === STATE_MACHINE_TYPES.aws) {
      const definition = plain(props.definition);
      const workflowType = workflowTypeOf(plain(props.type));
      if (typeof definition !== "string") return { status: "unknown", detail: "definition has no value yet" };
      return { status: "known", definition, workflowType };
    }
    const workflowType = workflowTypeOf(plain(props.stateMachineType));
    const substitutions = (plain(props.definitionSubstitutions) ?? {}) as Record<string, unknown>;
    const definition = plain(props.definition);
    if (typeof definition === "object" && definition !== null) {
      return { status: "known", definition: substitute(definition, substitutions) as object, workflowType };
    }
    const definitionString = plain(props.definitionString);
    if (typeof definitionString === "string") {
      return { status: "known", definition: substitute(definitionString, substitutions) as string, workflowType };
    }
    if (plain(props.definitionS3Location) !== undefined) {
      return { status: "not-checkable", detail: "the definition is read from S3 (definitionS3Location), which a policy cannot see" };
    }
    return { status: "unknown", detail: "neither definition nor definitionString has a value yet" };
  } catch (err) {
    // @pulumi/policy's declarations leave UnknownValueError untyped; it is an Error.
    if (err instanceof Error && err instanceof UnknownValueError) return { status: "unknown", detail: err.message };
    throw err;
  }
}

function isStateMachine(type: string): boolean {
  return type === STATE_MACHINE_TYPES.aws || type === STATE_MACHINE_TYPES.awsNative;
}

function matches(exemption: Exemption, args: ResourceValidationArgs, finding: Finding): boolean {
  return (exemption.resource === args.name || exemption.resource === args.urn) && (!exemption.rule || exemption.rule === finding.rule);
}

function describeFinding(finding: Finding): string {
  return `[${finding.rule}] ${finding.state ? `state "${finding.state}"` : "definition"}: ${finding.message}`;
}

/** Options for a fresh set of policies (each set shares its own analysis cache and exemptions). */
export interface PolicySetOptions {
  /** Definitions whose analysis is kept, so the pack's policies analyse each definition once. Default 64. */
  cacheSize?: number;
}

/** Builds the pack's policies: the companions first (see the module comment), then one per rule. */
export function createPolicies(options: PolicySetOptions = {}): ResourceValidationPolicy[] {
  const cacheSize = options.cacheSize ?? 64;
  const analyses = new Map<string, Analysis>();
  /** Set by exempted-findings, which runs first for each resource; undefined until then. */
  let exemptions: Exemption[] | undefined;

  const analyze = (read: Extract<StateMachineDefinition, { status: "known" }>): Analysis => {
    const key = `${read.workflowType}\u0000${typeof read.definition === "string" ? read.definition : JSON.stringify(read.definition)}`;
    const cached = analyses.get(key);
    if (cached) return cached;
    const analysis = analyzeDefinition(read.definition, { workflowType: read.workflowType });
    if (analyses.size >= cacheSize) analyses.delete(analyses.keys().next().value as string);
    analyses.set(key, analysis);
    return analysis;
  };

  const knownDefinition = (args: ResourceValidationArgs) => {
    if (!isStateMachine(args.type)) return undefined;
    const read = readStateMachineDefinition(args.type, args.props);
    return read.status === "known" ? read : undefined;
  };

  const exemptedFindings: ResourceValidationPolicy = {
    name: EXEMPTED_FINDINGS_POLICY,
    description: "Findings exempted in this policy's config, reported with the reason they are accepted.",
    enforcementLevel: "advisory",
    configSchema: EXEMPTIONS_CONFIG_SCHEMA,
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      exemptions = parseExemptions(args.getConfig());
      const read = knownDefinition(args);
      if (!read) return;
      for (const finding of analyze(read).findings) {
        const exemption = exemptions.find((e) => matches(e, args, finding));
        if (exemption) reportViolation(`Exempted (${exemption.reason}): ${describeFinding(finding)}`);
      }
    },
  };

  const definitionNotYetKnown: ResourceValidationPolicy = {
    name: DEFINITION_NOT_KNOWN_POLICY,
    description: "A state machine whose definition is not known yet is not checked until it is.",
    enforcementLevel: "advisory",
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (!isStateMachine(args.type)) return;
      const read = readStateMachineDefinition(args.type, args.props);
      if (read.status === "unknown") {
        reportViolation(`The definition is not checked until the value is known (${read.detail}). It is checked when the value is known, on update.`);
      } else if (read.status === "not-checkable") {
        reportViolation(`The definition is not checked: ${read.detail}. Lint the file with \`sfn-lab lint\` instead.`);
      }
    },
  };

  const rulePolicy = (rule: RuleId): ResourceValidationPolicy => ({
    name: rule,
    description: RULES[rule].summary,
    enforcementLevel: RULES[rule].defaultLevel,
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      const read = knownDefinition(args);
      if (!read) return;
      for (const finding of analyze(read).findings) {
        if (finding.rule !== rule) continue;
        if ((exemptions ?? []).some((e) => matches(e, args, finding))) continue;
        reportViolation(describeFinding(finding));
      }
    },
  });

  return [exemptedFindings, definitionNotYetKnown, ...RULE_IDS.map(rulePolicy)];
}

/** The pack's policies. */
export const policies: ResourceValidationPolicy[] = createPolicies();
