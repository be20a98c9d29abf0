#!/usr/bin/env node
// `npm run bench`: the benchmark is TypeScript; ts-node compiles it on the fly (types are checked by
// `npm run typecheck`). Exits when the report is written: the sandbox's libraries may keep handles open.
require("ts-node").register({ transpileOnly: true, project: require("path").join(__dirname, "..", "tsconfig.json") });
require("./run.ts")
  .main(process.argv.slice(2))
  .then(
    (code) => process.stdout.write("", () => process.exit(code)),
    (err) => {
      console.error(err instanceof Error ? err.stack || err.message : String(err));
      process.exit(1);
    },
  );
