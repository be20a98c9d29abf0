/**
 * Where the analysis of one definition goes: the steps analyzeDefinition runs, each timed alone with the
 * analysis's own functions, next to JSON.parse. In call order: parse (JSON.parse), the walk, Task
 * classification and the rules; inside definition-is-valid, `structuralProblems`: the scope graphs, then
 * `analysisAslErrors`: the asl-document pass, the schema check state by state, the asl-checks.
 *
 * The schema check remembers its path and JSONata format answers, so it is timed twice: on the text
 * analysed again and again (answers remembered) and on a never-seen variant per sample (paths salted).
 */
import { analyzeDefinition, parseDefinition, walkDefinition } from "../policy/analysis";
import { analysisAslErrors, duplicatePayloadFieldErrors, duplicateStateNameErrors, stateFieldErrors } from "../policy/analysis/asl-checks";
import { defaultQueryLanguage, findKeyedValues, statesWithoutQueryLanguage, withDefaultQueryLanguage } from "../policy/analysis/asl-document";
import { stateSchemaErrors } from "../policy/analysis/schema-check";
import { structuralProblems } from "../policy/analysis/validate";
import type { JsonObject } from "../policy/analysis/walk";
import { saltPaths } from "./definitions";
import { freshSampler, interleave, syncSampler, type MeasureOptions, type Sampler } from "./timing";

export interface BreakdownPart {
  readonly part: string;
  readonly ms: number;
}

/** What the asl-document pass yields for one definition: the keyed values and the schema's view. */
function aslDocument(definition: JsonObject) {
  const keyed = findKeyedValues(definition);
  const language = defaultQueryLanguage(definition);
  const defaulted = statesWithoutQueryLanguage(keyed.states);
  return { keyed, language, defaulted, view: withDefaultQueryLanguage(definition, defaulted, language) };
}

function parsedObject(text: string): JsonObject {
  return parseDefinition(text).definition as JsonObject;
}

/**
 * Times of the parts, sampled in turns, in call order. `text` is analysed again and again; `saltable`
 * (the same shape, small enough that its salted variants fit the 1 MB limit) gives the never-seen variants.
 */
export async function breakdown(text: string, saltable: string, options: MeasureOptions): Promise<BreakdownPart[]> {
  const definition = parsedObject(text);
  const walk = walkDefinition(definition);
  const document = aslDocument(definition);
  const disabledValidity = { levels: { "definition-is-valid": "disabled" } } as const;
  const parts: [string, Sampler][] = [
    ["whole analysis (analyzeDefinition, every rule), same text again", syncSampler(() => analyzeDefinition(text), 1)],
    ["whole analysis, a never-seen variant per sample", freshSampler((k) => saltPaths(saltable, k), (t) => analyzeDefinition(t))],
    ["1. parse (parseDefinition: JSON.parse)", syncSampler(() => parseDefinition(text), 1)],
    ["2. walk (walkDefinition)", syncSampler(() => walkDefinition(definition), 1)],
    ["1-3. parse, walk, classify Tasks, rules (analyzeDefinition with definition-is-valid off)", syncSampler(() => analyzeDefinition(text, disabledValidity), 1)],
    ["4. structural checks (structuralProblems: scope graphs, then 5-7)", syncSampler(() => structuralProblems(definition, text, walk), 1)],
    ["5-7. asl-validator's checks (analysisAslErrors)", syncSampler(() => analysisAslErrors(definition), 1)],
    ["5. asl-document pass (keyed values, QueryLanguage view)", syncSampler(() => aslDocument(definition), 1)],
    ["6. schema check state by state (it builds its own QueryLanguage view), format answers remembered", syncSampler(() => stateSchemaErrors(definition), 1)],
    [
      "6. schema check state by state, a never-seen variant per sample",
      freshSampler((k) => parsedObject(saltPaths(saltable, k)), (parsed) => stateSchemaErrors(parsed)),
    ],
    [
      "7. asl-checks (duplicate state names, duplicate payload fields, state fields)",
      syncSampler(() => [
        duplicateStateNameErrors(document.keyed.states),
        duplicatePayloadFieldErrors(document.keyed.payloads, document.defaulted, document.language),
        stateFieldErrors(document.keyed.states),
      ], 1),
    ],
  ];
  const medians = await interleave(Object.fromEntries(parts), options);
  return parts.map(([part]) => ({ part, ms: medians[part] }));
}
