"use strict";
/**
 * Lets mocha load the TypeScript sources by transpiling each file with esbuild (a dependency already, for the
 * function bundles): per file, types not checked (`npm run typecheck` does that), like ts-node's transpile-only
 * mode but about twice as fast to load the sandbox and the CLI, which every parallel worker loads again.
 * Inline source maps keep stack traces on the TypeScript lines.
 */
const fs = require("fs");
const { transformSync } = require("esbuild");

const TSCONFIG = { compilerOptions: { target: "ES2022", esModuleInterop: true } };

process.setSourceMapsEnabled(true);
require.extensions[".ts"] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, "utf8"), {
    loader: "ts",
    format: "cjs",
    target: "node22",
    sourcefile: filename,
    sourcemap: "inline",
    tsconfigRaw: TSCONFIG,
    // import() becomes require(), as tsc emits it for CommonJS: native import() cannot resolve extensionless .ts paths.
    supported: { "dynamic-import": false },
  });
  module._compile(code, filename);
};
