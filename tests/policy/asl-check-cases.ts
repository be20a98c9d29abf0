/**
 * Definitions that exercise asl-validator's checks besides its JSON schema: duplicate state names, a
 * terminal state per scope, duplicate payload template fields, and the at-most-one / exactly-one state
 * field checks, plus the library's corner cases (names inherited from Object.prototype, integer-like
 * names, state machines inside payloads, fields present with an undefined value).
 */

type State = Record<string, unknown>;

export interface AslCheckCase {
  name: string;
  definition: object | string;
  /** How a text definition is written; JSON unless said. */
  format?: "json" | "yaml";
}

const pass = (next?: string): State => (next === undefined ? { Type: "Pass", End: true } : { Type: "Pass", Next: next });
const lambda = "arn:aws:states:::lambda:invoke";

/** A machine of one state. */
function one(state: State, extra: State = {}): State {
  return { StartAt: "S", States: { S: state }, ...extra };
}

/** A Map state whose item processor is one Pass state. */
function map(fields: State): State {
  return { Type: "Map", ItemProcessor: { StartAt: "Item", States: { Item: pass() } }, End: true, ...fields };
}

export const ASL_CHECK_CASES: AslCheckCase[] = [
  {
    name: "the same state names in the machine, a Parallel branch and a Map processor",
    definition: {
      StartAt: "A",
      States: {
        A: {
          Type: "Parallel",
          Branches: [
            { StartAt: "B", States: { B: pass("A"), A: pass() } },
            { StartAt: "B", States: { B: pass() } },
          ],
          Next: "M",
        },
        M: { Type: "Map", ItemProcessor: { StartAt: "B", States: { B: pass() } }, Next: "Done" },
        Done: { Type: "Succeed" },
      },
    },
  },
  {
    name: "duplicate integer-like state names come out in numeric order",
    definition: {
      StartAt: "10",
      States: {
        "10": { Type: "Parallel", Branches: [{ StartAt: "2", States: { "2": pass("10"), "10": pass() } }], Next: "2" },
        "2": pass(),
      },
    },
  },
  {
    name: "duplicate state names that Object.prototype also has",
    definition: {
      StartAt: "constructor",
      States: {
        constructor: { Type: "Parallel", Branches: [{ StartAt: "toString", States: { toString: pass("constructor"), constructor: pass() } }], Next: "toString" },
        toString: pass(),
      },
    },
  },
  {
    name: "a scope without a terminal state",
    definition: {
      StartAt: "A",
      States: { A: { Type: "Parallel", Branches: [{ StartAt: "X", States: { X: pass("Y"), Y: pass("X") } }], Next: "B" }, B: pass("A") },
    },
  },
  {
    name: "duplicate Parameters fields after .$ is stripped, at every depth",
    definition: one({
      Type: "Task",
      Resource: lambda,
      Parameters: { a: 1, "a.$": "$.a", Payload: { b: [{ "c.$": "$.c", c: 2 }], "b.$": "$.b" } },
      ResultSelector: { "x.$": "$.x", x: "literal" },
      End: true,
    }),
  },
  {
    name: "a payload holding a Parameters field is inspected twice",
    definition: one({ Type: "Pass", Parameters: { Parameters: { k: 1, "k.$": "$.k" } }, End: true }),
  },
  {
    name: "payload fields that Object.prototype has",
    definition: one({ Type: "Pass", Parameters: { constructor: 1, "hasOwnProperty.$": "$.h", __proto__x: 2 }, End: true }),
  },
  {
    name: "a Map ItemReader's Parameters with a duplicate field",
    definition: one(
      map({
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "JSON", MaxItems: 10, MaxItemsPath: "$.max" },
          Parameters: { Bucket: "b", "Bucket.$": "$.bucket", Key: "k" },
        },
      }),
    ),
  },
  {
    name: "Next and End both set",
    definition: { StartAt: "A", States: { A: { Type: "Pass", Next: "B", End: true }, B: pass() } },
  },
  {
    name: "neither Next nor End",
    definition: { StartAt: "A", States: { A: { Type: "Task", Resource: lambda }, B: { Type: "Succeed" } } },
  },
  {
    name: "End: false still counts as a field",
    definition: { StartAt: "A", States: { A: { Type: "Pass", Next: "B", End: false }, B: pass() } },
  },
  {
    name: "a Task with TimeoutSeconds and TimeoutSecondsPath, HeartbeatSeconds and HeartbeatSecondsPath",
    definition: one({ Type: "Task", Resource: lambda, TimeoutSeconds: 10, TimeoutSecondsPath: "$.t", HeartbeatSeconds: 5, HeartbeatSecondsPath: "$.h", End: true }),
  },
  {
    name: "a Map with both ItemProcessor and Iterator",
    definition: one(map({ Iterator: { StartAt: "It", States: { It: pass() } } })),
  },
  {
    name: "a Map with neither ItemProcessor nor Iterator",
    definition: one({ Type: "Map", End: true }),
  },
  {
    name: "a Map with every pair of exclusive fields",
    definition: one(
      map({
        ItemSelector: { "v.$": "$$.Map.Item.Value" },
        Parameters: { "v.$": "$$.Map.Item.Value" },
        ToleratedFailureCount: 1,
        ToleratedFailureCountPath: "$.c",
        ToleratedFailurePercentage: 5,
        ToleratedFailurePercentagePath: "$.p",
        MaxConcurrency: 2,
        MaxConcurrencyPath: "$.m",
        ItemsPath: "$.items",
        ItemBatcher: { MaxItemsPerBatch: 10, MaxItemsPerBatchPath: "$.b", MaxInputBytesPerBatch: 100, MaxInputBytesPerBatchPath: "$.i" },
      }),
    ),
  },
  {
    name: "a JSONata Map with Items and ItemsPath",
    definition: one(map({ Items: "{% $states.input.items %}", ItemsPath: "$.items" }), { QueryLanguage: "JSONata" }),
  },
  {
    name: "Wait states with two durations and with none",
    definition: {
      StartAt: "Two",
      States: { Two: { Type: "Wait", Seconds: 5, Timestamp: "2026-01-01T00:00:00Z", Next: "None" }, None: { Type: "Wait", End: true } },
    },
  },
  {
    name: "a Fail state with Cause and CausePath, Error and ErrorPath",
    definition: one({ Type: "Fail", Cause: "c", CausePath: "$.c", Error: "e", ErrorPath: "$.e" }),
  },
  {
    name: "every kind of check failing at once, in nested scopes",
    definition: {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [
            {
              StartAt: "W",
              States: {
                W: { Type: "Wait", Seconds: 1, SecondsPath: "$.s", Next: "T" },
                T: { Type: "Task", Resource: lambda, Parameters: { x: 1, "x.$": "$.x" }, TimeoutSeconds: 1, TimeoutSecondsPath: "$.t", Next: "W" },
              },
            },
          ],
          Next: "W",
        },
        W: { Type: "Pass", End: true, Next: "P" },
      },
    },
  },
  {
    name: "a state machine inside a Task's payload (sfn createStateMachine) counts for the checks",
    definition: one({
      Type: "Task",
      Resource: "arn:aws:states:::aws-sdk:sfn:createStateMachine",
      Parameters: {
        Name: "child",
        RoleArn: "arn:aws:iam::123456789012:role/r",
        Definition: {
          StartAt: "S",
          States: {
            S: { Type: "Wait", Seconds: 1, SecondsPath: "$.s", Next: "Loop" },
            Loop: { Type: "Pass", Next: "S", "QueryLanguage.$": "$.q" },
          },
        },
      },
      End: true,
    }),
  },
  {
    name: "field checks on states inside a payload, which the schema does not check",
    definition: one({
      Type: "Pass",
      Parameters: {
        States: {
          M: { Type: "Map", Items: [1], ItemsPath: "$.items", ItemReader: { ReaderConfig: { MaxItems: 1, MaxItemsPath: "$.m" } }, ItemBatcher: null, End: true },
          T: { Type: "Task", TimeoutSeconds: 1, TimeoutSecondsPath: "$.t", Next: "M" },
          L: ["a list is not a state"],
        },
      },
      End: true,
    }),
  },
  {
    name: "a state inside a payload with an empty QueryLanguage",
    definition: one({ Type: "Pass", Parameters: { States: { x: { QueryLanguage: "", "QueryLanguage.$": "$.q", Type: "Pass" } } }, End: true }),
  },
  {
    name: "a JSONata machine whose states inherit the language",
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "A",
      States: {
        A: { Type: "Task", Resource: lambda, Arguments: { FunctionName: "f", Payload: "{% $states.input %}" }, Output: "{% $states.result %}", Next: "B" },
        B: { Type: "Pass", QueryLanguage: "JSONPath", Parameters: { "a.$": "$.a" }, End: true },
      },
    },
  },
  {
    name: "a JSONata Map's item processor states take the machine's language, not the Map's",
    definition: one(
      map({ QueryLanguage: "JSONata", ItemProcessor: { StartAt: "Item", States: { Item: { Type: "Pass", Output: "{% $states.input %}", End: true } } } }),
    ),
  },
  {
    name: "a JSONata machine with a JSONPath field on a state that inherits JSONata",
    definition: { QueryLanguage: "JSONata", StartAt: "A", States: { A: { Type: "Pass", Parameters: { a: 1 }, End: true } } },
  },
  {
    name: "a JSONPath state using JSONata fields",
    definition: one({ Type: "Pass", Output: "{% $states.input %}", End: true }),
  },
  {
    name: "a bad JSONPath, a bad JSONata expression and an unknown field",
    definition: {
      StartAt: "A",
      States: {
        A: { Type: "Pass", InputPath: "$..[", Next: "B" },
        B: { Type: "Pass", QueryLanguage: "JSONata", Output: "{% $states.input. %}", Next: "C" },
        C: { Type: "Pass", Nxt: "A", End: true },
      },
    },
  },
  {
    name: "a state without a Type, a non-object state and non-object States in a branch",
    definition: {
      StartAt: "A",
      States: { A: { Next: "P" }, P: { Type: "Parallel", Branches: [{ StartAt: "X", States: [] }], End: true } },
    },
  },
  {
    name: "a field set to undefined (a definition built in code) is present for the field checks",
    definition: { StartAt: "A", States: { A: { Type: "Pass", End: true, Next: undefined } } },
  },
  {
    name: "a state name over 80 characters and a machine QueryLanguage that is not one",
    definition: { QueryLanguage: "XPath", StartAt: "A".repeat(81), States: { ["A".repeat(81)]: pass() } },
  },
  {
    name: "one state object at two places (a definition built in code)",
    definition: (() => {
      const shared = { Type: "Wait", Seconds: 1, SecondsPath: "$.s", End: true };
      return { StartAt: "A", States: { A: { Type: "Parallel", Branches: [{ StartAt: "B", States: { B: shared } }], Next: "B" }, B: shared } };
    })(),
  },
  {
    name: "YAML with an alias: one state object at two places",
    format: "yaml",
    definition: "StartAt: A\nStates:\n  A:\n    Type: Parallel\n    Branches:\n      - StartAt: X\n        States:\n          X: &x {Type: Wait, Seconds: 1, Timestamp: '2026-01-01T00:00:00Z', End: true}\n    Next: X\n  X: *x\n",
  },
  {
    name: "as JSON text with duplicate keys and an escaped field name",
    definition:
      '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "\\u0045nd": true,' +
      ' "Parameters": {"p": 1, "p.$": "$.p"}}}, "Comment": "St\\u0061tes"}',
  },
  {
    name: "as JSON text with a States field inside a payload",
    definition: '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"States": {"A": {"Type": "Pass"}}}, "End": true}}}',
  },
];

/**
 * Definitions on which asl-validator 4.0.0 throws (a TypeError from its QueryLanguage step or its checks)
 * instead of reporting: a state that is not an object, "States" that is null or a string, a payload
 * holding a Parameters field that is null or a Branches field that is not a list.
 */
export const LIBRARY_CRASH_CASES: AslCheckCase[] = [
  { name: "a state that is a string", definition: { StartAt: "A", States: { A: "oops" } } },
  { name: "States that is null", definition: { StartAt: "A", States: null } },
  { name: "a branch whose States is a string", definition: one({ Type: "Parallel", Branches: [{ StartAt: "X", States: "X" }], End: true }) },
  { name: "a payload holding States with a number in it", definition: one({ Type: "Pass", Parameters: { States: { x: 1 } }, End: true }) },
  { name: "a payload holding a null Parameters field", definition: one({ Type: "Pass", Parameters: { Parameters: null }, End: true }) },
  { name: "a payload holding a Branches field that is not a list", definition: one({ Type: "Pass", Parameters: { Branches: "x" }, End: true }) },
  {
    name: "a payload holding a Map state whose ItemReader.ReaderConfig is a string",
    definition: one({ Type: "Pass", Parameters: { States: { M: { Type: "Map", ItemReader: { ReaderConfig: "x" }, End: true } } }, End: true }),
  },
];
