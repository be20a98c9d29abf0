"use strict";
// Which code bin.js runs: plain JavaScript, so it needs no compiler. Kept apart from bin.js so it can be tested.
const fs = require("node:fs");
const path = require("node:path");

/** Folders whose TypeScript the build compiles into dist/ for the CLI (tests are not compiled). */
const SOURCE_DIRS = ["cli", "sandbox", "components", "functions", "policy", "program"];

/** The newest .ts source under the folders the build compiles: { mtimeMs, file }. */
function newestSource(root) {
  let newest = { mtimeMs: 0, file: "" };
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
        const { mtimeMs } = fs.statSync(full);
        if (mtimeMs > newest.mtimeMs) newest = { mtimeMs, file: full };
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(path.join(root, dir));
  return newest;
}

/**
 * The compiled CLI when dist/ holds it and is not older than any source; otherwise the sources (through
 * ts-node), with the reason, so a developer editing them runs what they edited.
 * Returns { kind: "compiled", main } or { kind: "sources", main, reason }.
 */
function chooseEntry(root) {
  const compiled = path.join(root, "dist", "cli", "main.js");
  const sources = path.join(root, "cli", "main.ts");
  let compiledAt;
  try {
    compiledAt = fs.statSync(compiled).mtimeMs;
  } catch {
    return { kind: "sources", main: sources, reason: "dist/ is not built" };
  }
  const newest = newestSource(root);
  if (newest.mtimeMs > compiledAt) return { kind: "sources", main: sources, reason: `${path.relative(root, newest.file)} is newer than dist/` };
  return { kind: "compiled", main: compiled };
}

module.exports = { chooseEntry, SOURCE_DIRS };
