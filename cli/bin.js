#!/usr/bin/env node
// The CLI is TypeScript; ts-node compiles it on the fly (types are checked by `npm run typecheck`).
require("ts-node").register({ transpileOnly: true, project: require("path").join(__dirname, "..", "tsconfig.json") });
require("./main.ts").main(process.argv).catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = process.exitCode || 1;
});
