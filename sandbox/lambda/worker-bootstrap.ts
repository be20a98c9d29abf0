/**
 * The code a Lambda invocation's worker thread runs, as a string (the worker is started with eval: true,
 * so it needs no compiled file). It plays the Node.js runtime: loads the handler module from the task
 * root, calls it with the event and a Lambda-like context, and posts back the result or the error.
 *
 * workerData: { taskRoot, handler ("file.export"), nodeModules, event, context: {...} }
 */
export const WORKER_BOOTSTRAP = String.raw`
"use strict";
const { workerData, parentPort } = require("node:worker_threads");
const Module = require("node:module");
const path = require("node:path");
const fs = require("node:fs");

function report(message) { parentPort.postMessage(message); }

function errorOf(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name || "Error",
      errorMessage: error.message,
      trace: String(error.stack || "").split("\n"),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function loadHandler() {
  const [file, exportName] = (() => {
    const dot = workerData.handler.lastIndexOf(".");
    if (dot <= 0) throw Object.assign(new Error("Bad handler " + workerData.handler + ": expected <file>.<export>"), { name: "Runtime.MalformedHandlerName" });
    return [workerData.handler.slice(0, dot), workerData.handler.slice(dot + 1)];
  })();
  const candidates = [".js", ".cjs", ".mjs"].map((ext) => path.join(workerData.taskRoot, file + ext));
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw Object.assign(new Error("Cannot find module '" + file + "'"), { name: "Runtime.ImportModuleError" });
  // The runtime provides the AWS SDK; here it comes from the project's node_modules, found through
  // NODE_PATH read once by the module system and then removed so the handler never sees it.
  process.env.NODE_PATH = workerData.nodeModules;
  Module._initPaths();
  delete process.env.NODE_PATH;
  const loaded = require(found);
  const handler = loaded[exportName];
  if (typeof handler !== "function") {
    throw Object.assign(new Error(file + "." + exportName + " is undefined or not exported"), { name: "Runtime.HandlerNotFound" });
  }
  return handler;
}

(async () => {
  try {
    const handler = loadHandler();
    const c = workerData.context;
    const context = {
      ...c,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, c.deadlineMs - Date.now()),
    };
    const result = handler.length >= 3
      ? await new Promise((resolve, reject) => handler(workerData.event, context, (error, value) => (error ? reject(error) : resolve(value))))
      : await handler(workerData.event, context);
    report({ ok: true, payload: JSON.stringify(result === undefined ? null : result) });
  } catch (error) {
    report({ ok: false, error: errorOf(error) });
  }
})();
`;
