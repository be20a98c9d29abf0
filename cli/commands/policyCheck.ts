import * as path from "path";
import { evaluateResources, formatEvaluationReport, loadPolicyConfig, EvaluationReport } from "../../policy/offline";
import { loadProgramModel, PROJECT_DIR } from "../../sandbox/model";
import { requireStackConfig } from "../targets/stack-config";

export interface PolicyCheckOptions {
  stack: string;
  /** Pack config file; default policy/policy-config.<stack>.json. */
  config?: string;
  /** Program config overrides (`key=value`). */
  programConfig?: Record<string, string>;
}

/** Evaluates every resource of the program (under mocks) with the pack's own policies and config file. */
export async function checkProgramPolicies(options: PolicyCheckOptions): Promise<EvaluationReport> {
  const configFile = options.config ?? path.join(PROJECT_DIR, "policy", `policy-config.${options.stack}.json`);
  const config = loadPolicyConfig(configFile);
  const model = await loadProgramModel({ stack: options.stack, config: options.programConfig });
  return evaluateResources(
    model.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs })),
    config,
  );
}

/** `sfn-lab policy-check`: exits 1 on a mandatory violation. */
export async function policyCheckCommand(opts: { stack: string; config?: string }): Promise<void> {
  requireStackConfig(opts.stack);
  const report = await checkProgramPolicies(opts);
  console.log(formatEvaluationReport(report));
  process.exitCode = report.mandatory > 0 ? 1 : 0;
}
