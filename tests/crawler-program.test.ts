import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "../sandbox";
import { loadProgramModel } from "../sandbox/model";
import { waitForExecution } from "../sandbox/testing/sfn-helpers";

/**
 * A plain Pulumi program (tests/fixtures/crawler-program) with aws.glue.CatalogDatabase and aws.glue.Crawler,
 * evaluated under mocks: the sandbox deploys both from the model, and the program's state machine starts the
 * crawler, polls it until READY and lists the tables it made in the program's database.
 */
describe("a Pulumi program's Glue database and crawler run in the sandbox", function () {
  this.timeout(180_000);
  let rootDir: string;
  let sandbox: Sandbox;

  before(async () => {
    rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-crawler-program-"));
    const model = await loadProgramModel({ programDir: path.join(__dirname, "fixtures", "crawler-program"), stack: "test" });
    sandbox = await Sandbox.start(model, { rootDir, timeScale: 0.05, glue: { startupDelayMs: 30 } });
  });
  after(async () => {
    await sandbox?.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  it("deploys every resource of the program: none is reported as not deployed", () => {
    assert.deepEqual(sandbox.notDeployed.map((n) => `${n.type} ${n.name}`), []);
  });

  it("the machine runs the crawler to READY and finds the partitioned table it made, named with the tablePrefix", async () => {
    const outputs = sandbox.model.outputs as { machineArn: string };
    const sfn = new SFNClient(sandbox.clientConfig("sfn"));
    try {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: outputs.machineArn, input: "{}" }));
      const done = await waitForExecution(sfn, executionArn ?? "");
      const crawl = await sandbox.whenCrawlFinished((sandbox.model.outputs as { crawlerName: string }).crawlerName);
      assert.equal(crawl.State, "SUCCEEDED", crawl.ErrorMessage);
      assert.equal(done.status, "SUCCEEDED", done.cause);
      assert.deepEqual(JSON.parse(done.output ?? "{}"), { names: ["raw_orders"], partitionKeys: ["month"] });
    } finally {
      sfn.destroy();
    }
  });
});
