/**
 * Times asl-validator 4.0.0 as its users call it: `aslValidator(JSON.parse(text))`, one call per
 * definition (it compiles its schemas on every call). Runs inside a worker thread (see the .worker.js
 * entry) so that this copy of the library is not the one the analysis core patched. The main thread asks
 * for one sample at a time, taking turns with its own measurements.
 */
import { parentPort, workerData } from "node:worker_threads";
import { syncSampler, type Sampler } from "./timing";

export interface StockValidatorData {
  readonly texts: readonly string[];
}

/** A request for one sample of text `index`; the answer is the time of one call, ms. */
export interface SampleRequest {
  readonly index: number;
}

const aslValidator = require("asl-validator") as (definition: unknown) => { isValid: boolean };

const { texts } = workerData as StockValidatorData;
const samplers: Sampler[] = texts.map((text) => {
  if (!aslValidator(JSON.parse(text)).isValid) throw new Error("asl-validator rejects a generated definition");
  return syncSampler(() => aslValidator(JSON.parse(text)), 1);
});
parentPort?.on("message", (request: SampleRequest) => {
  void samplers[request.index]().then((ms) => parentPort?.postMessage(ms));
});
parentPort?.postMessage("ready");
