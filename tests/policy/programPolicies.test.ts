import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkProgramPolicies } from "../../cli/commands/policyCheck";

/** `npm run policy:check`: the program's own three machines through the real pack, offline. */
describe("policy:check on the program (offline, dev stack)", function () {
  const machines = (report: Awaited<ReturnType<typeof checkProgramPolicies>>) =>
    Object.fromEntries(
      report.resources
        .filter((r) => r.type === "aws:sfn/stateMachine:StateMachine")
        .map((r) => [r.name, r.diagnostics.map((d) => `${d.enforcementLevel} ${d.policyName}`)]),
    );

  it("with the dev config: request-response is exempted (advisory, with the reason), the others are clean", async function () {
    const report = await checkProgramPolicies({ stack: "dev" });
    assert.deepEqual(machines(report), {
      "request-response": ["advisory exempted-findings"],
      "run-job": [],
      "wait-for-callback": [],
      "event-driven-callback": [],
    });
    assert.equal(report.mandatory, 0);
    const exempted = report.resources.find((r) => r.name === "request-response" && r.type === "aws:sfn/stateMachine:StateMachine")!.diagnostics[0].message;
    assert.match(exempted, /teaching machine/);
  });

  it("without the exemption, the pack fails request-response on glue-task-must-wait", async function () {
    const config = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-")), "empty.json");
    fs.writeFileSync(config, "{}");
    const report = await checkProgramPolicies({ stack: "dev", config });
    assert.deepEqual(machines(report), {
      "request-response": ["mandatory glue-task-must-wait"],
      "run-job": [],
      "wait-for-callback": [],
      "event-driven-callback": [],
    });
    assert.equal(report.mandatory, 1);
  });
});
