/**
 * A bounded fuzz test: seeded mutations of the corpora (text edits and value swaps), deep nesting and YAML
 * alias bombs. No throw escapes the analysis, and a lint run over all of them still gives every file its
 * own result, the clean sentinel file included, in every format.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runLint } from "../../../cli/commands/lint";
import { analyzeDefinition } from "../../../policy/analysis";
import { CORPUS } from "../corpus";
import { WILD } from "./corpus";

/** mulberry32: a small seeded generator, so a failure reproduces. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [null, [], {}, 0, -1, 1e308, "", "$..[", "{% ( %}", "{% $states.input %}", "${AWS::Partition}", "$$.Task.Token", true, "x".repeat(10_000)];
const ODD_TEXT = ["{", "}", "[", "]", '"', ",", ":", "\\", "${", "{%", "%}", "\u0000", "\uFEFF", "\n", "&a", "*a"];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** Every object or array in a value, with a way to replace one of its members. */
function containers(value: unknown, out: Array<Record<string, unknown> | unknown[]> = []): Array<Record<string, unknown> | unknown[]> {
  if (typeof value !== "object" || value === null) return out;
  out.push(value as Record<string, unknown>);
  for (const child of Object.values(value)) containers(child, out);
  return out;
}

function mutateValue(text: string, random: () => number): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  for (let i = 0; i < 1 + Math.floor(random() * 3); i++) {
    const all = containers(value);
    const target = pick(random, all);
    const keys = Object.keys(target);
    if (keys.length === 0) continue;
    const key = pick(random, keys);
    const replacement = random() < 0.2 ? structuredClone(pick(random, all)) : pick(random, ODD_VALUES);
    (target as Record<string, unknown>)[key] = replacement;
  }
  return JSON.stringify(value);
}

function mutateText(text: string, random: () => number): string {
  let out = text;
  for (let i = 0; i < 1 + Math.floor(random() * 4); i++) {
    const at = Math.floor(random() * (out.length + 1));
    const roll = random();
    if (roll < 0.3) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 5));
    else if (roll < 0.7) out = out.slice(0, at) + pick(random, ODD_TEXT) + out.slice(at);
    else if (roll < 0.85) out = out.slice(0, at);
    else out = out.slice(0, at) + out.slice(Math.floor(random() * out.length), at) + out.slice(at);
  }
  return out;
}

function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 ["x"]'];
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
  return `${lines.join("\n")}\nStartAt: S\nStates: { S: { Type: Pass, End: true } }\n`;
}

const SEEDS = [1, 2, 3];
const PER_SEED = 150;

describe("policy analysis and lint: bounded fuzz", function () {
  this.timeout(120_000);

  const texts = [...WILD.filter((c) => !/\.ya?ml$/.test(c.file)).map((c) => c.text), ...CORPUS.map((c) => (typeof c.definition === "string" ? c.definition : JSON.stringify(c.definition)))];

  function mutants(seed: number): string[] {
    const random = generator(seed);
    const out: string[] = [];
    for (let i = 0; i < PER_SEED; i++) {
      const base = pick(random, texts);
      out.push(random() < 0.5 ? mutateValue(base, random) : mutateText(base, random));
    }
    out.push(`${"[".repeat(600 + seed)}${"]".repeat(600 + seed)}`);
    out.push(`{"StartAt":"A","States":{"A":${'{"Type":"Parallel","Branches":['.repeat(200)}`);
    return out;
  }

  for (const seed of SEEDS) {
    it(`seed ${seed}: ${PER_SEED} mutants and two deep nestings never make the analysis throw`, () => {
      for (const [i, text] of mutants(seed).entries()) {
        assert.doesNotThrow(() => analyzeDefinition(text), `mutant ${i} of seed ${seed}: ${text.slice(0, 200)}`);
        assert.doesNotThrow(() => analyzeDefinition(text, { format: "yaml" }), `mutant ${i} of seed ${seed} read as YAML`);
      }
    });
  }

  it("a lint run over mutants, nestings and alias bombs gives every file its own result; the clean file stays clean", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sfn-fuzz-"));
    try {
      const written: string[] = [];
      mutants(7).forEach((text, i) => {
        const file = path.join(dir, `mutant-${String(i).padStart(3, "0")}.asl.json`);
        fs.writeFileSync(file, text);
        written.push(file);
      });
      for (const levels of [3, 6, 9]) {
        const file = path.join(dir, `bomb-${levels}.asl.yaml`);
        fs.writeFileSync(file, aliasBomb(levels));
        written.push(file);
      }
      const clean = path.join(dir, "zz-clean.asl.json");
      fs.writeFileSync(clean, JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }));
      written.push(clean);

      for (const format of ["text", "json", "sarif"] as const) {
        const run = runLint([dir], { format, cwd: dir });
        assert.deepStrictEqual(run.report.files.map((f) => f.path).sort(), [...written].sort(), format);
        // A defect of the analysis would show as a file error saying the linter failed on it.
        assert.deepStrictEqual(run.report.files.filter((f) => /the linter failed/.test(f.error ?? "")).map((f) => `${f.path}: ${f.error}`), [], format);
        const last = run.report.files.find((f) => f.path === clean);
        assert.deepStrictEqual([last?.error, last?.findings], [null, []], format);
        if (format === "sarif") assert.doesNotThrow(() => JSON.parse(run.output));
        if (format === "text") assert.match(run.output, new RegExp(`${written.length} files checked`));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
