import { AwsServiceError } from "../aws-error";
import { constraintError } from "../endpoints/validation";

/**
 * StartExecution's `name` (API reference, StartExecution, Request Parameters, name): 1-80 characters
 * (model shape Name: min 1, max 80), and none of: white space; brackets < > { } [ ]; wildcards ? *;
 * the special characters " # % \ ^ | ~ ` $ & , ; : /; control characters (U+0000-001F, U+007F-009F);
 * U+FFFE-FFFF; surrogates (U+D800-DFFF, so no character outside the Basic Multilingual Plane).
 * Anything else is allowed: ".", "=", "@", "+", letters of any script.
 */
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ufffe\uffff\ud800-\udfff]/;

export function checkExecutionName(name: string): void {
  if (name.length < 1) throw constraintError("ValidationException", name, "name", "Member must have length greater than or equal to 1");
  if (name.length > 80) throw constraintError("ValidationException", name, "name", "Member must have length less than or equal to 80");
  if (FORBIDDEN.test(name)) throw new AwsServiceError("InvalidName", `Invalid Name: '${name}'`);
}
