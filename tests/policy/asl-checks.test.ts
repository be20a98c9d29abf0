/**
 * asl-validator's checks run on one pass (policy/analysis/asl-checks.ts) against asl-validator 4.0.0 as
 * published, run in a worker thread (a fresh module registry, which the analysis's patches of the library
 * do not reach): the same errors in the same order, minus the checks the scope graphs cover, on the rule
 * corpus, the benchmark's generated definitions, generated definitions broken in every state, and
 * definitions that break each of the library's checks.
 */
import * as assert from "assert";
import { createRequire } from "module";
import { Worker } from "worker_threads";
import { analyzeDefinition, parseDefinition, walkDefinition } from "../../policy/analysis";
import { aslValidatorErrors, CODES_THE_SCOPE_GRAPHS_COVER } from "../../policy/analysis/asl-checks";
import { findKeyedValues, statesWithoutQueryLanguage, withDefaultQueryLanguage } from "../../policy/analysis/asl-document";
import type { AslValidatorError } from "../../policy/analysis/asl-validator";
import { definitionAtSizeLimit, generateDefinition } from "../../bench/definitions";
import { ASL_CHECK_CASES, LIBRARY_CRASH_CASES } from "./asl-check-cases";
import { CORPUS } from "./corpus";

type JsonObject = Record<string, unknown>;

interface Named {
  name: string;
  definition: JsonObject;
}

type LibraryResult = { errors: AslValidatorError[] } | { throws: string };

const WORKER_SOURCE = `
const { parentPort, workerData } = require("worker_threads");
const validator = require(workerData.modulePath);
parentPort.postMessage(workerData.definitions.map((definition) => {
  try {
    return { errors: validator(definition).errors };
  } catch (error) {
    return { throws: String(error && error.message) };
  }
}));
`;

/** asl-validator as published, on copies of the definitions (it sets QueryLanguage on what it gets). */
function publishedValidator(definitions: readonly JsonObject[]): Promise<LibraryResult[]> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modulePath: require.resolve("asl-validator"), definitions } });
  return new Promise<LibraryResult[]>((resolve, reject) => {
    worker.once("message", (results: LibraryResult[]) => resolve(results));
    worker.once("error", reject);
  }).finally(() => worker.terminate());
}

function parsed(definition: object | string, format?: "json" | "yaml"): JsonObject | undefined {
  try {
    const value = parseDefinition(definition, format).definition;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

/** A generated definition with every state broken for the field checks, a duplicate name and a duplicate payload field. */
function brokenEverywhere(states: number): JsonObject {
  const definition = JSON.parse(generateDefinition(states).text) as JsonObject;
  for (const { state, type } of walkDefinition(definition).states) {
    if (type === "Task") Object.assign(state, { TimeoutSecondsPath: "$.timeout", HeartbeatSecondsPath: "$.heartbeat" });
    if (type === "Pass") Object.assign(state, { End: true, Parameters: { ...(state.Parameters as object), "label.$": "$.label" } });
    if (type === "Wait") state.Timestamp = "2026-01-01T00:00:00Z";
    if (type === "Map") Object.assign(state, { MaxConcurrencyPath: "$.concurrency", Iterator: state.ItemProcessor });
    if (type === "Fail") state.Cause = "cause";
  }
  const nested = walkDefinition(definition).states.find((v) => v.scope.pathSegments.length > 0);
  if (nested) (definition.States as JsonObject)[nested.name] = { Type: "Succeed" };
  return definition;
}

/** A generated definition with one bad path deep inside, and one whose states must all be JSONata. */
function schemaBroken(states: number): JsonObject[] {
  const deep = JSON.parse(generateDefinition(states).text) as JsonObject;
  const deepest = walkDefinition(deep).states.reduce((a, b) => (b.scope.pathSegments.length > a.scope.pathSegments.length ? b : a));
  deepest.state.InputPath = "$..[";
  const jsonata = { ...(JSON.parse(generateDefinition(states).text) as JsonObject), QueryLanguage: "JSONata" };
  return [deep, jsonata];
}

function definitions(): Named[] {
  const out: Named[] = [];
  for (const c of CORPUS) {
    const definition = parsed(c.definition);
    if (definition) out.push({ name: `corpus: ${c.name}`, definition });
  }
  for (const c of ASL_CHECK_CASES) out.push({ name: `asl checks: ${c.name}`, definition: parsed(c.definition, c.format) as JsonObject });
  for (const d of [10, 100, 1000].map((n) => generateDefinition(n)).concat(definitionAtSizeLimit())) {
    out.push({ name: `bench: ${d.label}`, definition: JSON.parse(d.text) as JsonObject });
  }
  out.push({ name: "generated, every state broken", definition: brokenEverywhere(300) });
  schemaBroken(300).forEach((definition, i) => out.push({ name: `generated, schema broken ${i + 1}`, definition }));
  return out;
}

describe("policy analysis: asl-validator's checks on one pass", () => {
  let cases: Named[];
  let library: LibraryResult[];
  let crashes: LibraryResult[];

  before(async function () {
    this.timeout(120_000);
    cases = definitions();
    library = await publishedValidator(cases.map((c) => c.definition));
    crashes = await publishedValidator(LIBRARY_CRASH_CASES.map((c) => parsed(c.definition) as JsonObject));
  });

  it("reports the published library's errors, in its order, minus the checks the scope graphs cover", () => {
    assert.ok(cases.length > 130, `only ${cases.length} definitions`);
    cases.forEach((c, i) => {
      const result = library[i];
      assert.ok("errors" in result, `${c.name}: the library throws: ${"throws" in result ? result.throws : ""}`);
      const expected = result.errors.filter((e) => !CODES_THE_SCOPE_GRAPHS_COVER.has(e["Error code"]));
      assert.deepStrictEqual(aslValidatorErrors(c.definition), expected, c.name);
    });
  });

  it("is compared on errors of every code the library has, besides those the scope graphs cover", () => {
    const aslRequire = createRequire(require.resolve("asl-validator"));
    const { StateMachineErrorCode } = aslRequire("./types") as { StateMachineErrorCode: Record<string, string> };
    const seen = new Set(library.flatMap((r) => ("errors" in r ? r.errors.map((e) => e["Error code"]) : [])));
    const missing = Object.values(StateMachineErrorCode).filter((code) => !seen.has(code) && !CODES_THE_SCOPE_GRAPHS_COVER.has(code));
    assert.deepStrictEqual(missing, []);
    const generated = library[cases.findIndex((c) => c.name === "generated, every state broken")];
    assert.ok("errors" in generated && generated.errors.length > 300, "the broken generated definition has errors in many states");
  });

  it("does not change the definition, which may be frozen", () => {
    for (const c of cases) {
      const before = structuredClone(c.definition);
      const errors = aslValidatorErrors(c.definition);
      assert.deepStrictEqual(c.definition, before, c.name);
      assert.deepStrictEqual(aslValidatorErrors(deepFreeze(structuredClone(c.definition))), errors, c.name);
    }
  });

  it("gives the schema a view that copies only the states without QueryLanguage and what holds them", () => {
    const definition = JSON.parse(generateDefinition(100).text) as JsonObject;
    const defaulted = statesWithoutQueryLanguage(findKeyedValues(definition).states);
    const view = withDefaultQueryLanguage(definition, defaulted, "JSONPath");
    const [original, viewed] = [walkDefinition(definition).states, walkDefinition(view).states];
    assert.strictEqual(viewed.length, original.length);
    assert.strictEqual(defaulted.size, original.length);
    original.forEach((visit, i) => {
      const copy = viewed[i].state;
      assert.notStrictEqual(copy, visit.state);
      assert.deepStrictEqual(Object.keys(copy), [...Object.keys(visit.state), "QueryLanguage"]);
      assert.strictEqual(copy.QueryLanguage, "JSONPath");
      assert.strictEqual(visit.state.QueryLanguage, undefined);
      // Everything but the nested scopes (whose states are copied too) is shared.
      for (const key of Object.keys(visit.state).filter((k) => k !== "Branches" && k !== "ItemProcessor")) assert.strictEqual(copy[key], visit.state[key], key);
    });
    const allSet: JsonObject = { StartAt: "A", States: { A: { Type: "Pass", QueryLanguage: "JSONPath", End: true } } };
    assert.strictEqual(withDefaultQueryLanguage(allSet, statesWithoutQueryLanguage(findKeyedValues(allSet).states), "JSONPath"), allSet);
  });

  it("reports what the schema finds where the library throws, and the analysis does not throw", () => {
    LIBRARY_CRASH_CASES.forEach((c, i) => {
      assert.ok("throws" in crashes[i], `${c.name}: the library no longer throws`);
      const definition = parsed(c.definition) as JsonObject;
      assert.doesNotThrow(() => aslValidatorErrors(definition), c.name);
      assert.doesNotThrow(() => analyzeDefinition(c.definition), c.name);
    });
    const [stringState, nullStates] = LIBRARY_CRASH_CASES.map((c) => analyzeDefinition(c.definition).findings.map((f) => `${f.pointer}: ${f.message}`));
    assert.ok(stringState.some((f) => f.startsWith("/States/A: /States/A is invalid ASL")), stringState.join("\n"));
    assert.ok(nullStates.some((f) => f.includes('has no "States" object')), nullStates.join("\n"));
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
