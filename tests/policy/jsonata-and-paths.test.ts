/**
 * What Step Functions accepts in JSONata and JSONPath states, per "Transforming data with JSONata in Step
 * Functions" (a string that begins with "{%" and ends with "%}" is an expression, any other string is a
 * literal; Arguments and Output may be one whole expression) and "Using JSONPath paths" (Paths use Jayway
 * JsonPath, which has bracket unions of names and of indexes). Syntax errors are found with the jsonata
 * library's parser and reported at their field with their position.
 */
import * as assert from "assert";
import { analyzeDefinition } from "../../policy/analysis";

function jsonataMachine(state: object): object {
  return { QueryLanguage: "JSONata", StartAt: "S", States: { S: { ...state, End: true } } };
}

const LAMBDA = "arn:aws:states:::lambda:invoke";

describe("policy analysis: JSONata and JSONPath as Step Functions reads them", () => {
  const valid: Record<string, object> = {
    "literal text outside {% %}, the empty string and several lines": jsonataMachine({ Type: "Pass", Output: { greeting: "hello world", none: "", lines: "one\ntwo" } }),
    "no exact spacing inside the delimiters": jsonataMachine({ Type: "Pass", Output: "{% $states.input.Items%}" }),
    "an expression over several lines": jsonataMachine({ Type: "Pass", Output: { count: "{%\n  $count(\n    $states.input.Items\n  )\n%}" } }),
    "Arguments as one whole expression": jsonataMachine({ Type: "Task", Resource: LAMBDA, Arguments: "{% {'FunctionName': 'f', 'Payload': $states.input} %}" }),
    "a union of names in ResultSelector (JSONPath)": {
      StartAt: "S",
      States: { S: { Type: "Task", Resource: LAMBDA, Parameters: { FunctionName: "f" }, ResultSelector: { "picked.$": "$.Payload['id','name']", "first.$": "$.Payload.items[0,1]" }, End: true } },
    },
  };
  for (const [name, definition] of Object.entries(valid)) {
    it(`valid: ${name}`, () => {
      assert.deepStrictEqual(analyzeDefinition(definition).findings.map((f) => f.message), []);
    });
  }

  it("reports a real JSONata syntax error at its field and position, once", () => {
    const findings = analyzeDefinition(jsonataMachine({ Type: "Pass", Output: { total: "{% $sum($states.input.Items.price %}" } })).findings;
    assert.strictEqual(findings.length, 1, findings.map((f) => f.message).join("\n"));
    assert.strictEqual(findings[0].pointer, "/States/S/Output/total");
    assert.match(findings[0].message, /"Output\.total" of "S" is not a valid JSONata expression: .*\(S0203\) at character \d+ of the expression/);
  });

  it("reports each bad expression of a definition with its own location", () => {
    const definition = {
      QueryLanguage: "JSONata",
      StartAt: "A",
      States: { A: { Type: "Pass", Output: "{% $states.input. %}", Next: "B" }, B: { Type: "Pass", Output: { x: "{% ( %}" }, End: true } },
    };
    assert.deepStrictEqual(analyzeDefinition(definition).findings.map((f) => f.pointer), ["/States/A/Output", "/States/B/Output/x"]);
  });

  it("an empty expression {% %} is an error, the empty literal is not", () => {
    assert.strictEqual(analyzeDefinition(jsonataMachine({ Type: "Pass", Output: "{% %}" })).findings.length, 1);
    assert.strictEqual(analyzeDefinition(jsonataMachine({ Type: "Pass", Output: "" })).findings.length, 0);
  });
});
