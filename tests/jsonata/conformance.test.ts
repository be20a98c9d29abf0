import * as assert from "node:assert/strict";
import { CASES } from "./cases";
import { runCase } from "./run-case";

describe("JSONata and workflow variables: conformance with the Step Functions developer guide", () => {
  for (const testCase of CASES) {
    it(`${testCase.name} (${testCase.page})`, async () => {
      const outcome = await runCase(testCase);
      const expected = testCase.expected;
      if ("definitionError" in expected) {
        assert.equal(outcome.status, "REFUSED", `expected a refusal at deployment, got ${JSON.stringify(outcome)}`);
        assert.match(outcome.refusal ?? "", expected.definitionError);
      } else if ("error" in expected) {
        assert.equal(outcome.status, "FAILED", `expected ${expected.error}, got ${JSON.stringify(outcome)}`);
        assert.equal(outcome.error, expected.error, outcome.cause);
        if (expected.cause) assert.match(outcome.cause ?? "", expected.cause);
      } else {
        assert.equal(outcome.status, "SUCCEEDED", `${outcome.error}: ${outcome.cause ?? outcome.refusal}`);
        if ("output" in expected) assert.deepEqual(outcome.output, expected.output);
        else expected.check(outcome.output);
      }
    });
  }
});
