/**
 * Times asl-validator 4.0.0 as its users call it: `aslValidator(JSON.parse(text))`, one call per
 * definition (it compiles its schemas on every call). Runs inside a worker thread (see the .worker.js
 * entry) so that this copy of the library is not the one the analysis core patched.
 */
import { parentPort, workerData } from "node:worker_threads";
import { measure, type MeasureOptions } from "./timing";

export interface StockValidatorRequest {
  readonly items: readonly { readonly text: string; readonly options: MeasureOptions }[];
}

// The library's entry point is a CommonJS function export.
const aslValidator = require("asl-validator") as (definition: unknown) => { isValid: boolean };

const request = workerData as StockValidatorRequest;
const medians = request.items.map(({ text, options }) => {
  if (!aslValidator(JSON.parse(text)).isValid) throw new Error("asl-validator rejects a generated definition");
  return measure(() => aslValidator(JSON.parse(text)), options).medianMs;
});
parentPort?.postMessage(medians);
