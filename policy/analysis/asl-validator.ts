/**
 * asl-validator 4.0.0, with its JSON-schema check compiled once per process.
 *
 * The library builds a new Ajv instance and compiles its 15 schemas on every call (about 70 ms), which
 * dominates linting many files. So this module builds one Ajv instance with the library's own schemas and
 * formats, and installs a schema check that reuses it in place of the library's
 * (`checks/json-schema-errors`, whose export the validator reads at call time). The replacement keeps the
 * library's error selection exactly; a test compares both on the whole corpus. Everything is loaded
 * relative to asl-validator, so it uses the same Ajv and formats versions the library does.
 *
 * The analysis itself validates with a second instance, `shallowAjv`: the same schemas with each state
 * validated on its own (linear in nesting, every state's errors) and JSONata and JSONPath read as Step
 * Functions reads them (`schema-check.ts`). The library-equivalent check serves `aslValidatorErrors` (kept
 * equal to the library, a test compares them), the patched library's other users in this process (the
 * sandbox's interpreter) and `runAslValidator`.
 */
import { createRequire } from "module";

export interface AslValidatorError {
  "Error code": string;
  Message: string;
  schemaError?: { instancePath: string; schemaPath: string };
}

interface ValidationOptions {
  readonly checkPaths: boolean;
  readonly checkArn: boolean;
}

type SchemaCheck = (definition: unknown, options: ValidationOptions) => AslValidatorError[];

export interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string;
  params?: { additionalProperty?: string; missingProperty?: string };
}

export interface AjvInstance {
  validate(schemaKeyRef: string, data: unknown): boolean;
  errors?: AjvError[] | null;
  addFormat(name: string, format: (value: string) => boolean): unknown;
}

type AjvConstructor = new (options: { schemas: object[]; allowUnionTypes: boolean; allErrors?: boolean }) => AjvInstance;

const aslRequire = createRequire(require.resolve("asl-validator"));

/** Modules are CommonJS with an optional `default` (TypeScript's interop); take whichever is there. */
function load<T>(id: string): T {
  const mod = aslRequire(id) as { default?: T } & T;
  return mod.default ?? mod;
}

const SCHEMA_FILES = [
  "common",
  "paths",
  "jsonata",
  "choice",
  "fail",
  "parallel",
  "pass",
  "base-state-machine",
  "state-machine",
  "state",
  "succeed",
  "task",
  "wait",
  "map",
  "errors",
];

const STATE_MACHINE_SCHEMA = "http://asl-validator.cloud/state-machine.json#";
const SCHEMA_VALIDATION_FAILED = "SCHEMA_VALIDATION_FAILED";

let compiled: AjvInstance | undefined;

/** Answers remembered per format, at most this many (then forgotten all at once). */
const MAX_REMEMBERED = 10_000;

/**
 * A format check that remembers its answers. Definitions repeat their paths and expressions ("$.error",
 * "$$.Task.Token", the same ResultPath in every Catch), and each check is a pure function of the string
 * that costs a parse: asl-path-validator runs a PEG parser and then queries the syntax tree with
 * jsonpath-plus, the JSONata formats compile the expression.
 */
function remembered(check: (value: string) => boolean): (value: string) => boolean {
  const answers = new Map<string, boolean>();
  return (value) => {
    let answer = answers.get(value);
    if (answer === undefined) {
      answer = check(value);
      if (answers.size >= MAX_REMEMBERED) answers.clear();
      answers.set(value, answer);
    }
    return answer;
  };
}

/** Ajv set up exactly as the library sets up its per-call instances (checkPaths and checkArn on), on the given schemas. */
function buildAjv(schemas: object[], options: { acceptNameUnions?: boolean; allErrors?: boolean } = {}): AjvInstance {
  const Ajv = load<AjvConstructor>("ajv");
  const addFormats = load<(ajv: AjvInstance) => void>("ajv-formats");
  const { registerAll } = aslRequire("asl-path-validator") as { registerAll: (ajv: Pick<AjvInstance, "addFormat">) => void };
  const { isArnFormatValid } = aslRequire("./checks/formats") as { isArnFormatValid: (value: string) => boolean };

  const ajv = new Ajv({ schemas, allowUnionTypes: true, ...(options.allErrors ? { allErrors: true } : {}) });
  addFormats(ajv);
  ajv.addFormat("jsonata_string", rememberedJsonataString);
  ajv.addFormat("maybe_jsonata_string", rememberedMaybeJsonataString);
  registerAll({
    addFormat: (name, format) =>
      ajv.addFormat(name, remembered(options.acceptNameUnions && NAME_UNION_FORMATS.has(name) ? withNameUnions(format) : format)),
  });
  ajv.addFormat("asl_arn", isArnFormatValid);
  return ajv;
}

/** Formats of Paths (not reference paths), where Step Functions' JsonPath accepts a union of names. */
const NAME_UNION_FORMATS = new Set(["asl_path", "asl_payload_template"]);
const QUOTED = `'(?:[^'\\\\]|\\\\.)*'|"(?:[^"\\\\]|\\\\.)*"`;
const NAME_UNION = new RegExp(`\\[\\s*(${QUOTED})(?:\\s*,\\s*(?:${QUOTED}))+\\s*\\]`, "g");

/**
 * Step Functions evaluates Paths with Jayway JsonPath, which has bracket unions of names
 * (`$.Payload['id','name']`) as well as of indexes; asl-path-validator knows only the latter. A path
 * with name unions is valid when the same path with each union narrowed to its first name is.
 */
function withNameUnions(format: (value: string) => boolean): (value: string) => boolean {
  return (value) => format(value) || (value.includes(",") && format(value.replace(NAME_UNION, "[$1]")));
}

const jsonataParse = load<(expression: string) => unknown>("jsonata");

/** The library's JSONata format: the text, minus one leading "{%" and one trailing "%}", compiles. */
function validateJsonataString(value: string): boolean {
  const trimmed = value.trim();
  try {
    let expression = trimmed.startsWith("{%") ? trimmed.slice(2) : trimmed;
    expression = expression.endsWith("%}") ? expression.slice(0, -2) : expression;
    jsonataParse(expression);
    return true;
  } catch {
    return false;
  }
}

const rememberedJsonataString = remembered(validateJsonataString);
const rememberedMaybeJsonataString = remembered((value) => {
  const trimmed = value.trim();
  return trimmed.startsWith("{%") || trimmed.endsWith("%}") ? validateJsonataString(trimmed) : true;
});

function librarySchemas(): object[] {
  return SCHEMA_FILES.map((f) => aslRequire(`./schemas/${f}.json`) as object);
}

/** One Ajv instance with the library's schemas, as the library's per-call ones. */
function compiledAjv(): AjvInstance {
  compiled ??= buildAjv(librarySchemas());
  return compiled;
}

let shallow: AjvInstance | undefined;

/** The schema ids the shallow instance validates with: a whole machine's own fields, and one state. */
export const STATE_MACHINE_SCHEMA_ID = STATE_MACHINE_SCHEMA;
export const STATE_SCHEMA_ID = "http://asl-validator.cloud/state.json#";

/**
 * The library's schemas with one change: a "States" object's members are not validated as states (only
 * their names, at most 80 characters). A state machine or a Parallel branch is then checked for its own
 * fields, and each state on its own. The library's schema is exponential in nesting: a Parallel (and a
 * Map) state is a oneOf of a JSONPath and a JSONata form, and Ajv validates every branch of a oneOf, so
 * each level of nesting validates the level below twice (a 2 KB file with 26 nested Parallel states takes
 * minutes). Validating each state once, with its nested states left to their own validation, is linear,
 * and an error in one state no longer hides the errors of the others.
 */
export function shallowAjv(): AjvInstance {
  shallow ??= buildAjv(shallowSchemas(), { acceptNameUnions: true });
  return shallow;
}

let precise: AjvInstance | undefined;

/**
 * The shallow schemas with every error collected (Ajv's allErrors), for one state checked against the one
 * form its Type and QueryLanguage select: there every error is a real one, and each is reported.
 */
export function preciseAjv(): AjvInstance {
  precise ??= buildAjv(shallowSchemas(), { acceptNameUnions: true, allErrors: true });
  return precise;
}

/** The schema of one form of a state type: `oneOf/0` is its JSONPath form, `oneOf/1` its JSONata form. */
export function stateFormSchemaId(type: string, queryLanguage: string): string | undefined {
  if (!STATE_TYPE_FILES.has(type)) return undefined;
  const form = queryLanguage === "JSONPath" ? 0 : queryLanguage === "JSONata" ? 1 : undefined;
  return form === undefined ? undefined : `http://asl-validator.cloud/${type.toLowerCase()}.json#/oneOf/${form}`;
}

const STATE_TYPE_FILES = new Set(["Choice", "Fail", "Parallel", "Pass", "Succeed", "Task", "Wait", "Map"]);

function shallowSchemas(): object[] {
  const schemas = structuredClone(librarySchemas()) as SchemaFile[];
  for (const schema of schemas) {
    const members = schema.properties?.States?.patternProperties;
    if (members && (schema.$id === STATE_MACHINE_SCHEMA || schema.$id === "http://asl-validator.cloud/base-state-machine.json#")) {
      for (const key of Object.keys(members)) members[key] = {};
    }
    if (schema.$id === "http://asl-validator.cloud/jsonata.json#" && schema.definitions) asStepFunctionsReadsJsonata(schema.definitions);
  }
  return schemas;
}

interface SchemaFile {
  $id?: string;
  properties?: { States?: { patternProperties?: Record<string, object> } };
  definitions?: Record<string, object>;
}

/**
 * A string that is a JSONata expression: it begins with "{%" and ends with "%}" ("Transforming data with
 * JSONata in Step Functions"), with any spacing and lines inside. Its syntax is checked with the jsonata
 * library's parser by `jsonata-check.ts`, which says where the error is.
 */
const JSONATA_EXPRESSION = "^\\s*\\{%[\\s\\S]*%\\}\\s*$";

/**
 * The library's JSONata string schemas with Step Functions' rules: an expression is any text in {% %}
 * (the library wants exactly one space inside each delimiter and a single line), and any other string is a
 * literal, the empty string and lines included (the library wants one non-empty line). Output "can be any
 * JSON value", a literal string or array included.
 */
function asStepFunctionsReadsJsonata(definitions: Record<string, object>): void {
  definitions.jsonata = { type: "string", pattern: JSONATA_EXPRESSION };
  definitions.not_jsonata = { type: "string", not: { pattern: JSONATA_EXPRESSION } };
  // Output is any JSON value, its strings in {% %} evaluated; arrays may hold any template value.
  definitions.output = { $ref: "#/definitions/jsonata_template" };
  definitions.jsonata_template = {
    oneOf: [
      { $ref: "#/definitions/_jsonata_template_object" },
      { type: "array", items: { $ref: "#/definitions/jsonata_template" } },
      { type: ["boolean", "number", "null"] },
      { $ref: "#/definitions/maybe_jsonata" },
    ],
  };
}
/**
 * The library's selection: the deepest errors, `oneOf` ones preferred at their path, no duplicates.
 * `prefix` is the JSON pointer of the value validated, put before each error's path.
 */
export function selectErrors(errors: readonly AjvError[], prefix = ""): AslValidatorError[] {
  let selected: AjvError[] = [];
  let deepest = 0;
  for (const error of errors) {
    const depth = error.instancePath.split("/").length;
    if (depth === deepest) selected.push(error);
    else if (depth > deepest) selected = [error];
    deepest = Math.max(deepest, depth);
  }
  const oneOfPaths = new Set(selected.filter((e) => e.keyword === "oneOf").map((e) => e.instancePath));
  const mapped = selected
    .filter((e) => e.keyword === "oneOf" || !oneOfPaths.has(e.instancePath))
    .map((e) => ({
      "Error code": SCHEMA_VALIDATION_FAILED,
      Message: `${prefix}${e.instancePath} is invalid. ${e.message ?? ""}`,
      schemaError: { instancePath: `${prefix}${e.instancePath}`, schemaPath: decodeURIComponent(e.schemaPath) },
    }));
  return mapped.filter(
    (v, i, all) =>
      all.findIndex((w) => w.schemaError.schemaPath === v.schemaError.schemaPath && w.schemaError.instancePath === v.schemaError.instancePath) === i,
  );
}

const schemaModule = aslRequire("./checks/json-schema-errors") as { jsonSchemaErrors: SchemaCheck; libraryJsonSchemaErrors?: SchemaCheck };

/**
 * The library's own schema check (compiles per call); kept for the equivalence test. The original is kept on the
 * library's module: when this module is evaluated again (loading the program under mocks forgets the project's
 * modules), the library's export is already the replacement below.
 */
export const librarySchemaCheck: SchemaCheck = (schemaModule.libraryJsonSchemaErrors ??= schemaModule.jsonSchemaErrors);

/** The schema check with the compiled Ajv instance; other options go to the library's own. */
export const compiledSchemaCheck: SchemaCheck = (definition, options) => {
  if (!options.checkPaths || !options.checkArn) return librarySchemaCheck(definition, options);
  const ajv = compiledAjv();
  if (ajv.validate(STATE_MACHINE_SCHEMA, definition)) return [];
  return selectErrors(ajv.errors ?? []);
};

schemaModule.jsonSchemaErrors = compiledSchemaCheck;

type TransitionTargetCheck = (definition: unknown) => AslValidatorError[];
const transitionModule = aslRequire("./checks/missing-transition-target-errors") as {
  missingTransitionTargetErrors: TransitionTargetCheck;
  libraryMissingTransitionTargetErrors?: TransitionTargetCheck;
};
const { JSONPath } = aslRequire("jsonpath-plus") as { JSONPath: (options: { json: unknown; path: string }) => unknown[] };

/** The library's missing-transition-target check; kept for the equivalence test (and on the library's module, as above). */
export const libraryTransitionTargetCheck: TransitionTargetCheck = (transitionModule.libraryMissingTransitionTargetErrors ??= transitionModule.missingTransitionTargetErrors);

/**
 * The library's missing-transition-target check with Set lookups: it de-duplicates and cross-checks the
 * state names with `indexOf` scans, quadratic in the number of states (about 1 s of a 10,000-state
 * definition's analysis). Same queries, same errors, same order.
 */
export const linearTransitionTargetCheck: TransitionTargetCheck = (definition) => {
  const machineStates: string[] = [];
  for (const states of JSONPath({ json: definition, path: "$..States" }) as object[]) {
    for (const name of Object.keys(states)) machineStates.push(name);
  }
  const reachableStates = [...new Set(JSONPath({ json: definition, path: "$..[StartAt,Next,Default]" }))];
  const reachable = new Set(reachableStates);
  const known = new Set<unknown>(machineStates);
  const unreachable = machineStates
    .filter((state) => !reachable.has(state))
    .map((state) => ({ "Error code": "MISSING_TRANSITION_TARGET", Message: `State ${state} is not reachable` }));
  const inexistent = reachableStates
    .filter((state) => !known.has(state))
    .map((state) => ({ "Error code": "MISSING_TRANSITION_TARGET", Message: `Missing 'StartAt'|'Next'|'Default' target: ${String(state)}` }));
  return [...unreachable, ...inexistent];
};

transitionModule.missingTransitionTargetErrors = linearTransitionTargetCheck;

const validator = aslRequire("./validator") as (definition: unknown) => { isValid: boolean; errors: AslValidatorError[] };

/**
 * Runs asl-validator (with the compiled schema check) on a deep copy of the definition (the library sets
 * QueryLanguage on every state of what it is given). The analysis uses `aslValidatorErrors` instead.
 */
export function runAslValidator(definition: object): AslValidatorError[] {
  return validator(structuredClone(definition)).errors;
}
