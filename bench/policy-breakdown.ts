/**
 * Where the analysis of one definition goes: each part asl-validator runs inside it (with the analysis
 * core's compiled schema and linear transition check in place), timed alone, next to JSON.parse.
 */
import { createRequire } from "node:module";
import { analyzeDefinition } from "../policy/analysis";
import { runAslValidator } from "../policy/analysis/asl-validator";
import { interleave, syncSampler, type MeasureOptions } from "./timing";

export interface BreakdownPart {
  readonly part: string;
  readonly ms: number;
}

type Check = (definition: unknown, options: { checkPaths: boolean; checkArn: boolean }, extra?: unknown) => unknown;

const aslRequire = createRequire(require.resolve("asl-validator"));
const check = (file: string, name: string) => (aslRequire(`./checks/${file}`) as Record<string, Check>)[name];

/** Times of the parts, sampled in turns, largest first. */
export async function breakdown(text: string, options: MeasureOptions): Promise<BreakdownPart[]> {
  const { JSONPath } = aslRequire("jsonpath-plus") as { JSONPath: (o: { json: unknown; path: string }) => Record<string, Record<string, unknown>>[] };
  const definition = JSON.parse(text) as object;
  // asl-validator's checks see states with QueryLanguage set (its first step); give them that.
  const prepared = structuredClone(definition);
  for (const states of JSONPath({ json: prepared, path: "$..States" })) for (const state of Object.values(states)) state.QueryLanguage ??= "JSONPath";
  const opts = { checkPaths: true, checkArn: true };
  const fns: Record<string, () => unknown> = {
    "all of asl-validator (the parts below and its state checks)": () => runAslValidator(definition),
    // With definition-is-valid disabled the analysis skips the structural checks, asl-validator included.
    "analysis core: parse, walk, classify Tasks, rules": () => analyzeDefinition(text, { levels: { "definition-is-valid": "disabled" } }),
    "asl-validator: JSON schema (Ajv, compiled once; JSONPath/JSONata formats parsed per field)": () => check("json-schema-errors", "jsonSchemaErrors")(prepared, opts),
    "asl-validator: missing transition targets ($..States, $..[StartAt,Next,Default])": () =>
      check("missing-transition-target-errors", "missingTransitionTargetErrors")(prepared, opts),
    "asl-validator: transitions out of a branch ($..[Next,Default] per state)": () => check("state-transitions-errors", "stateTransitionsErrors")(prepared, opts),
    "asl-validator: duplicate payload template fields": () =>
      check("duplicate-payload-template-fields", "mustNotHaveDuplicateFieldNamesAfterEvaluation")(prepared, opts),
    "asl-validator: duplicate state names ($..States)": () => check("duplicate-state-names-errors", "duplicateStateNames")(prepared, opts),
    "asl-validator: missing terminal state ($..States)": () => check("missing-terminal-state-errors", "missingTerminalStateErrors")(prepared, opts),
    "asl-validator: QueryLanguage pass ($..States)": () => JSONPath({ json: prepared, path: "$..States" }),
    "the copy given to asl-validator (structuredClone)": () => structuredClone(definition),
  };
  const medians = await interleave(Object.fromEntries(Object.entries(fns).map(([k, fn]) => [k, syncSampler(fn, 1)])), options);
  return Object.entries(medians)
    .map(([part, ms]) => ({ part, ms }))
    .sort((a, b) => b.ms - a.ms);
}
