import { createHash, randomUUID } from "node:crypto";
import { QueryEvaluationError } from "./errors";

/**
 * The functions Step Functions adds to JSONata ("Transforming data with JSONata in Step Functions",
 * section "JSONata functions provided by Step Functions"): $partition, $range, $hash, $random (with an
 * optional seed), $uuid and $parse. `$eval` is not available there; `$parse` replaces it.
 */

/** `$hash` algorithms, as Step Functions names them, to node:crypto's names. */
const HASH_ALGORITHMS: Record<string, string> = { MD5: "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };

/** `$partition(array, size)`: the array in chunks of `size`, the last one possibly shorter. */
function partition(array: unknown, size: unknown): unknown[][] {
  if (!Array.isArray(array)) throw new QueryEvaluationError(`$partition: the first argument must be an array, got ${JSON.stringify(array)}`);
  if (!Number.isInteger(size) || (size as number) <= 0) throw new QueryEvaluationError(`$partition: the chunk size must be a positive integer, got ${JSON.stringify(size)}`);
  const chunks: unknown[][] = [];
  for (let i = 0; i < array.length; i += size as number) chunks.push(array.slice(i, i + (size as number)));
  return chunks;
}

/** `$range(start, end, step)`: start, start+step, ... up to and including end (step may be negative). */
function range(start: unknown, end: unknown, step: unknown): number[] {
  for (const [name, value] of [["start", start], ["end", end], ["step", step]] as const) {
    if (typeof value !== "number" || !Number.isFinite(value)) throw new QueryEvaluationError(`$range: ${name} must be a number, got ${JSON.stringify(value)}`);
  }
  const [from, to, by] = [start as number, end as number, step as number];
  if (by === 0) throw new QueryEvaluationError("$range: step must not be 0");
  const values: number[] = [];
  for (let v = from; by > 0 ? v <= to : v >= to; v += by) values.push(v);
  return values;
}

/** `$hash(data, algorithm)`: the hex digest of the string's UTF-8 bytes. */
function hash(data: unknown, algorithm: unknown): string {
  if (typeof data !== "string") throw new QueryEvaluationError(`$hash: the data to hash must be a string, got ${JSON.stringify(data)}`);
  const name = typeof algorithm === "string" ? HASH_ALGORITHMS[algorithm] : undefined;
  if (!name) throw new QueryEvaluationError(`$hash: the algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(", ")}, got ${JSON.stringify(algorithm)}`);
  return createHash(name).update(data, "utf8").digest("hex");
}

/**
 * `$random([seed])`: a number in [0, 1). With a seed, the same seed gives the same number (AWS does not
 * document its generator, so seeded values are stable here but not AWS's values).
 */
function random(seed?: unknown): number {
  if (seed === undefined) return Math.random();
  if (typeof seed !== "number" || !Number.isInteger(seed)) throw new QueryEvaluationError(`$random: the seed must be an integer, got ${JSON.stringify(seed)}`);
  // mulberry32 over the 32-bit seed: a small, well-known deterministic generator.
  let t = (seed | 0) + 0x6d2b79f5;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** `$parse(text)`: the JSON value a string holds. */
function parse(text: unknown): unknown {
  if (typeof text !== "string") throw new QueryEvaluationError(`$parse: the argument must be a string, got ${JSON.stringify(text)}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new QueryEvaluationError(`$parse: ${(error as Error).message}`);
  }
}

function evalUnavailable(): never {
  throw new QueryEvaluationError("$eval is not available in Step Functions: use $parse");
}

/** Bindings for every evaluation; they shadow JSONata's own `$random` and `$eval`. */
export const STEP_FUNCTIONS_FUNCTIONS: Readonly<Record<string, (...args: never[]) => unknown>> = {
  partition,
  range,
  hash,
  random,
  uuid: () => randomUUID(),
  parse,
  eval: evalUnavailable,
};
