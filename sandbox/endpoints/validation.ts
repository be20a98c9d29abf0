import { AwsServiceError } from "../aws-error";

/**
 * Constraints of a service model's shapes (min/max of an integer or a string's length), checked as the
 * JSON services check them before an operation runs, with their "1 validation error detected" wording.
 */

/**
 * A member of the wrong JSON type: the JSON protocols answer SerializationException before validation, never
 * ignore the member.
 */
export function wrongType(field: string, expected: string, value: unknown): AwsServiceError {
  return new AwsServiceError("SerializationException", `Value of '${field}' must be ${expected}, got ${JSON.stringify(value)}`);
}

/** An optional integer member within [min, max] (model shape constraints), or the service's validation error. */
export function boundedInteger(body: Record<string, unknown>, field: string, min: number, max: number, errorCode: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw wrongType(field, "an integer", value);
  }
  if (value < min) throw constraintError(errorCode, value, field, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraintError(errorCode, value, field, `Member must have value less than or equal to ${max}`);
  return value;
}

export function constraintError(errorCode: string, value: unknown, field: string, constraint: string): AwsServiceError {
  return new AwsServiceError(errorCode, `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`);
}

/** An optional boolean member; anything but a boolean is not one. */
export function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw wrongType(field, "a boolean", value);
  return value;
}

/** An optional map of strings (model maps such as GenericMap, TagsMap): absent is undefined. */
export function optionalStringMap(body: Record<string, unknown>, field: string): Record<string, string> | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value) || Object.values(value).some((v) => typeof v !== "string")) throw wrongType(field, "a map of strings", value);
  return value as Record<string, string>;
}

/** An optional structure member: absent is undefined. */
export function optionalStructure(body: Record<string, unknown>, field: string): Record<string, unknown> | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw wrongType(field, "a structure", value);
  return value as Record<string, unknown>;
}

/** A required structure member: absent is the service's validation error, as the model's "must not be null". */
export function requiredStructure(body: Record<string, unknown>, field: string, errorCode: string): Record<string, unknown> {
  const value = optionalStructure(body, field);
  if (value === undefined) throw new AwsServiceError(errorCode, `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
  return value;
}
