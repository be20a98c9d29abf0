import { isObject, walkDefinition, type JsonObject } from "../../../policy/analysis/walk";
import { compile, expressionsIn } from "./expressions";

/** A definition error of a JSONata machine, as CreateStateMachine refuses it, and where it is. */
export interface JsonataDefinitionError {
  readonly state: string;
  readonly field: string;
  readonly message: string;
}

/**
 * Fields that exist only in JSONPath states ("Transforming data with JSONata in Step Functions": a
 * JSONata state has Arguments and Output instead of InputPath, Parameters, ResultSelector, ResultPath
 * and OutputPath; the `...Path` variants of durations, Items, Error and Cause are JSONPath's too).
 */
const JSONPATH_ONLY_FIELDS = [
  "InputPath",
  "Parameters",
  "ResultSelector",
  "ResultPath",
  "OutputPath",
  "Result",
  "ItemsPath",
  "TimeoutSecondsPath",
  "HeartbeatSecondsPath",
  "SecondsPath",
  "TimestampPath",
  "ErrorPath",
  "CausePath",
  "MaxConcurrencyPath",
  "ToleratedFailureCountPath",
  "ToleratedFailurePercentagePath",
];

/** Fields whose values may hold JSONata, per state and in Choice rules and catchers. */
const EXPRESSION_FIELDS = ["Arguments", "Output", "Assign", "Items", "ItemSelector", "MaxConcurrency", "Seconds", "Timestamp", "TimeoutSeconds", "HeartbeatSeconds", "Error", "Cause"];

/** What CreateStateMachine refuses in the JSONata parts of a definition. */
export function jsonataDefinitionErrors(definition: JsonObject): JsonataDefinitionError[] {
  const errors: JsonataDefinitionError[] = [];
  const machineIsJsonata = definition.QueryLanguage === "JSONata";
  for (const visit of walkDefinition(definition).states) {
    const { state, path } = visit;
    if (machineIsJsonata && state.QueryLanguage === "JSONPath") {
      errors.push({ state: path, field: "QueryLanguage", message: "a state of a JSONata state machine cannot use JSONPath: the top-level QueryLanguage JSONata applies to every state" });
    }
    if (visit.queryLanguage !== "JSONata") continue;
    for (const field of JSONPATH_ONLY_FIELDS) {
      if (state[field] !== undefined) errors.push({ state: path, field, message: `the field '${field}' is not supported in JSONata states (use Arguments, Output and JSONata expressions)` });
    }
    for (const [key, where] of objectKeysEndingInDollar(state)) {
      errors.push({ state: path, field: where, message: `the key '${key}' ends in '.$', which JSONata states do not use: write the value as "{% expression %}"` });
    }
    for (const { field, value } of expressionFields(state)) {
      for (const { where, expression } of expressionsIn(value, field)) {
        try {
          compile(expression);
        } catch (error) {
          errors.push({ state: path, field: where, message: `the JSONata expression '${expression.trim()}' is not valid: ${(error as Error).message}` });
        }
      }
    }
    for (const { field, value } of assignFields(state)) {
      if (isObject(value) && Object.hasOwn(value, "states")) errors.push({ state: path, field: `${field}.states`, message: "'states' is reserved ($states) and cannot be assigned" });
    }
    if (Array.isArray(state.Choices)) {
      state.Choices.forEach((rule, i) => {
        if (isObject(rule) && typeof rule.Condition !== "string") {
          errors.push({ state: path, field: `Choices[${i}].Condition`, message: "a Choice rule of a JSONata state needs a Condition (Variable and comparison operators are JSONPath's)" });
        }
      });
    }
  }
  return errors;
}

function assignFields(state: JsonObject): { field: string; value: unknown }[] {
  const found = [{ field: "Assign", value: state.Assign }];
  for (const list of ["Choices", "Catch"] as const) {
    if (Array.isArray(state[list])) (state[list] as unknown[]).forEach((item, i) => isObject(item) && found.push({ field: `${list}[${i}].Assign`, value: item.Assign }));
  }
  return found.filter((f) => f.value !== undefined);
}

function expressionFields(state: JsonObject): { field: string; value: unknown }[] {
  const found: { field: string; value: unknown }[] = EXPRESSION_FIELDS.filter((f) => state[f] !== undefined).map((f) => ({ field: f, value: state[f] }));
  for (const list of ["Choices", "Catch"] as const) {
    if (!Array.isArray(state[list])) continue;
    (state[list] as unknown[]).forEach((item, i) => {
      if (!isObject(item)) return;
      for (const key of ["Condition", "Output", "Assign"]) if (item[key] !== undefined) found.push({ field: `${list}[${i}].${key}`, value: item[key] });
    });
  }
  return found;
}

/** `.$` keys in a JSONata state's Arguments, Output, Assign or ItemSelector. */
function objectKeysEndingInDollar(state: JsonObject): [string, string][] {
  const found: [string, string][] = [];
  const visit = (value: unknown, where: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${where}[${i}]`));
    else if (isObject(value)) {
      for (const [key, v] of Object.entries(value)) {
        if (key.endsWith(".$")) found.push([key, `${where}.${key}`]);
        visit(v, `${where}.${key}`);
      }
    }
  };
  for (const field of ["Arguments", "Output", "Assign", "ItemSelector"]) visit(state[field], field);
  return found;
}
