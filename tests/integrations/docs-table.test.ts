import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { renderIntegrationsTable, withIntegrationsTable } from "../../integrations/docs/table";
import { INTEGRATION_READMES } from "../../integrations/docs/update-readmes";

describe("README integrations table", function () {
  for (const readme of INTEGRATION_READMES) {
    it(`${readme.endsWith("sandbox/README.md") ? "sandbox/README.md" : "README.md"} is up to date with the registry (npm run docs:integrations regenerates it)`, function () {
      const text = readFileSync(readme, "utf8");
      assert.equal(withIntegrationsTable(text), text, `${readme} is stale: run npm run docs:integrations`);
    });
  }

  it("has a row per action with its patterns and whether the sandbox runs it", function () {
    const table = renderIntegrationsTable();
    assert.match(table, /\| `states:startExecution` \| request-response, `\.sync`, `\.sync:2`, `\.waitForTaskToken` \| request-response \| runs \|/);
    assert.match(table, /\| `glue:startJobRun` \| request-response, `\.sync` \| request-response \| runs \|/);
    assert.match(table, /\| `athena:startQueryExecution` \| request-response, `\.sync` \| request-response \| refused at deployment \|/);
    assert.match(table, /\| `aws-sdk:<service>:<action>` \| request-response, `\.waitForTaskToken` \| request-response \| refused at deployment \|/);
  });

  it("refuses a README without its markers rather than appending somewhere", function () {
    assert.throws(() => withIntegrationsTable("# no markers\n"), /has no "<!-- integrations:begin/);
  });
});
