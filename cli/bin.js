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

// V8 keeps the bytecode of the modules this process compiles (in the OS temporary folder, or NODE_COMPILE_CACHE),
// so the next start loads them without compiling them again: about a sixth of a `lint` run.
require("node:module").enableCompileCache?.();

const path = require("node:path");
const { chooseEntry } = require("./launch.js");

/** The compiled CLI, or its TypeScript sources through ts-node with a one-line notice saying why. */
function loadMain() {
  const root = path.join(__dirname, "..");
  const entry = chooseEntry(root);
  if (entry.kind === "compiled") return require(entry.main);
  // For a developer at a terminal; a script reading stderr gets only the command's own messages.
  if (process.stderr.isTTY) process.stderr.write(`sfn-lab: running from the TypeScript sources (${entry.reason}); \`npm run build\` makes it start faster\n`);
  require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
  return require(entry.main);
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
