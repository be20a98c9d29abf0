import { isObject } from "../../../policy/analysis/walk";
import { evaluateIntrinsic, isIntrinsic } from "./intrinsics";
import { readPath, type PathData } from "./paths";

/**
 * A payload template of a JSONPath state (Parameters, ResultSelector, ItemSelector, Assign; "Manipulate
 * parameters in Step Functions workflows"): a key ending in `.$` takes the value its path or intrinsic
 * function selects, under the key without `.$`; other values are literals; objects and arrays nest.
 */
export function resolveTemplate(template: unknown, from: PathData, field: string): unknown {
  if (Array.isArray(template)) return template.map((item, i) => resolveTemplate(item, from, `${field}[${i}]`));
  if (!isObject(template)) return template;
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith(".$") && typeof value === "string") {
      // Step Functions names the key in its cause: "...specified for the field 'missing.$' could not be found".
      const where = key;
      resolved[key.slice(0, -2)] = isIntrinsic(value) ? evaluateIntrinsic(value, from, where) : readPath(value, from, where);
    } else resolved[key] = resolveTemplate(value, from, `${field}.${key}`);
  }
  return resolved;
}

/** A path field (InputPath, OutputPath, ItemsPath...): absent is `$`, null is `{}` ("InputPath and OutputPath"). */
export function selectPath(path: unknown, from: PathData, field: string): unknown {
  if (path === undefined) return from.data;
  if (path === null) return {};
  return readPath(String(path), from, field);
}
