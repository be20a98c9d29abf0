import * as assert from "assert";
import { libraryTransitionTargetCheck, linearTransitionTargetCheck, runAslValidator } from "../../policy/analysis/asl-validator";
import { generateDefinition } from "../../bench/definitions";
import { CORPUS } from "./corpus";

describe("policy analysis: asl-validator's missing-transition-target check without quadratic scans", () => {
  const broken: object[] = [
    // a Next to nowhere, an unreachable state, and the same names in two scopes
    { StartAt: "A", States: { A: { Type: "Pass", Next: "Nowhere" }, B: { Type: "Succeed" } } },
    {
      StartAt: "P",
      States: {
        P: { Type: "Parallel", Branches: [{ StartAt: "X", States: { X: { Type: "Pass", Next: "Y" }, Y: { Type: "Succeed" } } }, { StartAt: "X", States: { X: { Type: "Succeed" } } }], Next: "Done" },
        Done: { Type: "Succeed" },
        Orphan: { Type: "Fail" },
      },
    },
    { StartAt: 7, States: { A: { Type: "Choice", Choices: [{ Variable: "$.x", IsPresent: true, Next: "A" }], Default: { odd: true } } } },
    { StartAt: "A", States: "not an object" },
  ];

  it("finds exactly the library's errors, in its order, on the corpus, broken machines and generated ones", () => {
    const definitions = [
      ...CORPUS.map((c) => c.definition).filter((d): d is object => typeof d === "object" && d !== null),
      ...broken,
      JSON.parse(generateDefinition(300).text) as object,
    ];
    for (const definition of definitions) {
      assert.deepStrictEqual(linearTransitionTargetCheck(structuredClone(definition)), libraryTransitionTargetCheck(structuredClone(definition)));
    }
    assert.deepStrictEqual(linearTransitionTargetCheck(broken[0]), [
      { "Error code": "MISSING_TRANSITION_TARGET", Message: "State B is not reachable" },
      { "Error code": "MISSING_TRANSITION_TARGET", Message: "Missing 'StartAt'|'Next'|'Default' target: Nowhere" },
    ]);
  });

  it("is the check asl-validator runs inside the analysis", () => {
    const errors = runAslValidator({ StartAt: "A", States: { A: { Type: "Pass", Next: "Nowhere" }, B: { Type: "Succeed" } } });
    assert.deepStrictEqual(
      errors.filter((e) => e["Error code"] === "MISSING_TRANSITION_TARGET").map((e) => e.Message),
      ["State B is not reachable", "Missing 'StartAt'|'Next'|'Default' target: Nowhere"],
    );
  });
});
