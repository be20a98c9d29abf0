#!/usr/bin/env node
// The CLI is TypeScript; ts-node compiles it on the fly (types are checked by `npm run typecheck`).
require("ts-node").register({ transpileOnly: true, project: require("path").join(__dirname, "..", "tsconfig.json") });

/** Once a command is done, anything it leaked (a worker port, a socket) must not keep the process alive. */
function exitSoonIfStuck() {
  setTimeout(() => process.exit(), 2000).unref();
}

require("./main.ts")
  .main(process.argv)
  .catch((err) => {
    // One line, no stack trace: what failed and where (an AWS error keeps its code, e.g. "ExecutionDoesNotExist: ...").
    console.error(require("./errors.ts").describeError(err));
    process.exitCode = process.exitCode || 1;
  })
  .finally(exitSoonIfStuck);
