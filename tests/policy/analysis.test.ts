import * as assert from "assert";
import { createRequire } from "module";
import {
  analyzeDefinition,
  DefinitionParseError,
  JsonSourceMap,
  parseDefinition,
  ScopeGraph,
  parseResource,
  toPointer,
  walkDefinition,
} from "../../policy/analysis";
import { compiledSchemaCheck, librarySchemaCheck, runAslValidator } from "../../policy/analysis/asl-validator";
import { CORPUS } from "./corpus";

function parseError(text: string, format: "json" | "yaml" = "json"): DefinitionParseError {
  try {
    parseDefinition(text, format);
  } catch (err) {
    if (err instanceof DefinitionParseError) return err;
    throw err;
  }
  throw new Error("expected a DefinitionParseError");
}

describe("policy analysis: parse", () => {
  it("locates a JSON error V8 reports with a position", () => {
    const err = parseError('{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass", "End": true,}\n  }\n}');
    assert.deepStrictEqual([err.line, err.column], [4, 39]);
    assert.match(err.message, /^line 4, column 39: invalid JSON: Expected double-quoted property name$/);
  });

  it("locates a JSON error V8 reports without a position (unexpected token)", () => {
    const err = parseError('{\n  "StartAt": "A",\n  "States": nope\n}');
    // "n" starts "null"; like JSON.parse, the error is at the "o" that breaks it.
    assert.deepStrictEqual([err.line, err.column], [3, 14]);
    assert.match(err.reason, /Unexpected token 'o'/);
    assert.doesNotMatch(err.message, /is not valid JSON/);
  });

  it("locates an unterminated document at its end", () => {
    const err = parseError('{\n  "StartAt": "A"');
    assert.strictEqual(err.line, 2);
  });

  it("refuses empty text and reads through a byte order mark", () => {
    assert.strictEqual(parseError(" \n\t").reason, "the definition is empty");
    assert.deepStrictEqual(parseDefinition('\uFEFF{"StartAt": "A"}').definition, { StartAt: "A" });
  });

  it("parses YAML, and locates YAML errors", () => {
    const parsed = parseDefinition("StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n", "yaml");
    assert.deepStrictEqual(parsed.definition, { StartAt: "A", States: { A: { Type: "Pass", End: true } } });
    assert.strictEqual(parsed.json, JSON.stringify(parsed.definition));
    const err = parseError("StartAt: A\nStates:\n  A: Type: Pass\n", "yaml");
    assert.strictEqual(err.line, 3);
    assert.match(err.message, /invalid YAML/);
  });

  it("reports a parse error as a definition-is-valid finding with its position", () => {
    const analysis = analyzeDefinition('{"StartAt": "A",\n "States": {"A": x}}');
    assert.ok(analysis.parseError);
    assert.strictEqual(analysis.findings.length, 1);
    assert.strictEqual(analysis.findings[0].rule, "definition-is-valid");
    assert.deepStrictEqual(analysis.findings[0].position, { line: 2, column: 18 });
    assert.deepStrictEqual(analysis.tasks, []);
  });
});

describe("policy analysis: resources", () => {
  const cases: Array<[string, Partial<ReturnType<typeof parseResource>>]> = [
    ["arn:aws:states:::glue:startJobRun", { partition: "aws", kind: "optimized", service: "glue", action: "startJobRun", pattern: "request-response" }],
    ["arn:aws-cn:states:::glue:startJobRun.sync", { partition: "aws-cn", kind: "optimized", pattern: "sync" }],
    ["arn:aws-us-gov:states:::states:startExecution.sync:2", { partition: "aws-us-gov", service: "states", action: "startExecution", pattern: "sync:2" }],
    ["arn:aws:states:::aws-sdk:glue:startCrawler.waitForTaskToken", { kind: "sdk", service: "glue", action: "startCrawler", pattern: "waitForTaskToken" }],
    ["arn:aws:states:::emr-serverless:startJobRun.sync", { kind: "optimized", service: "emr-serverless", pattern: "sync" }],
    [
      "arn:aws:lambda:us-east-1:123456789012:function:check-file:live",
      { kind: "lambda-function", service: "lambda", functionName: "check-file", qualifier: "live", pattern: "request-response" },
    ],
    ["arn:aws-cn:lambda:cn-north-1:123456789012:function:f:12", { partition: "aws-cn", kind: "lambda-function", functionName: "f", qualifier: "12" }],
    ["arn:aws:lambda:us-east-1:123456789012:function:f", { kind: "lambda-function", functionName: "f", qualifier: undefined }],
    ["arn:aws:states:eu-west-1:123456789012:activity:approve", { kind: "activity", activityName: "approve" }],
    ["arn:aws-iso:states:::glue:startJobRun", { kind: "unknown", partition: undefined }],
    ["{% $states.input.resource %}", { kind: "unknown" }],
  ];
  for (const [raw, expected] of cases) {
    it(`classifies ${raw}`, () => {
      const parsed = parseResource(raw);
      assert.strictEqual(parsed.raw, raw);
      for (const [key, value] of Object.entries(expected)) {
        assert.strictEqual(parsed[key as keyof typeof parsed], value, `${key} of ${raw}`);
      }
    });
  }

  it("classifies a non-string Resource as unknown, never throwing", () => {
    assert.strictEqual(parseResource(42).kind, "unknown");
    assert.strictEqual(parseResource(undefined).kind, "unknown");
  });
});

describe("policy analysis: walk", () => {
  const definition = {
    StartAt: "Fan out",
    States: {
      "Fan out": {
        Type: "Parallel",
        Branches: [
          { StartAt: "a/b", States: { "a/b": { Type: "Pass", End: true } } },
          { StartAt: "StartEtl", States: { StartEtl: { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", End: true } } },
        ],
        Next: "Each",
      },
      Each: { Type: "Map", Iterator: { StartAt: "x~y", States: { "x~y": { Type: "Pass", End: true } } }, End: true },
    },
  };

  it("gives every state a path and an RFC 6901 pointer, in document order", () => {
    const walk = walkDefinition(definition);
    assert.deepStrictEqual(
      walk.states.map((s) => [s.path, s.pointer]),
      [
        ["Fan out", "/States/Fan out"],
        ["Fan out > Branch 1 > a/b", "/States/Fan out/Branches/0/States/a~1b"],
        ["Fan out > Branch 2 > StartEtl", "/States/Fan out/Branches/1/States/StartEtl"],
        ["Each", "/States/Each"],
        ["Each > Iterator > x~y", "/States/Each/Iterator/States/x~0y"],
      ],
    );
    assert.strictEqual(walk.scopes.length, 4);
    assert.strictEqual(toPointer(["States", "a/b", 0]), "/States/a~1b/0");
  });

  it("takes the query language from the state, else the machine", () => {
    const walk = walkDefinition({
      QueryLanguage: "JSONata",
      StartAt: "A",
      States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", QueryLanguage: "JSONPath", End: true } },
    });
    assert.deepStrictEqual(
      walk.states.map((s) => s.queryLanguage),
      ["JSONata", "JSONPath"],
    );
  });

  it("tolerates malformed shapes", () => {
    assert.deepStrictEqual(walkDefinition(null).states, []);
    assert.deepStrictEqual(walkDefinition({ States: { A: 1, B: { Type: "Parallel", Branches: "no" } } }).states.map((s) => s.name), ["B"]);
  });

  it("lists tasks with the raw parameters and literal timeouts, for IAM derivation", () => {
    const { tasks } = analyzeDefinition({
      StartAt: "Fan out",
      States: {
        "Fan out": {
          Type: "Parallel",
          Branches: [
            {
              StartAt: "StartEtl",
              States: {
                StartEtl: { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", Parameters: { JobName: "orders" }, TimeoutSeconds: 600, End: true },
              },
            },
          ],
          End: true,
        },
      },
    });
    assert.deepStrictEqual(tasks, [
      {
        path: "Fan out > Branch 1 > StartEtl",
        name: "StartEtl",
        pointer: "/States/Fan out/Branches/0/States/StartEtl",
        resource: { raw: "arn:aws:states:::glue:startJobRun.sync", partition: "aws", kind: "optimized", service: "glue", action: "startJobRun", pattern: "sync" },
        queryLanguage: "JSONPath",
        parameters: { JobName: "orders" },
        timeoutSeconds: 600,
      },
    ]);
  });
});

describe("policy analysis: state graph", () => {
  function chainScope(n: number, loopBack: boolean) {
    const states: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) states[`S${i}`] = i + 1 < n ? { Type: "Pass", Next: `S${i + 1}` } : loopBack ? { Type: "Pass", Next: "S0" } : { Type: "Pass", End: true };
    return { pointer: "", pathSegments: [], startAt: "S0", states };
  }

  it("finds strongly connected components of 50,000 states without deep recursion", () => {
    assert.strictEqual(new ScopeGraph(chainScope(50_000, true)).stronglyConnectedComponents().length, 1);
    const open = new ScopeGraph(chainScope(50_000, false)).stronglyConnectedComponents();
    assert.strictEqual(open.length, 50_000);
    // Sinks first: the last state's component comes before the first state's.
    assert.deepStrictEqual([open[0], open[open.length - 1]], [["S49999"], ["S0"]]);
  });
});

describe("policy analysis: levels", () => {
  const rr = { StartAt: "S", States: { S: { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun", End: true } } };

  it("applies default levels, overrides and disabled rules", () => {
    assert.strictEqual(analyzeDefinition(rr).findings[0].level, "mandatory");
    assert.strictEqual(analyzeDefinition(rr, { levels: { "glue-task-must-wait": "advisory" } }).findings[0].level, "advisory");
    assert.deepStrictEqual(analyzeDefinition(rr, { levels: { "glue-task-must-wait": "disabled" } }).findings, []);
  });

  it("does not mutate the definition it is given", () => {
    const copy = structuredClone(rr);
    analyzeDefinition(rr);
    assert.deepStrictEqual(rr, copy);
  });
});

describe("policy analysis: asl-validator with a compiled schema", () => {
  const objects = CORPUS.map((c) => c.definition).filter((d): d is object => typeof d === "object");
  const options = { checkPaths: true, checkArn: true };

  it("selects exactly the errors the library's own schema check selects, on the whole corpus", function () {
    this.timeout(120_000);
    for (const definition of objects) {
      assert.deepStrictEqual(compiledSchemaCheck(structuredClone(definition), options), librarySchemaCheck(structuredClone(definition), options));
    }
    const invalid = { StartAt: "A", States: { A: { Type: "Task", Resource: "nope", Nxt: "B" }, B: { Type: "Wait", End: true } } };
    assert.ok(compiledSchemaCheck(structuredClone(invalid), options).length > 0);
    assert.deepStrictEqual(compiledSchemaCheck(structuredClone(invalid), options), librarySchemaCheck(structuredClone(invalid), options));
  });

  it("does not recompile per call: after the first validation no schema is added to Ajv again", () => {
    // Count Ajv.addSchema on the Ajv that asl-validator loads: each fresh instance adds the 15 ASL schemas.
    const aslRequire = createRequire(require.resolve("asl-validator"));
    const ajvModule = aslRequire("ajv") as { default?: { prototype: { addSchema: (...args: unknown[]) => unknown } } };
    const prototype = (ajvModule.default ?? (ajvModule as unknown as { prototype: { addSchema: (...args: unknown[]) => unknown } })).prototype;
    const original = prototype.addSchema;
    let added = 0;
    prototype.addSchema = function (this: unknown, ...args: unknown[]) {
      added++;
      return original.apply(this, args);
    };
    try {
      const definition = objects[0];
      runAslValidator(definition);
      added = 0;
      for (let i = 0; i < 5; i++) runAslValidator(definition);
      assert.equal(added, 0, "runAslValidator compiled schemas again");
      librarySchemaCheck(structuredClone(definition), { checkPaths: true, checkArn: true } as Parameters<typeof librarySchemaCheck>[1]);
      assert.ok(added > 0, "control: the library's own check adds its schemas on every call");
    } finally {
      prototype.addSchema = original;
    }
  });

  it("parses each distinct path once: format answers are remembered across states and calls", () => {
    // asl-path-validator's generated PEG parser, which its formats call through the module's export.
    const aslRequire = createRequire(require.resolve("asl-validator"));
    const parser = aslRequire("asl-path-validator/dist/generated/aslPaths") as { parse: (path: string, ...rest: unknown[]) => unknown };
    const original = parser.parse;
    const parsed: string[] = [];
    parser.parse = (path, ...rest) => {
      parsed.push(path);
      return original(path, ...rest);
    };
    try {
      // Ten states share each path; the names are this test's own, so no earlier analysis has seen them.
      const states: Record<string, object> = {};
      for (let i = 0; i < 20; i++) states[`S${i}`] = { Type: "Pass", InputPath: `$.remembered${i % 2}`, ...(i < 19 ? { Next: `S${i + 1}` } : { End: true }) };
      const text = JSON.stringify({ StartAt: "S0", States: states });
      assert.deepStrictEqual(analyzeDefinition(text).findings, []);
      assert.deepStrictEqual(parsed.filter((p) => p.startsWith("$.remembered")).sort(), ["$.remembered0", "$.remembered1"]);
      parsed.length = 0;
      assert.deepStrictEqual(analyzeDefinition(text).findings, []);
      assert.deepStrictEqual(parsed, [], "a second analysis parses nothing again");
    } finally {
      parser.parse = original;
    }
  });

  it("gives asl-validator a copy (the library sets QueryLanguage on what it gets)", () => {
    const definition = { StartAt: "A", States: { A: { Type: "Pass", End: true } } };
    runAslValidator(definition);
    assert.deepStrictEqual(definition, { StartAt: "A", States: { A: { Type: "Pass", End: true } } });
  });
});

describe("policy analysis: JSON source positions", () => {
  const text = '{\n  "StartAt": "A",\n  "States": {\n    "A": {\n      "Type": "Task",\n      "Resource": "r",\n      "End": true\n    },\n    "x/y": { "Type": "Pass", "End": true }\n  },\n  "List": [1, {"k": 2}]\n}';
  const map = new JsonSourceMap(text);

  it("locates members by pointer, escaped names and array elements included", () => {
    assert.deepStrictEqual(map.locate("/States/A"), { line: 4, column: 5 });
    assert.deepStrictEqual(map.locate("/States/A/Resource"), { line: 6, column: 7 });
    assert.deepStrictEqual(map.locate("/States/x~1y"), { line: 9, column: 5 });
    assert.deepStrictEqual(map.locate("/List/1/k"), { line: 11, column: 16 });
    assert.deepStrictEqual(map.locate(""), { line: 1, column: 1 });
  });

  it("falls back to the deepest member that exists", () => {
    assert.deepStrictEqual(map.locate("/States/A/Parameters"), { line: 4, column: 5 });
  });
});

describe("policy analysis: an SDK call with .sync is told only the waits its API allows", () => {
  const fixOf = (resource: string, parameters: Record<string, unknown>) => {
    const definition = { StartAt: "A", States: { A: { Type: "Task", Resource: resource, Parameters: parameters, TimeoutSeconds: 60, End: true } } };
    const finding = analyzeDefinition(definition).findings.find((f) => f.rule === "integration-pattern-supported");
    assert.ok(finding, "the .sync form is refused");
    return finding.message;
  };

  it("StartCrawler takes only a name: a polling loop on GetCrawler, never a task token", () => {
    const message = fixOf("arn:aws:states:::aws-sdk:glue:startCrawler.sync", { Name: "c" });
    assert.match(message, /a Wait, then `arn:aws:states:::aws-sdk:glue:getCrawler`, then a Choice/);
    assert.match(message, /nowhere to carry a task token/);
    assert.doesNotMatch(message, /waitForTaskToken/);
  });

  it("StartWorkflowRun can carry the token in RunProperties: both waits, each with where it goes", () => {
    const message = fixOf("arn:aws:states:::aws-sdk:glue:startWorkflowRun.sync", { Name: "w" });
    assert.match(message, /`arn:aws:states:::aws-sdk:glue:startWorkflowRun\.waitForTaskToken` with \$\$\.Task\.Token inside RunProperties/);
    assert.match(message, /`arn:aws:states:::aws-sdk:glue:getWorkflowRun`/);
  });
});
