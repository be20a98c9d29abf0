/**
 * asl-validator's JSON schema, applied state by state: the machine's own fields, then every state at any
 * depth on its own (its nested branches checked for their own fields only). Linear in the definition's
 * size, and each state's errors are reported, not only the deepest error of the whole document.
 */
import { AjvError, AslValidatorError, preciseAjv, selectErrors, shallowAjv, STATE_MACHINE_SCHEMA_ID, STATE_SCHEMA_ID, stateFormSchemaId } from "./asl-validator";
import { defaultQueryLanguage, findKeyedValues, statesWithoutQueryLanguage, withDefaultQueryLanguage } from "./asl-document";
import { escapePointerSegment } from "./json-source";
import { isObject, JsonObject, walkDefinition } from "./walk";

function validated(schema: string, value: unknown, pointer: string): AslValidatorError[] {
  const ajv = shallowAjv();
  if (ajv.validate(schema, value)) return [];
  return selectErrors(ajv.errors ?? [], pointer);
}

const SCHEMA_VALIDATION_FAILED = "SCHEMA_VALIDATION_FAILED";

/**
 * A state checked against the one form its Type and QueryLanguage select, every error collected: an
 * unknown or missing field at its own name, and for each field the library's selection among its errors
 * (the deepest, oneOf ones preferred). Undefined when the state selects no form (no or an unknown Type, a
 * QueryLanguage that is neither): the whole state schema then says what is wrong.
 */
function stateFormErrors(state: unknown, pointer: string): AslValidatorError[] | undefined {
  if (!isObject(state) || typeof state.Type !== "string" || typeof state.QueryLanguage !== "string") return undefined;
  const schema = stateFormSchemaId(state.Type, state.QueryLanguage);
  if (!schema) return undefined;
  const ajv = preciseAjv();
  if (ajv.validate(schema, state)) return [];
  const byField = new Map<string, AjvError[]>();
  const errors: AslValidatorError[] = [];
  for (const error of ajv.errors ?? []) {
    if (error.instancePath === "" && error.keyword === "additionalProperties" && error.params?.additionalProperty !== undefined) {
      const field = error.params.additionalProperty;
      const at = `${pointer}/${escapePointerSegment(field)}`;
      errors.push({ "Error code": SCHEMA_VALIDATION_FAILED, Message: `${at} is invalid. "${field}" is not a field of a ${state.Type} state (${state.QueryLanguage})`, schemaError: { instancePath: at, schemaPath: error.schemaPath } });
      continue;
    }
    if (error.instancePath === "") {
      errors.push(...selectErrors([error], pointer));
      continue;
    }
    const field = error.instancePath.split("/")[1];
    byField.set(field, [...(byField.get(field) ?? []), error]);
  }
  for (const fieldErrors of byField.values()) errors.push(...selectErrors(fieldErrors, pointer));
  // In the order the state writes its fields.
  const order = new Map(Object.keys(state).map((key, i) => [`${pointer}/${escapePointerSegment(key)}`, i]));
  const rank = (e: AslValidatorError) => order.get((e.schemaError?.instancePath ?? "").split("/").slice(0, pointer.split("/").length + 1).join("/")) ?? -1;
  return errors.map((e, i) => ({ e, i })).sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i).map(({ e }) => e);
}

/**
 * Schema errors of a definition, each with the JSON pointer of what it is about; the states are seen with
 * QueryLanguage set as the library sets it (the state's, else the machine's, else JSONPath).
 */
export function stateSchemaErrors(definition: JsonObject): AslValidatorError[] {
  const keyed = findKeyedValues(definition);
  const view = withDefaultQueryLanguage(definition, statesWithoutQueryLanguage(keyed.states), defaultQueryLanguage(definition));
  const errors = validated(STATE_MACHINE_SCHEMA_ID, view, "");
  for (const scope of walkDefinition(view).scopes) {
    if (!scope.states) continue;
    for (const [name, state] of Object.entries(scope.states)) {
      const pointer = `${scope.pointer}/States/${escapePointerSegment(name)}`;
      errors.push(...(stateFormErrors(state, pointer) ?? validated(STATE_SCHEMA_ID, state, pointer)));
    }
  }
  return errors;
}
