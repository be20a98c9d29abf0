#!/usr/bin/env node
"use strict";
// Written in syntax any Node.js parses, and loads nothing before the version check: an older Node.js gets one
// line saying what to do instead of a stack trace from a module it cannot run.
var REQUIRED_MAJOR = 22; // package.json "engines"
var major = Number(process.versions.node.split(".")[0]);
if (!(major >= REQUIRED_MAJOR)) {
  process.stderr.write(
    "sfn-lab needs Node.js " + REQUIRED_MAJOR + " or newer; this is Node.js " + process.versions.node + ". " +
      "Run it through npm, which uses the Node.js 24 that `npm ci` installs (`npx sfn-lab ...`, `npm start`), or install Node.js " +
      REQUIRED_MAJOR + "+.\n",
  );
  process.exit(2);
}

const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const COMPILED_MAIN = path.join(ROOT, "dist", "cli", "main.js");
/** Folders whose TypeScript the build compiles into dist/ for the CLI (tests are not compiled). */
const SOURCE_DIRS = ["cli", "sandbox", "components", "functions", "policy", "program"];

/** The newest .ts source under the folders the build compiles, as [mtimeMs, file]. */
function newestSource() {
  let newest = [0, ""];
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
        const mtimeMs = fs.statSync(full).mtimeMs;
        if (mtimeMs > newest[0]) newest = [mtimeMs, full];
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(path.join(ROOT, dir));
  return newest;
}

/**
 * The compiled CLI when dist/ is there and not older than the sources; otherwise the sources through ts-node,
 * with a one-line notice, so a developer editing them runs what they edited.
 */
function loadMain() {
  let reason;
  try {
    const compiledAt = fs.statSync(COMPILED_MAIN).mtimeMs;
    const [sourceAt, source] = newestSource();
    if (sourceAt <= compiledAt) return require(COMPILED_MAIN);
    reason = `${path.relative(ROOT, source)} is newer than dist/`;
  } catch {
    reason = "dist/ is not built";
  }
  process.stderr.write(`sfn-lab: running from the TypeScript sources (${reason}); \`npm run build\` makes it start faster\n`);
  require("ts-node").register({ transpileOnly: true, project: path.join(ROOT, "tsconfig.json") });
  return require("./main.ts");
}

/** Once a command is done, anything it leaked (a worker port, a socket) must not keep the process alive. */
function exitSoonIfStuck() {
  setTimeout(() => process.exit(), 2000).unref();
}

const cli = loadMain();
cli
  .main(process.argv)
  .catch((err) => {
    // One line, no stack trace: what failed and where (an AWS error keeps its code, e.g. "ExecutionDoesNotExist: ...").
    console.error(cli.describeError(err));
    process.exitCode = process.exitCode || cli.exitCodeOf(err);
  })
  .finally(exitSoonIfStuck);
