import { IntegrationPattern, parseResource } from "../../policy/analysis";
import { loadProgramModel, ProgramModel } from "../../sandbox/model";
import { requireStackConfig } from "../targets/stack-config";

const PATTERN_LABELS: Record<IntegrationPattern, string> = {
  "request-response": "request response",
  sync: "run a job (.sync)",
  "sync:2": "run a job (.sync:2)",
  waitForTaskToken: "wait for callback (.waitForTaskToken)",
};

/** The resource tree and each state machine's Tasks with their integration pattern, as text. */
export function renderPreview(model: ProgramModel): string {
  const lines: string[] = [`Stack ${model.project}/${model.stack} (${model.region}), evaluated offline under Pulumi mocks`, ""];
  lines.push(`Resources (${model.resources.length}):`);
  for (const r of model.resources) lines.push(`  ${r.type.padEnd(60)} ${r.name}`);
  for (const m of model.resources.filter((r) => r.type === "aws:sfn/stateMachine:StateMachine")) {
    const definition = JSON.parse(String(m.inputs.definition)) as { StartAt: string; States: Record<string, { Type: string; Resource?: string; Next?: string }> };
    lines.push("", `State machine ${m.name} (${String(m.state.arn)}):`);
    for (const [name, state] of Object.entries(definition.States)) {
      const pattern = state.Resource ? PATTERN_LABELS[parseResource(state.Resource).pattern] : "";
      lines.push(`  ${name === definition.StartAt ? "→" : " "} ${name.padEnd(18)} ${state.Type.padEnd(8)} ${state.Resource ?? ""}${pattern ? `  [${pattern}]` : ""}`);
    }
  }
  if (model.warnings?.length) lines.push("", "Warnings:", ...model.warnings.map((w) => `  ${w}`));
  return lines.join("\n");
}

/** `sfn-lab preview`. */
export async function previewCommand(opts: { stack: string }): Promise<void> {
  requireStackConfig(opts.stack);
  const model = await loadProgramModel({ stack: opts.stack });
  console.log(renderPreview(model));
}
