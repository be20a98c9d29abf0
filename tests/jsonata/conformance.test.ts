import { CASES } from "./cases";
import { assertDocumentedOutcome, runCase } from "./run-case";

describe("JSONata and workflow variables: conformance with the Step Functions developer guide", () => {
  for (const testCase of CASES) {
    it(`${testCase.name} (${testCase.page})`, async () => {
      const outcome = await runCase(testCase);
      assertDocumentedOutcome(testCase, outcome);
    });
  }
});
