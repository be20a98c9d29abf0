import { Command } from "commander";
import { registerApprove, registerReject } from "./approve";
import { registerCallbacks } from "./callbacks";
import { registerDemo } from "./demo";
import { registerEtl } from "./etl";
import { registerRun } from "./run";
import { registerSandbox } from "./sandbox";
import { registerWatch } from "./watch";
import { registerTargetOption } from "../targets";
import { registerEtlRun } from "./etlRun";
import { registerPolicyCheck } from "./policyCheck";
import { registerPreview } from "./preview";
import { registerLint } from "./lint";
import { registerCost } from "./cost";

/** Every sub-command registers itself here; one line per command module. */
export function registerCommands(program: Command): void {
  registerTargetOption(program);
  registerDemo(program);
  registerRun(program);
  registerWatch(program);
  registerCallbacks(program);
  registerApprove(program);
  registerReject(program);
  registerEtl(program);
  registerSandbox(program);
  registerPreview(program);
  registerPolicyCheck(program);
  registerEtlRun(program);
  registerLint(program);
  registerCost(program);
}
