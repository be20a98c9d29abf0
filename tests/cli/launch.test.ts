import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JavaScript, loaded as bin.js loads it.
const { chooseEntry } = require("../../cli/launch.js") as {
  chooseEntry(root: string): { kind: "compiled" | "sources"; main: string; reason?: string };
};

/** Which code bin.js runs: dist/ when it is built and not older than the sources, else the sources. */
describe("cli/launch.js: compiled dist/ or the TypeScript sources", function () {
  let root: string;
  const write = (file: string, mtimeSeconds: number) => {
    const full = path.join(root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, "");
    utimesSync(full, mtimeSeconds, mtimeSeconds);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "sfn-lab-launch-"));
    write("cli/main.ts", 1000);
    write("sandbox/index.ts", 1000);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("runs the sources when dist/ is not built", function () {
    assert.deepEqual(chooseEntry(root), { kind: "sources", main: path.join(root, "cli", "main.ts"), reason: "dist/ is not built" });
  });

  it("runs dist/cli/main.js when it is newer than every source", function () {
    write("dist/cli/main.js", 2000);
    assert.deepEqual(chooseEntry(root), { kind: "compiled", main: path.join(root, "dist", "cli", "main.js") });
  });

  it("runs the sources, naming the file, when one of them (in any compiled folder) was edited after the build", function () {
    write("dist/cli/main.js", 2000);
    write("components/etlPipeline.ts", 3000);
    assert.deepEqual(chooseEntry(root), {
      kind: "sources",
      main: path.join(root, "cli", "main.ts"),
      reason: `${path.join("components", "etlPipeline.ts")} is newer than dist/`,
    });
  });

  it("ignores edited tests and node_modules, which the build does not compile", function () {
    write("dist/cli/main.js", 2000);
    write("cli/main.test.ts", 3000);
    write("policy/node_modules/x/index.ts", 3000);
    assert.equal(chooseEntry(root).kind, "compiled");
  });
});
