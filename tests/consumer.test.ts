import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadProgramModel } from "../sandbox/model";

const ROOT = path.join(__dirname, "..");

/**
 * Another Pulumi program, in plain JavaScript, imports the components by package name
 * (`sfn-integration-patterns/components`, resolved through package.json "exports" to the compiled dist/).
 */
describe("the compiled components, imported by package name", function () {
  before(function () {
    this.timeout(120_000);
    execFileSync(path.join(ROOT, "node_modules", ".bin", "tsc"), ["-p", path.join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });
  });

  it("compile to dist/ with type declarations for the public entry", function () {
    assert.ok(fs.existsSync(path.join(ROOT, "dist", "components", "index.js")));
    assert.match(fs.readFileSync(path.join(ROOT, "dist", "components", "index.d.ts"), "utf8"), /etlPipeline/);
  });

  it("build a lab and a validated machine from a JavaScript program, bundling the functions from their sources", async function () {
    const model = await loadProgramModel({ programDir: path.join(__dirname, "fixtures", "js-consumer"), stack: "test" });
    const fn = model.resources.filter((r) => r.type === "aws:lambda/function:Function");
    assert.deepEqual(fn.map((f) => f.name).sort(), ["consumer-check-file", "consumer-validate-output"]);
    const code = (fn[0].inputs.code as { assets: Record<string, { text: string }> }).assets["index.js"].text;
    assert.ok(code.length > 10_000, "the handler is bundled with its dependencies");
    const machine = model.resources.find((r) => r.type === "aws:sfn/stateMachine:StateMachine")!;
    assert.equal(JSON.parse(String(machine.inputs.definition)).States.WaitForOperator.Resource, "arn:aws:states:::lambda:invoke.waitForTaskToken");
    const job = model.resources.find((r) => r.type === "aws:glue/job:Job")!;
    assert.deepEqual(JSON.parse((job.inputs.defaultArguments as Record<string, string>)["--filter"]), { column: "region", operator: "eq", value: "EU" });
    assert.equal(model.outputs.jobName, job.state.name);
  });
});
