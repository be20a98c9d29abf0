import * as assert from "node:assert/strict";
import type { JsonObject } from "../../policy/analysis/walk";
import { unsupportedConstructs, usesVariables } from "../../sandbox/sfn/unsupported";
import { assertDocumentedOutcome, runCase, type ConformanceCase } from "../jsonata/run-case";

/**
 * Workflow variables in JSONPath state machines, run on the sandbox's interpreter. Each expected outcome
 * comes from the developer guide page named, written before the sandbox ran the case:
 * VARIABLES = "Passing data between states with variables", IO = "Processing input and output in Step
 * Functions", CHOICE = "Choice workflow state", INTRINSICS = "Intrinsic functions for JSONPath states".
 */
const VARIABLES = "Passing data between states with variables";
const IO = "Processing input and output in Step Functions";
const CHOICE = "Choice workflow state";
const INTRINSICS = "Intrinsic functions for JSONPath states";

const pass = (fields: JsonObject): JsonObject => ({ Type: "Pass", ...fields });

const CASES: ConformanceCase[] = [
  {
    name: "Pass assigns literals; a later state reads them as $name in Parameters",
    page: VARIABLES,
    definition: {
      StartAt: "Set",
      States: {
        Set: pass({ Assign: { productName: "product1", count: 42, available: true }, Next: "Use" }),
        Use: pass({ Parameters: { "name.$": "$productName", "n.$": "$count", "ok.$": "$available", "x.$": "$.x" }, End: true }),
      },
    },
    input: { x: 1 },
    expected: { output: { name: "product1", n: 42, ok: true, x: 1 } },
  },
  {
    name: "Pass Assign with a .$ path sees the InputPath-filtered input as $",
    page: VARIABLES,
    definition: {
      StartAt: "Keep",
      States: {
        Keep: pass({ InputPath: "$.order", Assign: { "id.$": "$.id" }, Next: "Use" }),
        Use: pass({ Parameters: { "id.$": "$id", "input.$": "$" }, End: true }),
      },
    },
    input: { order: { id: "o-1" } },
    expected: { output: { id: "o-1", input: { id: "o-1" } } },
  },
  {
    name: "Task Assign sees the task's result as $; ResultSelector and ResultPath shape the output",
    page: VARIABLES,
    definition: {
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { "FunctionName": "f", "Payload.$": "$.request" },
          ResultSelector: { "t.$": "$.Payload.total" },
          ResultPath: "$.taskResult",
          Assign: { "total.$": "$.Payload.total", "code.$": "$.StatusCode" },
          Next: "Use",
        },
        Use: pass({ Parameters: { "fromVar.$": "$total", "code.$": "$code", "out.$": "$.taskResult.t", "request.$": "$.request" }, End: true }),
      },
    },
    input: { request: { n: 7 } },
    tasks: { Call: async (args) => ({ StatusCode: 200, Payload: { total: (args as { Payload: { n: number } }).Payload.n } }) },
    expected: { output: { fromVar: 7, code: 200, out: 7, request: { n: 7 } } },
  },
  {
    name: "Assign evaluates every value with the variables as they were on entry (no sight of its own assignments)",
    page: VARIABLES,
    definition: {
      StartAt: "First",
      States: {
        First: pass({ Assign: { x: 1 }, Next: "Second" }),
        Second: pass({ Assign: { "x.$": "States.MathAdd($x, 1)", "old.$": "$x" }, Next: "Read" }),
        Read: pass({ Parameters: { "x.$": "$x", "old.$": "$old" }, End: true }),
      },
    },
    expected: { output: { x: 2, old: 1 } },
  },
  {
    name: "$name.field and $name.list[0] paths, and variables as intrinsic arguments",
    page: INTRINSICS,
    definition: {
      StartAt: "Set",
      States: {
        Set: pass({ Assign: { order: { items: ["a", "b"], n: 2 } }, Next: "Use" }),
        Use: pass({ Parameters: { "n.$": "$order.n", "first.$": "$order.items[0]", "text.$": "States.Format('{} items, first {}', $order.n, $order.items[0])", "count.$": "States.ArrayLength($order.items)" }, End: true }),
      },
    },
    expected: { output: { n: 2, first: "a", text: "2 items, first a", count: 2 } },
  },
  {
    name: "Choice compares a variable; the matched rule's Assign is visible in the next state",
    page: CHOICE,
    definition: {
      StartAt: "Set",
      States: {
        Set: pass({ Assign: { limit: 5 }, Next: "Pick" }),
        Pick: {
          Type: "Choice",
          Choices: [
            { Variable: "$limit", NumericGreaterThan: 3, Assign: { picked: "big" }, Next: "Big" },
          ],
          Default: "Small",
        },
        Big: pass({ Parameters: { "p.$": "$picked", "limit.$": "$limit" }, End: true }),
        Small: pass({ Result: "small", End: true }),
      },
    },
    expected: { output: { p: "big", limit: 5 } },
  },
  {
    name: "Choice with a ...Path operator over a variable and And/Not rules; no match goes to Default",
    page: CHOICE,
    definition: {
      StartAt: "Set",
      States: {
        Set: pass({ Assign: { threshold: 10, name: "lab" }, Next: "Pick" }),
        Pick: {
          Type: "Choice",
          Choices: [{ And: [{ Variable: "$.value", NumericGreaterThanEqualsPath: "$threshold" }, { Not: { Variable: "$name", StringEquals: "prod" } }], Next: "High" }],
          Default: "Low",
        },
        High: pass({ Result: "high", End: true }),
        Low: pass({ Result: "low", End: true }),
      },
    },
    input: { value: 9 },
    expected: { output: "low" },
  },
  {
    name: "Map: ItemSelector reads an outer variable and the item; iterations' assignments stay inside",
    page: VARIABLES,
    definition: {
      StartAt: "Set",
      States: {
        Set: pass({ Assign: { factor: 10 }, Next: "Each" }),
        Each: {
          Type: "Map",
          ItemsPath: "$.items",
          ItemSelector: { "v.$": "$$.Map.Item.Value", "f.$": "$factor" },
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "Inner",
            States: { Inner: pass({ Assign: { factor: 0, "inner.$": "$.v" }, Parameters: { "v.$": "$.v", "f.$": "$.f" }, End: true }) },
          },
          Next: "After",
        },
        After: pass({ Parameters: { "factor.$": "$factor", "results.$": "$" }, End: true }),
      },
    },
    input: { items: [1, 2] },
    expected: { output: { factor: 10, results: [{ v: 1, f: 10 }, { v: 2, f: 10 }] } },
  },
  {
    name: "Map: a variable assigned only inside an iteration is not visible after the Map (States.Runtime)",
    page: VARIABLES,
    definition: {
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "Inner", States: { Inner: pass({ Assign: { "inner.$": "$" }, End: true }) } },
          Next: "After",
        },
        After: pass({ Parameters: { "v.$": "$inner" }, End: true }),
      },
    },
    input: [1],
    expected: { error: "States.Runtime", cause: /\$inner/ },
  },
  {
    name: "Parallel: branches read outer variables; a branch's assignment stays in that branch",
    page: VARIABLES,
    definition: {
      StartAt: "Set",
      States: {
        Set: pass({ Assign: { x: 1 }, Next: "Fan" }),
        Fan: {
          Type: "Parallel",
          Branches: [
            { StartAt: "Change", States: { Change: pass({ Assign: { x: 2 }, Next: "Read" }), Read: pass({ Parameters: { "x.$": "$x" }, End: true }) } },
            { StartAt: "Read", States: { Read: pass({ Parameters: { "x.$": "$x" }, End: true }) } },
          ],
          Assign: { "branches.$": "$" },
          Next: "After",
        },
        After: pass({ Parameters: { "after.$": "$x", "branches.$": "$branches" }, End: true }),
      },
    },
    expected: { output: { after: 1, branches: [{ x: 2 }, { x: 1 }] } },
  },
  {
    name: "Wait SecondsPath reads a variable; Wait's Assign sees its input",
    page: VARIABLES,
    definition: {
      StartAt: "Set",
      States: {
        Set: pass({ Assign: { delay: 0 }, Next: "Hold" }),
        Hold: { Type: "Wait", SecondsPath: "$delay", Assign: { "seen.$": "$.a" }, Next: "Done" },
        Done: pass({ Parameters: { "seen.$": "$seen" }, End: true }),
      },
    },
    input: { a: "A" },
    expected: { output: { seen: "A" } },
  },
  {
    name: "Catch Assign sees the error output as $; ResultPath places it in the input",
    page: VARIABLES,
    definition: {
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "f" },
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Assign: { "failure.$": "$.Error" }, Next: "Handle" }],
          End: true,
        },
        Handle: pass({ Parameters: { "failure.$": "$failure", "cause.$": "$.error.Cause", "a.$": "$.a" }, End: true }),
      },
    },
    input: { a: 1 },
    tasks: {
      Call: async () => {
        throw Object.assign(new Error("it broke"), { name: "Custom.Broken" });
      },
    },
    expected: { output: { failure: "Custom.Broken", cause: "it broke", a: 1 } },
  },
  {
    name: "a reference to a variable never assigned fails the state with States.Runtime naming the field",
    page: `${VARIABLES}; ${IO} (a path that selects nothing is States.Runtime)`,
    definition: { StartAt: "Use", States: { Use: pass({ Parameters: { "v.$": "$missing" }, Assign: { a: 1 }, End: true }) } },
    expected: { error: "States.Runtime", cause: /'\$missing'.*'v\.\$'/ },
  },
  {
    name: "a JSONPath path over the input that selects nothing is States.Runtime, as Step Functions words it",
    page: IO,
    definition: { StartAt: "Pick", States: { Pick: pass({ Parameters: { "missing.$": "$.nope.deep" }, Assign: { a: 1 }, End: true }) } },
    input: { other: 1 },
    expected: { error: "States.Runtime", cause: /The JSONPath '\$\.nope\.deep' specified for the field 'missing\.\$' could not be found in the input '\{"other":1\}'/ },
  },
  {
    name: "an intrinsic function given an argument it cannot use fails with States.IntrinsicFailure",
    page: INTRINSICS,
    definition: { StartAt: "Parse", States: { Parse: pass({ Assign: { "parsed.$": "States.StringToJson($.text)" }, End: true }) } },
    input: { text: "not json" },
    expected: { error: "States.IntrinsicFailure", cause: /StringToJson/ },
  },
  {
    name: "a Catch on States.Runtime takes the undefined-variable failure to its handler with the error output",
    page: VARIABLES,
    definition: {
      StartAt: "Use",
      States: {
        Use: {
          Type: "Parallel",
          Branches: [{ StartAt: "Read", States: { Read: pass({ Parameters: { "v.$": "$never" }, End: true }) } }],
          Catch: [{ ErrorEquals: ["States.Runtime"], Assign: { "caught.$": "$.Error" }, ResultPath: null, Next: "Handled" }],
          End: true,
        },
        Handled: pass({ Parameters: { "caught.$": "$caught", "input.$": "$" }, End: true }),
      },
    },
    input: { a: 1 },
    expected: { output: { caught: "States.Runtime", input: { a: 1 } } },
  },
];

describe("workflow variables in JSONPath state machines: conformance with the Step Functions developer guide", () => {
  for (const testCase of CASES) {
    it(`${testCase.name} (${testCase.page})`, async () => {
      const outcome = await runCase(testCase);
      assertDocumentedOutcome(testCase, outcome);
    });
  }
});

describe("JSONPath machines with variables: what runs where, and what is refused", () => {
  it("a JSONPath machine without variables stays on the JSONPath library; one with Assign or $name does not", () => {
    assert.equal(usesVariables({ StartAt: "A", States: { A: pass({ Parameters: { "x.$": "$.x", "id.$": "$$.Execution.Id" }, End: true }) } }), false);
    assert.equal(usesVariables({ StartAt: "A", States: { A: pass({ Assign: { a: 1 }, End: true }) } }), true);
    assert.equal(usesVariables({ StartAt: "A", States: { A: { Type: "Choice", Choices: [{ Variable: "$a", IsPresent: true, Next: "B" }], Default: "B" }, B: pass({ End: true }) } }), true);
  });

  it("refuses, naming state and field, paths and intrinsics the sandbox does not evaluate in such a machine", () => {
    const definition = {
      StartAt: "A",
      States: {
        A: pass({ Assign: { a: 1 }, InputPath: "$.items[?(@.ok)]", Parameters: { "h.$": "States.ArrayPartition($.x, 2)", "ok.$": "States.Format('{}', $a)" }, Next: "B" }),
        B: { Type: "Map", ItemReader: { Resource: "arn:aws:states:::s3:getObject" }, ItemProcessor: { StartAt: "C", States: { C: pass({ End: true }) } }, End: true },
      },
    };
    assert.deepEqual(
      unsupportedConstructs(definition).map((c) => `${c.state}: ${c.field}`),
      ["B: ItemReader", "A: InputPath", "A: Parameters.h.$"],
    );
  });

  it("refuses a Choice operator it does not know in such a machine, naming the rule", () => {
    const definition = {
      StartAt: "Pick",
      States: { Pick: { Type: "Choice", Choices: [{ Variable: "$a", StringEqualsIgnoreCase: "x", Next: "Done" }], Default: "Done" }, Done: pass({ End: true }) },
    };
    assert.deepEqual(unsupportedConstructs(definition).map((c) => `${c.state}: ${c.field}`), ["Pick: Choices[0].StringEqualsIgnoreCase"]);
  });
});
