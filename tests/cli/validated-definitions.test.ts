import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "../../sandbox";
import { ValidatedDefinitionsFile } from "../../sandbox/sfn/validated-definitions";
import { fixtureModel, withStateMachine } from "../../sandbox/testing/fixture-model";

/** A sandbox start checks each definition as CreateStateMachine would, once: a definition found valid is remembered. */
describe("definitions found valid, remembered between sandbox starts", function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;
  // Refused by CreateStateMachine: StartAt names no state (ASL: "StartAt ... MUST exactly match one of the names of the States").
  const BROKEN = { StartAt: "Missing", States: { Only: { Type: "Succeed" } } };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "sfn-lab-valid-"));
    file = path.join(dir, "valid-definitions.json");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const start = async (model = fixtureModel()) => {
    const sandbox = await Sandbox.start(model, { rootDir: path.join(dir, "root"), writeConnectionFile: false, sfn: { validatedDefinitions: new ValidatedDefinitionsFile(file) } });
    await sandbox.stop();
  };

  it("remembers each valid definition in the file, by hash, across instances", async function () {
    await start();
    const hashes = JSON.parse(readFileSync(file, "utf8")) as string[];
    assert.equal(hashes.length, 3, "the fixture's three machines");
    const again = new ValidatedDefinitionsFile(file);
    const definitions = fixtureModel().resources.filter((r) => r.type === "aws:sfn/stateMachine:StateMachine").map((r) => String(r.inputs.definition));
    assert.ok(definitions.every((d) => again.has(d)));
    assert.equal(again.has(JSON.stringify(BROKEN)), false);
  });

  it("an invalid definition is refused at every start and never remembered", async function () {
    const model = withStateMachine(fixtureModel(), "broken", BROKEN, "lab-run-job-role");
    for (let i = 0; i < 2; i++) await assert.rejects(start(model), /State machine "broken" has an invalid definition/);
    assert.equal(new ValidatedDefinitionsFile(file).has(JSON.stringify(BROKEN)), false);
  });

  it("a remembered definition is not checked again (shown with one that would fail the check)", async function () {
    new ValidatedDefinitionsFile(file).add(JSON.stringify(BROKEN));
    await start(withStateMachine(fixtureModel(), "broken", BROKEN, "lab-run-job-role"));
  });

  it("an unreadable file means nothing is known: everything is checked", function () {
    writeFileSync(file, "not json");
    assert.equal(new ValidatedDefinitionsFile(file).has(JSON.stringify(BROKEN)), false);
  });
});
