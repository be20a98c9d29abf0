import * as assert from "node:assert/strict";
import { checkExecutionName } from "./execution-name";

/** StartExecution API reference, Request Parameters, name; model shape Name (min 1, max 80). */
describe("execution names, as StartExecution accepts them", () => {
  it("allows '.', '=', '@', '+', '-', '_' and letters of any script, up to 80 characters", () => {
    for (const name of ["release.v1.2", "a=b", "ops@night", "a+b", "x-y_z", "Überprüfung", "実行", "x".repeat(80)]) {
      assert.doesNotThrow(() => checkExecutionName(name), name);
    }
  });

  it("refuses white space, brackets, wildcards, the listed special characters and control characters with InvalidName", () => {
    const refused = [" ", "\t", "\n", "<", ">", "{", "}", "[", "]", "?", "*", '"', "#", "%", "\\", "^", "|", "~", "`", "$", "&", ",", ";", ":", "/", "\u0000", "\u001f", "\u007f", "\u009f", "\ufffe", "\uffff", "\ud83d\ude00"];
    for (const bad of refused) {
      assert.throws(() => checkExecutionName(`a${bad}b`), (e: Error) => e.name === "InvalidName", JSON.stringify(bad));
    }
  });

  it("answers ValidationException, as a model constraint, outside 1..80 characters", () => {
    assert.throws(() => checkExecutionName("x".repeat(81)), (e: Error) => e.name === "ValidationException" && /less than or equal to 80/.test(e.message));
    assert.throws(() => checkExecutionName(""), (e: Error) => e.name === "ValidationException");
  });
});
