import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "../../sandbox";
import { fixtureModel, withStateMachine } from "../../sandbox/testing/fixture-model";
import { unsupportedConstructs } from "../../sandbox/sfn/unsupported";

/**
 * What the sandbox cannot evaluate it refuses at deployment, naming the state and the field, instead of
 * running the machine with that construct ignored.
 */
describe("constructs the sandbox refuses rather than run wrongly", () => {
  it("runs workflow variables in JSONPath states (Assign, $name in Parameters and Choice rules) instead of refusing them", () => {
    // "Passing data between states with variables": JSONPath states assign with Assign and read `$name`.
    // The sandbox now evaluates these (tests/variables/), so nothing here is refused.
    const definition = {
      StartAt: "Remember",
      States: {
        Remember: { Type: "Pass", Assign: { limit: 5 }, Next: "Use" },
        Use: { Type: "Pass", Parameters: { "n.$": "$limit", "plain.$": "$.x", ctx: { "id.$": "$$.Execution.Id" } }, Next: "Pick" },
        Pick: { Type: "Choice", Choices: [{ Variable: "$limit", NumericGreaterThan: 3, Next: "Done" }], Default: "Done" },
        Done: { Type: "Succeed" },
      },
    };
    assert.deepEqual(unsupportedConstructs(definition), []);
  });

  it("refuses a JSONata state inside a JSONPath machine; runs a machine that is JSONata at the top level", () => {
    const pass = { Type: "Pass", Output: "{% $states.input.a + 1 %}", End: true };
    assert.deepEqual(unsupportedConstructs({ StartAt: "P", States: { P: { ...pass, QueryLanguage: "JSONata" } } }).map((c) => `${c.state}: ${c.field}`), ["P: QueryLanguage"]);
    assert.deepEqual(unsupportedConstructs({ QueryLanguage: "JSONata", StartAt: "P", States: { P: pass } }), []);
  });

  it("accepts plain JSONPath, where $, $.x, $$ and $[0] are not variables", () => {
    const definition = {
      StartAt: "A",
      States: {
        A: { Type: "Pass", InputPath: "$.a", Parameters: { "x.$": "States.Format('{}', $.b)", "y.$": "$$.Execution.Id", "z.$": "$[0]" }, OutputPath: "$", End: true },
      },
    };
    assert.deepEqual(unsupportedConstructs(definition), []);
  });

  it("refuses a machine at deployment, naming the state and the field", async () => {
    const rootDir = mkdtempSync(path.join(tmpdir(), "sandbox-refusal-"));
    const model = fixtureModel();
    withStateMachine(
      model,
      "uses-variables",
      { StartAt: "Fan", States: { Fan: { Type: "Parallel", Branches: [{ StartAt: "Keep", States: { Keep: { Type: "Pass", Assign: { a: 1 }, InputPath: "$.items[*]", End: true } } }], End: true } } },
      "lab-run-job-role",
    );
    try {
      await assert.rejects(
        Sandbox.start(model, { rootDir, writeConnectionFile: false }),
        (error: Error) => {
          assert.match(error.message, /State machine "uses-variables" cannot run in the sandbox/);
          assert.match(error.message, /state "Fan > Branch 1 > Keep", field InputPath: .*wildcards/);
          return true;
        },
      );
    } finally {
      rmSync(rootDir, { recursive: true, force: true });
    }
  });
});
