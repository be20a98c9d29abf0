import * as assert from "node:assert/strict";
import { compileFilterPattern } from "./filter-pattern";

/** CloudWatch Logs filter pattern syntax, unstructured events: terms, all required, case-sensitive. */
describe("FilterLogEvents filter patterns", () => {
  it("matches every event with an empty pattern", () => {
    assert.equal(compileFilterPattern(undefined)("anything"), true);
    assert.equal(compileFilterPattern("  ")("anything"), true);
  });

  it("requires every plain term, case-sensitively", () => {
    const match = compileFilterPattern("ERROR timeout");
    assert.equal(match("ERROR: request timeout after 3s"), true);
    assert.equal(match("ERROR: request failed"), false);
    assert.equal(match("error: request timeout"), false);
  });

  it('treats a "quoted phrase" as one term, spaces and punctuation included', () => {
    const match = compileFilterPattern('"Task timed out" REPORT');
    assert.equal(match("REPORT ... Task timed out after 3.00 seconds"), true);
    assert.equal(match("REPORT Task out timed"), false);
    assert.equal(compileFilterPattern('"arn:aws:states:us-east-1:1:execution:m:e"')('{"execution_arn":"arn:aws:states:us-east-1:1:execution:m:e"}'), true);
  });

  it("refuses the syntax it does not evaluate with InvalidParameterException naming the term", () => {
    for (const pattern of ["?ERROR ?WARN", "ERROR -DEBUG", "%ERR[0-9]%", '{ $.level = "ERROR" }', "[ip, user, ...]"]) {
      assert.throws(() => compileFilterPattern(pattern), (e: Error) => e.name === "InvalidParameterException" && e.message.includes("does not evaluate"), pattern);
    }
  });
});
