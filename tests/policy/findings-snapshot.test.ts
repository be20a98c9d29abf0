/**
 * The analysis's findings on every definition we have, compared with a snapshot taken from the analysis
 * as it was when asl-validator's checks still ran through the library: the rule corpus, the benchmark's
 * generated definitions, and definitions that break asl-validator's checks. A change to how the analysis
 * runs (not to what it finds) must keep this green. `UPDATE_FINDINGS_SNAPSHOT=1` rewrites the snapshot.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { analyzeDefinition, AnalyzeOptions, Finding } from "../../policy/analysis";
import { definitionAtSizeLimit, generateDefinition } from "../../bench/definitions";
import { ASL_CHECK_CASES } from "./asl-check-cases";
import { CORPUS } from "./corpus";

const SNAPSHOT = path.join(__dirname, "findings-snapshot.json");

interface SnapshotCase {
  name: string;
  definition: object | string;
  options: AnalyzeOptions;
}

function cases(): SnapshotCase[] {
  return [
    ...CORPUS.map((c) => ({ name: `corpus: ${c.name}`, definition: c.definition, options: { workflowType: c.workflowType } })),
    ...[10, 100, 1000, 10_000].map((n) => generateDefinition(n)).concat(definitionAtSizeLimit())
      .map((d) => ({ name: `bench: ${d.label}`, definition: d.text, options: {} })),
    ...ASL_CHECK_CASES.map((c) => ({ name: `asl checks: ${c.name}`, definition: c.definition, options: { format: c.format } })),
  ];
}

describe("policy analysis: findings snapshot", () => {
  it("finds exactly what the snapshot holds, in the same order, on every definition", function () {
    this.timeout(120_000);
    const found: Record<string, Finding[]> = {};
    for (const c of cases()) {
      assert.ok(!(c.name in found), `two cases are named ${c.name}`);
      found[c.name] = analyzeDefinition(c.definition, c.options).findings;
    }
    if (process.env.UPDATE_FINDINGS_SNAPSHOT === "1") fs.writeFileSync(SNAPSHOT, `${JSON.stringify(found, null, 1)}\n`);
    const expected = JSON.parse(fs.readFileSync(SNAPSHOT, "utf8")) as Record<string, Finding[]>;
    assert.deepStrictEqual(Object.keys(found), Object.keys(expected), "the cases are not the snapshot's");
    for (const name of Object.keys(expected)) assert.deepStrictEqual(found[name], expected[name], name);
  });
});
