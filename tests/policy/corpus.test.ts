import * as assert from "assert";
import { analyzeDefinition, RULE_IDS } from "../../policy/analysis";
import { CORPUS } from "./corpus";

describe("policy analysis: rule corpus", () => {
  it("has at least 60 definitions, each named once", () => {
    assert.ok(CORPUS.length >= 60, `only ${CORPUS.length} definitions`);
    assert.strictEqual(new Set(CORPUS.map((c) => c.name)).size, CORPUS.length);
  });

  for (const c of CORPUS) {
    it(c.name, () => {
      const { findings } = analyzeDefinition(c.definition, { workflowType: c.workflowType });
      for (const rule of RULE_IDS) {
        const found = findings.filter((f) => f.rule === rule);
        assert.deepStrictEqual(
          found.map((f) => f.state).sort(),
          [...(c.expect[rule] ?? [])].sort(),
          `${rule}: ${JSON.stringify(found.map((f) => `${f.state}: ${f.message}`), null, 1)}`,
        );
        for (const text of c.messages?.[rule] ?? []) {
          for (const f of found) assert.ok(f.message.includes(text), `${rule} message lacks ${JSON.stringify(text)}: ${f.message}`);
        }
      }
    });
  }
});
