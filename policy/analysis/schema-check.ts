/**
 * asl-validator's JSON schema, applied state by state: the machine's own fields, then every state at any
 * depth on its own (its nested branches checked for their own fields only). Linear in the definition's
 * size, and each state's errors are reported, not only the deepest error of the whole document.
 */
import { AslValidatorError, selectErrors, shallowAjv, STATE_MACHINE_SCHEMA_ID, STATE_SCHEMA_ID } from "./asl-validator";
import { defaultQueryLanguage, findKeyedValues, statesWithoutQueryLanguage, withDefaultQueryLanguage } from "./asl-document";
import { escapePointerSegment } from "./json-source";
import { JsonObject, walkDefinition } from "./walk";

function validated(schema: string, value: unknown, pointer: string): AslValidatorError[] {
  const ajv = shallowAjv();
  if (ajv.validate(schema, value)) return [];
  return selectErrors(ajv.errors ?? [], pointer);
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
      errors.push(...validated(STATE_SCHEMA_ID, state, `${scope.pointer}/States/${escapePointerSegment(name)}`));
    }
  }
  return errors;
}
