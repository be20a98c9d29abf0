import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { fixtureProgramSandbox } from "./helpers/fixtureProgramSandbox";
import { waitForExecution } from "../sandbox/testing/sfn-helpers";

/**
 * A plain Pulumi program (tests/fixtures/crawler-program) with aws.glue.CatalogDatabase and aws.glue.Crawler,
 * evaluated under mocks: the sandbox deploys both from the model, and the program's state machine starts the
 * crawler, polls it until READY and lists the tables it made in the program's database.
 */
describe("a Pulumi program's Glue database and crawler run in the sandbox", function () {
  this.timeout(180_000);
  const sandboxOf = fixtureProgramSandbox("crawler-program", 0.05);

  it("deploys every resource of the program: none is reported as not deployed", () => {
    assert.deepEqual(sandboxOf().notDeployed.map((n) => `${n.type} ${n.name}`), []);
  });

  it("the machine runs the crawler to READY and finds the partitioned table it made, named with the tablePrefix", async () => {
    const outputs = sandboxOf().model.outputs as { machineArn: string };
    const sfn = new SFNClient(sandboxOf().clientConfig("sfn"));
    try {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: outputs.machineArn, input: "{}" }));
      const done = await waitForExecution(sfn, executionArn ?? "");
      const crawl = await sandboxOf().whenCrawlFinished((sandboxOf().model.outputs as { crawlerName: string }).crawlerName);
      assert.equal(crawl.State, "SUCCEEDED", crawl.ErrorMessage);
      assert.equal(done.status, "SUCCEEDED", done.cause);
      assert.deepEqual(JSON.parse(done.output ?? "{}"), { names: ["raw_orders"], partitionKeys: ["month"] });
    } finally {
      sfn.destroy();
    }
  });
});
