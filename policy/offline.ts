/**
 * Offline enforcement: evaluates resources (e.g. the program's model under Pulumi mocks) with the pack's
 * own policy objects and a policy config file, without the Pulumi CLI. Each policy is called as the
 * Pulumi policy server calls it (@pulumi/policy 1.21, server.ts `makeAnalyzeRpcFun`): policies in pack
 * order, the level from config or the policy's default, props behind Pulumi's unknown-checking proxy,
 * the same argument bag, unknown values reported as advisory, `notApplicable` honoured.
 */
import * as fs from "fs";
import {
  EnforcementLevel,
  PolicyPackConfig,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  unknownCheckingProxy,
  UnknownValueError,
} from "@pulumi/policy";
import { parseExemptions, policies as packPolicies, PolicyConfigError, EXEMPTED_FINDINGS_POLICY, STATE_MACHINE_TYPES } from "./policies";

export const POLICY_PACK_NAME = "sfn-integration-patterns";

/** A resource as a Pulumi program registers it: type token, logical name, inputs. */
export interface ResourceToEvaluate {
  type: string;
  name: string;
  urn?: string;
  props: Record<string, unknown>;
  /** Options as Pulumi passes them to policies; defaults when omitted. */
  opts?: Partial<PolicyResourceOptions>;
}

export interface PolicyDiagnostic {
  policyName: string;
  enforcementLevel: "advisory" | "mandatory";
  /** The policy's description, then the violation's message (as Pulumi shows it). */
  message: string;
}

export interface ResourceEvaluation {
  type: string;
  name: string;
  urn: string;
  diagnostics: PolicyDiagnostic[];
  notApplicable: { policyName: string; reason?: string }[];
}

export interface EvaluationReport {
  resources: ResourceEvaluation[];
  mandatory: number;
  advisory: number;
}

class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicableError(reason);
}

/** Checks a policy config against the pack: known policy names, valid levels, valid exemptions. */
export function validatePolicyConfig(config: PolicyPackConfig, policies: readonly ResourceValidationPolicy[] = packPolicies): void {
  const names = policies.map((p) => p.name);
  const levels: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];
  for (const [name, entry] of Object.entries(config)) {
    if (!names.includes(name)) throw new PolicyConfigError(`Policy config names "${name}", which is not a policy of the pack (${names.join(", ")}).`);
    const level = typeof entry === "string" ? entry : entry.enforcementLevel;
    if (level !== undefined && !levels.includes(level)) {
      throw new PolicyConfigError(`Policy config "${name}": enforcementLevel "${String(level)}" is not one of ${levels.join(", ")}.`);
    }
    if (name === EXEMPTED_FINDINGS_POLICY && typeof entry === "object") parseExemptions(entry);
  }
}

/** Reads a policy config file (Pulumi's format: `{"<policy>": {"enforcementLevel": ..., ...config}}`). */
export function loadPolicyConfig(file: string): PolicyPackConfig {
  let config: unknown;
  try {
    config = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new PolicyConfigError(`Cannot read policy config ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new PolicyConfigError(`Policy config ${file} must be a JSON object keyed by policy name.`);
  }
  validatePolicyConfig(config as PolicyPackConfig);
  return config as PolicyPackConfig;
}

function levelOf(policy: ResourceValidationPolicy, config: PolicyPackConfig): EnforcementLevel {
  const entry = config[policy.name];
  const configured = typeof entry === "string" ? entry : entry?.enforcementLevel;
  return configured ?? policy.enforcementLevel ?? "advisory";
}

function configOf(policy: ResourceValidationPolicy, config: PolicyPackConfig): Record<string, unknown> {
  const entry = config[policy.name];
  if (!entry || typeof entry === "string") return {};
  const { enforcementLevel, ...properties } = entry;
  void enforcementLevel;
  return properties;
}

function defaultUrn(resource: ResourceToEvaluate): string {
  return `urn:pulumi:offline::sfn-integration-patterns::${resource.type}::${resource.name}`;
}

function resourceOptions(opts: Partial<PolicyResourceOptions> = {}): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...opts,
  };
}

/** Pulumi resource classes carry their type token as `__pulumiType`. */
function pulumiTypeOf(resourceClass: unknown): string | undefined {
  const type = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
  return typeof type === "string" ? type : undefined;
}

async function evaluateResource(
  resource: ResourceToEvaluate,
  config: PolicyPackConfig,
  policies: readonly ResourceValidationPolicy[],
): Promise<ResourceEvaluation> {
  const urn = resource.urn ?? defaultUrn(resource);
  const result: ResourceEvaluation = { type: resource.type, name: resource.name, urn, diagnostics: [], notApplicable: [] };
  for (const policy of policies) {
    let level = levelOf(policy, config);
    if (level === "disabled" || !policy.validateResource) continue;
    if (level === "remediate") level = "mandatory";
    const enforcementLevel = level;
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    for (const validate of validations) {
      // A fresh proxy per call, as Pulumi deserializes the props again for each validation.
      const props = unknownCheckingProxy(structuredClone(resource.props)) as Record<string, unknown>;
      const args: ResourceValidationArgs = {
        type: resource.type,
        props,
        urn,
        name: resource.name,
        opts: resourceOptions(resource.opts),
        stackTags: new Map<string, string>(),
        isType: (resourceClass) => pulumiTypeOf(resourceClass) === resource.type,
        // Same as Pulumi: the props, typed as the class's args, when the type matches.
        asType: ((resourceClass: unknown) => (pulumiTypeOf(resourceClass) === resource.type ? props : undefined)) as ResourceValidationArgs["asType"],
        getConfig: <T extends object>() => configOf(policy, config) as T,
        notApplicable: throwNotApplicable,
      };
      const reportViolation = (message: string): void => {
        result.diagnostics.push({ policyName: policy.name, enforcementLevel, message: message ? `${policy.description}\n${message}` : policy.description });
      };
      try {
        await Promise.resolve(validate(args, reportViolation));
      } catch (err) {
        if (err instanceof Error && err instanceof UnknownValueError) {
          result.diagnostics.push({
            policyName: policy.name,
            enforcementLevel: "advisory",
            message: `can't run policy '${policy.name}' during preview: ${err.message}`,
          });
        } else if (err instanceof NotApplicableError) {
          result.notApplicable.push({ policyName: policy.name, ...(err.reason ? { reason: err.reason } : {}) });
        } else {
          const why = err instanceof Error ? err.message : String(err);
          throw new Error(`Error validating resource ${resource.type} "${resource.name}" with policy '${policy.name}': ${why}`);
        }
      }
    }
  }
  return result;
}

/**
 * Evaluates resources with the pack's policies and a policy config (Pulumi's format). Resources are
 * evaluated one after the other, each by every policy in pack order, as the Pulumi engine does.
 */
export async function evaluateResources(
  resources: readonly ResourceToEvaluate[],
  config: PolicyPackConfig = {},
  policies: readonly ResourceValidationPolicy[] = packPolicies,
): Promise<EvaluationReport> {
  validatePolicyConfig(config, policies);
  const report: EvaluationReport = { resources: [], mandatory: 0, advisory: 0 };
  for (const resource of resources) {
    const evaluation = await evaluateResource(resource, config, policies);
    report.resources.push(evaluation);
    for (const d of evaluation.diagnostics) report[d.enforcementLevel]++;
  }
  return report;
}

function isStateMachineType(type: string): boolean {
  return type === STATE_MACHINE_TYPES.aws || type === STATE_MACHINE_TYPES.awsNative;
}

/** Findings grouped by resource, state machines listed even when clean, then a summary line. */
export function formatEvaluationReport(report: EvaluationReport): string {
  const lines: string[] = [];
  const shown = report.resources.filter((r) => r.diagnostics.length > 0 || isStateMachineType(r.type));
  for (const r of shown) {
    lines.push(`${r.type} "${r.name}"`);
    if (r.diagnostics.length === 0) lines.push("  clean");
    for (const d of r.diagnostics) {
      const [first, ...rest] = d.message.split("\n");
      lines.push(`  ${d.enforcementLevel.padEnd(9)} ${d.policyName}: ${first}`);
      for (const line of rest) lines.push(`            ${line}`);
    }
  }
  const machines = report.resources.filter((r) => isStateMachineType(r.type)).length;
  lines.push(
    `${POLICY_PACK_NAME}: ${report.resources.length} resources evaluated (${machines} state machines): ` +
      `${report.mandatory} mandatory, ${report.advisory} advisory violation${report.advisory === 1 ? "" : "s"}.`,
  );
  return lines.join("\n");
}
