/**
 * The code a function's worker thread runs, as a string (the worker is started with eval: true, so it
 * needs no compiled file). It plays the Node.js runtime of one execution environment: loads the handler
 * module from the task root on the first invocation (a cold start), then serves invocations one at a
 * time, posting back each result or error. Module state survives between invocations, as in a warm
 * Lambda environment.
 *
 * workerData: { taskRoot, handler ("file.export"), nodeModules, compileCacheDir }
 * message in: { requestId, event, context }; message out: { requestId, ok, payload | error }
 */
export const WORKER_BOOTSTRAP = String.raw`
"use strict";
const { workerData, parentPort } = require("node:worker_threads");
const Module = require("node:module");
const path = require("node:path");
const fs = require("node:fs");

function errorOf(error) {
  if (error instanceof Error) {
    return { errorType: error.name || "Error", errorMessage: error.message, trace: String(error.stack || "").split("\n") };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function named(message, name) {
  const error = new Error(message);
  error.name = name;
  return error;
}

let handler;
function loadHandler() {
  if (handler) return handler;
  const dot = workerData.handler.lastIndexOf(".");
  if (dot <= 0) throw named("Bad handler " + workerData.handler + ": expected <file>.<export>", "Runtime.MalformedHandlerName");
  const file = workerData.handler.slice(0, dot);
  const exportName = workerData.handler.slice(dot + 1);
  const found = [".js", ".cjs", ".mjs"].map((ext) => path.join(workerData.taskRoot, file + ext)).find((c) => fs.existsSync(c));
  if (!found) throw named("Cannot find module '" + file + "'", "Runtime.ImportModuleError");
  if (workerData.compileCacheDir && Module.enableCompileCache) Module.enableCompileCache(workerData.compileCacheDir);
  // The runtime provides the AWS SDK; here it comes from the project's node_modules, found through
  // NODE_PATH read once by the module system and then removed so the handler never sees it.
  process.env.NODE_PATH = workerData.nodeModules;
  Module._initPaths();
  delete process.env.NODE_PATH;
  const loaded = require(found);
  if (typeof loaded[exportName] !== "function") {
    throw named(file + "." + exportName + " is undefined or not exported", "Runtime.HandlerNotFound");
  }
  handler = loaded[exportName];
  return handler;
}

parentPort.on("message", async ({ requestId, event, context: c }) => {
  try {
    const fn = loadHandler();
    const context = { ...c, callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => Math.max(0, c.deadlineMs - Date.now()) };
    const result = fn.length >= 3
      ? await new Promise((resolve, reject) => fn(event, context, (error, value) => (error ? reject(error) : resolve(value))))
      : await fn(event, context);
    parentPort.postMessage({ requestId, ok: true, payload: JSON.stringify(result === undefined ? null : result) });
  } catch (error) {
    parentPort.postMessage({ requestId, ok: false, error: errorOf(error), initFailed: handler === undefined });
  }
});
`;
