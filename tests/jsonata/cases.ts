import * as assert from "node:assert/strict";
import type { ConformanceCase } from "./run-case";

/**
 * The conformance suite of the sandbox's JSONata and variables execution. Each case's expected outcome
 * was written from the named page of the AWS Step Functions developer guide before the sandbox ran it.
 */
const TRANSFORMING = "Transforming data with JSONata in Step Functions";
const VARIABLES = "Passing data between states with variables";
const ERRORS = "Handling errors in Step Functions workflows";
const CHOICE = "Choice workflow state";
const MAP = "Map workflow state";
const PARALLEL = "Parallel workflow state";
const WAIT = "Wait workflow state";
const FAIL = "Fail workflow state";
const TASK = "Task workflow state";
const CONTEXT_PAGE = "Accessing execution data from the Context object in Step Functions";

/** A one-state JSONata machine. */
const single = (state: Record<string, unknown>) => ({ QueryLanguage: "JSONata", StartAt: "S", States: { S: { End: true, ...state } } });
const pass = (output: unknown) => single({ Type: "Pass", Output: output });
const echo = async (args: unknown) => ({ Payload: args });

export const CASES: ConformanceCase[] = [
  // --- Expressions in field values ---
  {
    name: "the JSONPath-to-JSONata conversion sample: {% %} strings evaluated, other strings literal",
    page: TRANSFORMING,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Name",
      States: {
        Name: { Type: "Pass", Assign: { customerName: "María" }, Next: "Convert" },
        Convert: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Arguments: { static: "Hello", title: "{% $states.input.title %}", name: "{% $customerName %}", "not-evaluated": "$customerName" },
          Output: "{% $states.result.Payload %}",
          End: true,
        },
      },
    },
    input: { title: "Doctor" },
    tasks: { Convert: echo },
    expected: { output: { static: "Hello", title: "Doctor", name: "María", "not-evaluated": "$customerName" } },
  },
  {
    name: "expressions in strings nested in objects and arrays; numbers, booleans and null stay literal",
    page: TRANSFORMING,
    definition: pass({ list: ["{% $states.input.a * 2 %}", "a", 1, true, null], deep: { x: { y: "{% $uppercase($states.input.s) %}" } }, partial: "x {% 1 %}" }),
    input: { a: 21, s: "abc" },
    expected: { output: { list: [42, "a", 1, true, null], deep: { x: { y: "ABC" } }, partial: "x {% 1 %}" } },
  },
  {
    name: "a whole-value expression can build any JSON value",
    page: TRANSFORMING,
    definition: pass("{% { 'total': $sum($states.input.items.price), 'names': $states.input.items.name } %}"),
    input: { items: [{ name: "a", price: 2 }, { name: "b", price: 3 }] },
    expected: { output: { total: 5, names: ["a", "b"] } },
  },
  {
    name: "an expression whose result is undefined fails with States.QueryEvaluationError",
    page: ERRORS,
    definition: pass("{% $states.input.missing %}"),
    input: {},
    expected: { error: "States.QueryEvaluationError", cause: /returned nothing \(undefined\)/ },
  },
  {
    name: "an expression that fails to evaluate (type error) fails with States.QueryEvaluationError",
    page: ERRORS,
    definition: pass("{% $states.input.s + 1 %}"),
    input: { s: "text" },
    expected: { error: "States.QueryEvaluationError", cause: /Output/ },
  },
  // --- The functions Step Functions adds ---
  {
    name: "$partition splits an array into chunks, the last one shorter",
    page: TRANSFORMING,
    definition: pass({ even: "{% $partition([1,2,3,4], 2) %}", odd: "{% $partition([1,2,3,4,5], 2) %}" }),
    expected: { output: { even: [[1, 2], [3, 4]], odd: [[1, 2], [3, 4], [5]] } },
  },
  {
    name: "$range includes its end, with a positive or negative step",
    page: TRANSFORMING,
    definition: pass({ up: "{% $range(0, 10, 2) %}", down: "{% $range(5, 1, -2) %}" }),
    expected: { output: { up: [0, 2, 4, 6, 8, 10], down: [5, 3, 1] } },
  },
  {
    name: "$hash gives the hex digest with the named algorithm",
    page: TRANSFORMING,
    definition: pass({ sha1: "{% $hash('input', 'SHA-1') %}", md5: "{% $hash('input', 'MD5') %}" }),
    expected: { output: { sha1: "140f86aae51ab9e1cda9b4254fe98a74eb54c1a1", md5: "a43c1b0aa53a0c908810c06ab1ff3967" } },
  },
  {
    name: "$hash refuses an algorithm it does not offer",
    page: TRANSFORMING,
    definition: pass("{% $hash('input', 'SHA-3') %}"),
    expected: { error: "States.QueryEvaluationError", cause: /MD5, SHA-1, SHA-256, SHA-384, SHA-512/ },
  },
  {
    name: "$random() is in [0, 1); $random(seed) gives the same number for the same seed",
    page: TRANSFORMING,
    definition: pass({ any: "{% $random() %}", a: "{% $random(42) %}", b: "{% $random(42) %}", c: "{% $random(7) %}" }),
    expected: {
      check: (output) => {
        const o = output as Record<string, number>;
        assert.ok(o.any >= 0 && o.any < 1);
        assert.equal(o.a, o.b);
        assert.notEqual(o.a, o.c);
        assert.ok(o.a >= 0 && o.a < 1);
      },
    },
  },
  {
    name: "$uuid() gives a version 4 UUID",
    page: TRANSFORMING,
    definition: pass("{% $uuid() %}"),
    expected: { check: (output) => assert.match(String(output), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/) },
  },
  {
    name: "$parse turns a JSON string into its value",
    page: TRANSFORMING,
    definition: pass("{% $parse($states.input.json_string) %}"),
    input: { json_string: '{"foo": "bar"}' },
    expected: { output: { foo: "bar" } },
  },
  {
    name: "$eval is not available in Step Functions ($parse replaces it)",
    page: TRANSFORMING,
    definition: pass("{% $eval('1 + 1') %}"),
    expected: { error: "States.QueryEvaluationError", cause: /\$eval is not available/ },
  },
  // --- $states ---
  {
    name: "$states.context holds Execution (with Input), State and StateMachine",
    page: CONTEXT_PAGE,
    definition: pass({
      input: "{% $states.context.Execution.Input %}",
      execution: "{% $states.context.Execution.Name %}",
      state: "{% $states.context.State.Name %}",
      retries: "{% $states.context.State.RetryCount %}",
      machine: "{% $states.context.StateMachine.Name %}",
    }),
    input: { order: 7 },
    expected: { output: { input: { order: 7 }, execution: "run-1", state: "S", retries: 0, machine: "case" } },
  },
  {
    name: "a Task's Arguments read $states.context.Task.Token; its result is $states.result, the default Output",
    page: TASK,
    definition: single({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", Arguments: { token: "{% $states.context.Task.Token %}", n: "{% $states.input.n %}" } }),
    input: { n: 3 },
    tasks: { S: echo },
    expected: { output: { Payload: { token: "token-S-1", n: 3 } } },
  },
  {
    name: "a Task's TimeoutSeconds may be an expression; the Task then times out with States.Timeout",
    page: TASK,
    definition: single({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", TimeoutSeconds: "{% $states.input.timeout %}" }),
    input: { timeout: 1 },
    tasks: { S: () => new Promise((resolve) => setTimeout(() => resolve({}), 3000)) },
    expected: { error: "States.Timeout" },
  },
  {
    name: "TimeoutSeconds from an expression must be a positive integer",
    page: TASK,
    definition: single({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", HeartbeatSeconds: "{% 'soon' %}" }),
    tasks: { S: echo },
    expected: { error: "States.QueryEvaluationError", cause: /HeartbeatSeconds/ },
  },
  // --- Choice ---
  {
    name: "Choice takes the first rule whose Condition is true",
    page: CHOICE,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Pick",
      States: {
        Pick: {
          Type: "Choice",
          Choices: [
            { Condition: "{% $states.input.n > 100 %}", Next: "Big" },
            { Condition: "{% $states.input.n > 5 %}", Next: "Medium" },
          ],
          Default: "Small",
        },
        Big: { Type: "Pass", Output: "big", End: true },
        Medium: { Type: "Pass", Output: "medium", End: true },
        Small: { Type: "Pass", Output: "small", End: true },
      },
    },
    input: { n: 10 },
    expected: { output: "medium" },
  },
  {
    name: "Choice without a matching rule nor Default fails with States.NoChoiceMatched",
    page: CHOICE,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Pick",
      States: { Pick: { Type: "Choice", Choices: [{ Condition: "{% $states.input.n > 100 %}", Next: "Big" }] }, Big: { Type: "Succeed" } },
    },
    input: { n: 1 },
    expected: { error: "States.NoChoiceMatched" },
  },
  {
    name: "a Choice rule's Output and Assign apply when it matches",
    page: CHOICE,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Pick",
      States: {
        Pick: { Type: "Choice", Choices: [{ Condition: "{% true %}", Output: { picked: "{% $states.input.n %}" }, Assign: { route: "first" }, Next: "Done" }], Default: "Done" },
        Done: { Type: "Pass", Output: "{% $merge([$states.input, { 'route': $route }]) %}", End: true },
      },
    },
    input: { n: 4 },
    expected: { output: { picked: 4, route: "first" } },
  },
  // --- Wait, Fail, Succeed ---
  {
    name: "Wait Seconds from an expression, then the input passes through",
    page: WAIT,
    definition: single({ Type: "Wait", Seconds: "{% $states.input.delay %}" }),
    input: { delay: 0, keep: true },
    expected: { output: { delay: 0, keep: true } },
  },
  {
    name: "Wait until a Timestamp in the past goes on at once",
    page: WAIT,
    definition: single({ Type: "Wait", Timestamp: "{% $states.input.at %}", Output: "waited" }),
    input: { at: "2020-01-01T00:00:00Z" },
    expected: { output: "waited" },
  },
  {
    name: "Fail Error and Cause may be expressions",
    page: FAIL,
    definition: { QueryLanguage: "JSONata", StartAt: "F", States: { F: { Type: "Fail", Error: "{% 'Order.' & $states.input.code %}", Cause: "{% 'order ' & $string($states.input.id) & ' rejected' %}" } } },
    input: { code: "Rejected", id: 12 },
    expected: { error: "Order.Rejected", cause: /^order 12 rejected$/ },
  },
  {
    name: "Succeed's Output shapes the execution's output",
    page: TRANSFORMING,
    definition: single({ Type: "Succeed", Output: { done: "{% $states.input.n + 1 %}" } }),
    input: { n: 1 },
    expected: { output: { done: 2 } },
  },
  // --- Map and Parallel ---
  {
    name: "Map Items from an expression; ItemSelector reads $states.context.Map.Item.Index and Value",
    page: MAP,
    definition: single({
      Type: "Map",
      Items: "{% $states.input.orders %}",
      ItemSelector: { index: "{% $states.context.Map.Item.Index %}", id: "{% $states.context.Map.Item.Value.id %}", region: "{% $states.input.region %}" },
      ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "Tag", States: { Tag: { Type: "Pass", Output: "{% $states.input.region & '-' & $string($states.input.id) & '#' & $string($states.input.index) %}", End: true } } },
    }),
    input: { region: "eu", orders: [{ id: 7 }, { id: 9 }] },
    expected: { output: ["eu-7#0", "eu-9#1"] },
  },
  {
    name: "Map Items that are not an array fail with States.QueryEvaluationError",
    page: MAP,
    definition: single({ Type: "Map", Items: "{% $states.input.one %}", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } } }),
    input: { one: { id: 1 } },
    expected: { error: "States.QueryEvaluationError", cause: /Items/ },
  },
  {
    name: "Parallel gives every branch its Arguments; its result is the array of branch outputs",
    page: PARALLEL,
    definition: single({
      Type: "Parallel",
      Arguments: { n: "{% $states.input.n %}" },
      Branches: [
        { StartAt: "Double", States: { Double: { Type: "Pass", Output: "{% $states.input.n * 2 %}", End: true } } },
        { StartAt: "Square", States: { Square: { Type: "Pass", Output: "{% $states.input.n * $states.input.n %}", End: true } } },
      ],
      Output: { sum: "{% $sum($states.result) %}" },
    }),
    input: { n: 3 },
    expected: { output: { sum: 15 } },
  },
  // --- Variables ---
  {
    name: "a variable assigned in one state is read in a later state, not only the next one",
    page: VARIABLES,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Step1",
      States: {
        Step1: { Type: "Pass", Assign: { x: "{% $states.input.value %}" }, Output: {}, Next: "Step2" },
        Step2: { Type: "Pass", Output: { other: 1 }, Next: "Step3" },
        Step3: { Type: "Pass", Output: { x: "{% $x %}", input: "{% $states.input %}" }, End: true },
      },
    },
    input: { value: "kept" },
    expected: { output: { x: "kept", input: { other: 1 } } },
  },
  {
    name: "Assign and Output of a state both see the variables as they were when it was entered",
    page: VARIABLES,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { x: 1 }, Next: "Bump" },
        Bump: { Type: "Pass", Assign: { x: "{% $x + 1 %}", before: "{% $x %}" }, Output: { seen: "{% $x %}" }, Next: "After" },
        After: { Type: "Pass", Output: { seen: "{% $states.input.seen %}", x: "{% $x %}", before: "{% $before %}" }, End: true },
      },
    },
    expected: { output: { seen: 1, x: 2, before: 1 } },
  },
  {
    name: "a Task's Assign reads $states.result",
    page: VARIABLES,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Call",
      States: {
        Call: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Arguments: { id: 5 }, Assign: { id: "{% $states.result.Payload.id %}" }, Output: {}, Next: "Use" },
        Use: { Type: "Pass", Output: "{% $id %}", End: true },
      },
    },
    tasks: { Call: echo },
    expected: { output: 5 },
  },
  {
    name: "Map iterations see outer variables; their assignments do not leak out (only Output does)",
    page: VARIABLES,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { factor: 10, inner: "outer" }, Next: "Each" },
        Each: {
          Type: "Map",
          Items: "{% [1, 2] %}",
          ItemProcessor: {
            StartAt: "Scale",
            States: {
              Scale: { Type: "Pass", Assign: { inner: "{% 'iteration ' & $string($states.input) %}" }, Next: "Read" },
              Read: { Type: "Pass", Output: "{% $states.context.Execution.Name & ':' & $inner & '=' & $string($states.input * $factor) %}", End: true },
            },
          },
          Next: "After",
        },
        After: { Type: "Pass", Output: { results: "{% $states.input %}", inner: "{% $inner %}" }, End: true },
      },
    },
    expected: { output: { results: ["run-1:iteration 1=10", "run-1:iteration 2=20"], inner: "outer" } },
  },
  {
    name: "Parallel branches see outer variables; a branch's assignment is not seen by its sibling nor after",
    page: VARIABLES,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { v: "outer" }, Next: "Fan" },
        Fan: {
          Type: "Parallel",
          Branches: [
            { StartAt: "Set", States: { Set: { Type: "Pass", Assign: { v: "branch 1" }, Next: "Get" }, Get: { Type: "Pass", Output: "{% $v %}", End: true } } },
            { StartAt: "Get", States: { Get: { Type: "Pass", Output: "{% $v %}", End: true } } },
          ],
          Next: "After",
        },
        After: { Type: "Pass", Output: { branches: "{% $states.input %}", v: "{% $v %}" }, End: true },
      },
    },
    expected: { output: { branches: ["branch 1", "outer"], v: "outer" } },
  },
  {
    name: "a state assigns at most 256 KiB of variables; more fails with States.DataLimitExceeded, which States.ALL does not catch",
    page: VARIABLES,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Big",
      States: {
        Big: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Assign: { big: "{% $pad('', 262145, 'x') %}" },
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }],
          End: true,
        },
        Caught: { Type: "Succeed" },
      },
    },
    tasks: { Big: echo },
    expected: { error: "States.DataLimitExceeded", cause: /over the 262144 bytes/ },
  },
  {
    name: "just under 256 KiB of variables is assigned",
    page: VARIABLES,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Big",
      States: { Big: { Type: "Pass", Assign: { big: "{% $pad('', 262000, 'x') %}" }, Next: "Len" }, Len: { Type: "Pass", Output: "{% $length($big) %}", End: true } },
    },
    expected: { output: 262000 },
  },
  // --- Retry and Catch ---
  {
    name: "Catch: Output defaults to $states.errorOutput {Error, Cause}",
    page: ERRORS,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Call",
      States: {
        Call: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Handled" }], End: true },
        Handled: { Type: "Pass", End: true },
      },
    },
    tasks: { Call: async () => Promise.reject(Object.assign(new Error("the file is missing"), { name: "FileNotFound" })) },
    expected: { output: { Error: "FileNotFound", Cause: "the file is missing" } },
  },
  {
    name: "Catch: Output and Assign see $states.input and $states.errorOutput",
    page: ERRORS,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Catch: [{ ErrorEquals: ["FileNotFound"], Assign: { failedKey: "{% $states.input.key %}" }, Output: { error: "{% $states.errorOutput.Error %}" }, Next: "Handled" }],
          End: true,
        },
        Handled: { Type: "Pass", Output: "{% $merge([$states.input, { 'key': $failedKey }]) %}", End: true },
      },
    },
    input: { key: "data/orders.csv" },
    tasks: { Call: async () => Promise.reject(Object.assign(new Error("gone"), { name: "FileNotFound" })) },
    expected: { output: { error: "FileNotFound", key: "data/orders.csv" } },
  },
  {
    name: "Retry retries the errors it names, then the Task succeeds; State.RetryCount counts the retries",
    page: ERRORS,
    definition: single({
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Arguments: { retry: "{% $states.context.State.RetryCount %}" },
      Retry: [{ ErrorEquals: ["Transient"], IntervalSeconds: 0.01, MaxAttempts: 3 }],
    }),
    tasks: {
      S: async (args) => {
        if ((args as { retry: number }).retry < 2) throw Object.assign(new Error("try again"), { name: "Transient" });
        return { attempt: (args as { retry: number }).retry };
      },
    },
    expected: { output: { attempt: 2 } },
  },
  {
    name: "States.QueryEvaluationError in a Task's Output can be caught by its Catch",
    page: ERRORS,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Output: "{% $states.result.nothing %}",
          Catch: [{ ErrorEquals: ["States.QueryEvaluationError"], Output: "{% $states.errorOutput.Error %}", Next: "Caught" }],
          End: true,
        },
        Caught: { Type: "Pass", End: true },
      },
    },
    tasks: { Call: echo },
    expected: { output: "States.QueryEvaluationError" },
  },
  {
    name: "Retry exhausted, then Catch: States.TaskFailed matches the Task's error",
    page: ERRORS,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 0.01, MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ["States.TaskFailed"], Output: { caught: "{% $states.errorOutput.Error %}", attempts: "{% $states.context.State.RetryCount %}" }, Next: "Done" }],
          End: true,
        },
        Done: { Type: "Succeed" },
      },
    },
    tasks: { Call: async () => Promise.reject(Object.assign(new Error("again"), { name: "Flaky" })) },
    expected: { output: { caught: "Flaky", attempts: 2 } },
  },
  {
    name: "States.TaskFailed does not match States.Timeout",
    page: ERRORS,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Call",
      States: {
        Call: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", TimeoutSeconds: 1, Catch: [{ ErrorEquals: ["States.TaskFailed"], Next: "Done" }], End: true },
        Done: { Type: "Succeed" },
      },
    },
    tasks: { Call: () => new Promise((resolve) => setTimeout(() => resolve({}), 3000)) },
    expected: { error: "States.Timeout" },
  },
  {
    name: "a failing Parallel branch fails the Parallel state, whose Catch gets the branch's error",
    page: PARALLEL,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Fan",
      States: {
        Fan: {
          Type: "Parallel",
          Branches: [
            { StartAt: "Ok", States: { Ok: { Type: "Pass", End: true } } },
            { StartAt: "Bad", States: { Bad: { Type: "Fail", Error: "Branch.Failed", Cause: "branch 2" } } },
          ],
          Catch: [{ ErrorEquals: ["Branch.Failed"], Output: "{% $states.errorOutput %}", Next: "Done" }],
          End: true,
        },
        Done: { Type: "Succeed" },
      },
    },
    expected: { output: { Error: "Branch.Failed", Cause: "branch 2" } },
  },
  {
    name: "Map Items may be a literal array; MaxConcurrency may be an expression",
    page: MAP,
    definition: single({
      Type: "Map",
      Items: [1, 2, 3],
      MaxConcurrency: "{% $states.input.concurrency %}",
      ItemProcessor: { StartAt: "Square", States: { Square: { Type: "Pass", Output: "{% $states.input * $states.input %}", End: true } } },
    }),
    input: { concurrency: 1 },
    expected: { output: [1, 4, 9] },
  },
  {
    name: "a Choice Condition that is not a boolean fails with States.QueryEvaluationError",
    page: CHOICE,
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Pick",
      States: { Pick: { Type: "Choice", Choices: [{ Condition: "{% $states.input.n %}", Next: "Done" }], Default: "Done" }, Done: { Type: "Succeed" } },
    },
    input: { n: 3 },
    expected: { error: "States.QueryEvaluationError", cause: /Condition/ },
  },
  {
    name: "Wait Seconds must be a non-negative integer",
    page: WAIT,
    definition: single({ Type: "Wait", Seconds: "{% -1 %}" }),
    expected: { error: "States.QueryEvaluationError", cause: /Seconds/ },
  },
  {
    name: "$states.result exists only once a Task, Parallel or Map has a result: a Pass state has none",
    page: TRANSFORMING,
    definition: pass("{% $states.result %}"),
    expected: { error: "States.QueryEvaluationError" },
  },
  {
    name: "$states.errorOutput exists only in a Catch",
    page: TRANSFORMING,
    definition: single({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Output: "{% $states.errorOutput %}" }),
    tasks: { S: echo },
    expected: { error: "States.QueryEvaluationError" },
  },
  // --- Validation (CreateStateMachine) ---
  {
    name: "a JSONata state refuses the JSONPath-only fields (Parameters, ResultPath...)",
    page: TRANSFORMING,
    definition: single({ Type: "Pass", Parameters: { "a.$": "$.a" }, ResultPath: "$.r" }),
    expected: { definitionError: /S: Parameters: the field 'Parameters' is not supported in JSONata states[\s\S]*S: ResultPath/ },
  },
  {
    name: "a JSONata state machine cannot switch a state back to JSONPath",
    page: TRANSFORMING,
    definition: single({ Type: "Pass", QueryLanguage: "JSONPath" }),
    expected: { definitionError: /S: QueryLanguage: a state of a JSONata state machine cannot use JSONPath/ },
  },
  {
    name: "an expression with a syntax error is refused at deployment, naming the field",
    page: TRANSFORMING,
    definition: pass({ ok: "{% 1 + %}" }),
    expected: { definitionError: /S: Output\.ok: the JSONata expression '1 \+' is not valid/ },
  },
  {
    name: "$states is reserved and cannot be assigned",
    page: VARIABLES,
    definition: single({ Type: "Pass", Assign: { states: 1 } }),
    expected: { definitionError: /Assign\.states: 'states' is reserved/ },
  },
  {
    name: "Distributed Map is refused: the sandbox does not run it",
    page: MAP,
    definition: single({ Type: "Map", ItemReader: { Resource: "arn:aws:states:::s3:getObject" }, ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } } }),
    expected: { definitionError: /S: ItemReader: Distributed Map[\s\S]*ProcessorConfig\.Mode/ },
  },
];
