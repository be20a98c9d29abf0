import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { recordExecution } from "../../cli/cost/collect";
import { CliError } from "../../cli/errors";
import { listPausedTasks } from "../../cli/ops/callbacks";
import { startMachine } from "../../cli/ops/executions";
import { followExecution } from "../../cli/ops/follow";
import { listMachines, resolveMachine } from "../../cli/targets/machines";
import { targetFromConnection } from "../../cli/targets/sandbox";
import type { Target } from "../../cli/targets/target";
import { Sandbox } from "../../sandbox";
import { arn, fixtureModel, withStateMachine } from "../../sandbox/testing/fixture-model";

/**
 * The commands address whatever program is deployed: a sandbox of a program that is not the lab (its outputs
 * are not the lab's), with the fixture's machines and a plain one of its own.
 */
describe("the CLI on another program's machines (by name or ARN)", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let target: Target;
  let rootDir: string;

  before(async () => {
    rootDir = mkdtempSync(path.join(tmpdir(), "sfn-lab-machines-"));
    const model = withStateMachine(fixtureModel(), "plain-pass", { StartAt: "Hello", States: { Hello: { Type: "Pass", Result: { hi: 1 }, End: true } } }, "lab-run-job-role");
    sandbox = await Sandbox.start({ ...model, outputs: { greeting: "not the lab's outputs" } }, { rootDir, writeConnectionFile: false, glue: { startupDelayMs: 0 } });
    target = targetFromConnection(sandbox.connection(), "test sandbox");
  });
  after(async () => {
    await target.close();
    await sandbox.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  it("lists every deployed machine and resolves one by name or by ARN", async () => {
    assert.deepEqual((await listMachines(target)).map((m) => m.name).sort(), ["lab-request-response", "lab-run-job", "lab-wait-for-callback", "plain-pass"]);
    assert.deepEqual(await resolveMachine(target, "plain-pass"), { name: "plain-pass", arn: arn.stateMachine("plain-pass") });
    assert.deepEqual(await resolveMachine(target, arn.stateMachine("plain-pass")), { name: "plain-pass", arn: arn.stateMachine("plain-pass") });
  });

  it("refuses an unknown name or ARN listing what is deployed; pattern names are no shortcut here (not the lab)", async () => {
    for (const reference of ["run-job", arn.stateMachine("gone")]) {
      await assert.rejects(resolveMachine(target, reference), (error: unknown) => {
        assert.ok(error instanceof CliError);
        assert.match(error.message, /^No state machine (named "run-job"|arn:\S+:stateMachine:gone) on test sandbox; deployed state machines: lab-request-response, lab-run-job, lab-wait-for-callback, plain-pass$/);
        return true;
      });
    }
  });

  it("runs a plain machine to SUCCEEDED; the lab-only outputs are refused by name", async () => {
    const executionArn = await startMachine(target, arn.stateMachine("plain-pass"), "{}");
    assert.equal((await followExecution(target, executionArn, {}, { timeoutMs: 30_000 })).status, "SUCCEEDED");
    assert.equal(target.labOutputs, undefined);
    assert.throws(() => target.outputs.jobName, (error: unknown) => error instanceof CliError && /works on the lab's program .*the program deployed in the sandbox is another one/.test(error.message));
  });

  it("lists a paused callback by its machine's name, and cost refuses to answer another program's callback", async () => {
    const record = await recordExecution(target, { label: "plain-pass", arn: arn.stateMachine("plain-pass") }, { functions: {}, defaultDpu: 1 });
    assert.equal(record.pattern, "plain-pass");
    assert.ok(record.history.some((e) => e.type === "ExecutionSucceeded"));
    await assert.rejects(
      recordExecution(target, { label: "lab-wait-for-callback", arn: arn.stateMachine("lab-wait-for-callback") }, { functions: {}, defaultDpu: 1 }),
      /^CliError: lab-wait-for-callback: paused at \S+ for a callback; cost answers only the lab's callbacks .*sfn-lab approve arn:\S+ --output JSON`$/,
    );
    const paused = await listPausedTasks(target);
    assert.equal(paused.length, 1);
    assert.equal(paused[0].machine, "lab-wait-for-callback");
    assert.equal(paused[0].pattern, undefined);
  });
});
