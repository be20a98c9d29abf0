import { Command } from "commander";
import * as path from "path";
import { evaluateResources, formatEvaluationReport, loadPolicyConfig, EvaluationReport } from "../../policy/offline";
import { loadProgramModel, PROJECT_DIR } from "../../sandbox/model";

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

export function registerPolicyCheck(program: Command): void {
  program
    .command("policy-check")
    .description("enforce the policy pack offline: evaluate the program under mocks with the pack's policies and config")
    .option("--stack <name>", "stack whose config the program reads", "dev")
    .option("--config <file>", "policy pack config (default: policy/policy-config.<stack>.json)")
    .action(async (opts: { stack: string; config?: string }) => {
      const report = await checkProgramPolicies(opts);
      console.log(formatEvaluationReport(report));
      process.exitCode = report.mandatory > 0 ? 1 : 0;
    });
}
