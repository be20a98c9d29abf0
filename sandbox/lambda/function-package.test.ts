import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { functionPackage, functionProblem } from "../model-view";
import type { ModelResource } from "../program-model";
import { archivePart, PackageError, writePackage } from "./function-package";

/** A zip made by Python's zipfile (entries name -> text), as a user's build would make one. */
function zipOf(file: string, entries: Record<string, string>): void {
  const script = "import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],'w')\nfor k,v in json.loads(sys.argv[2]).items(): z.writestr(k,v)\nz.close()";
  execFileSync("python3", ["-c", script, file, JSON.stringify(entries)]);
}

function fnResource(inputs: Record<string, unknown>): ModelResource {
  return { type: "aws:lambda/function:Function", name: "fn", urn: "urn:x", id: "fn", inputs, state: {} };
}

describe("function deployment packages (what a program's aws.lambda.Function code becomes)", () => {
  let dir: string;
  const root = () => path.join(dir, "task");
  const write = (p: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), text);
  };
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "function-package-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes a FileArchive folder, a zip, file and string assets, each at its place in the package", () => {
    write("app/index.js", "exports.handler = 1;");
    write("app/lib/util.js", "module.exports = 2;");
    write("config.json", "{}");
    zipOf(path.join(dir, "deps.zip"), { "dep/index.js": "module.exports = 3;" });
    writePackage(
      root(),
      [
        { at: "", directory: path.join(dir, "app") },
        { at: "vendor", zipFile: path.join(dir, "deps.zip") },
        { at: "conf/config.json", file: path.join(dir, "config.json") },
        { at: "VERSION", text: "7" },
      ],
      { python: "python3", what: "function fn" },
    );
    assert.equal(readFileSync(path.join(root(), "index.js"), "utf8"), "exports.handler = 1;");
    assert.equal(readFileSync(path.join(root(), "lib", "util.js"), "utf8"), "module.exports = 2;");
    assert.equal(readFileSync(path.join(root(), "vendor", "dep", "index.js"), "utf8"), "module.exports = 3;");
    assert.equal(readFileSync(path.join(root(), "conf", "config.json"), "utf8"), "{}");
    assert.equal(readFileSync(path.join(root(), "VERSION"), "utf8"), "7");
  });

  it("keeps every zip entry inside the package, even one named ../outside (zipfile drops '..')", () => {
    zipOf(path.join(dir, "evil.zip"), { "../outside.js": "x", "/abs.js": "y" });
    writePackage(root(), [{ at: "", zipFile: path.join(dir, "evil.zip") }], { python: "python3", what: "function fn" });
    assert.ok(!existsSync(path.join(dir, "outside.js")), "nothing lands next to the package");
    assert.ok(existsSync(path.join(root(), "outside.js")) && existsSync(path.join(root(), "abs.js")));
    assert.throws(() => writePackage(root(), [{ at: "../x.js", text: "" }], { python: "python3", what: "function fn" }), /function fn: "\.\.\/x\.js" is outside the function's package/);
  });

  it("refuses bytes that are no zip, and archives that are neither a folder nor a zip, by name", () => {
    assert.throws(() => writePackage(root(), [{ at: "", zipBytes: Buffer.from("nope") }], { python: "python3", what: "function fn" }), (e: unknown) => e instanceof PackageError && /function fn: the zip cannot be extracted/.test(e.message));
    write("code.tar.gz", "x");
    assert.throws(() => archivePart("", path.join(dir, "code.tar.gz"), "fn"), /neither a folder nor a \.zip file/);
    assert.throws(() => archivePart("", path.join(dir, "missing"), "fn"), /fn: the archive .*missing does not exist/);
  });

  it("reads the program's code input: AssetArchive entries (nested archives under their name) or one FileArchive", () => {
    write("app/index.js", "x");
    const parts = functionPackage(
      fnResource({
        code: { archive: true, assets: { "index.js": { text: "a" }, "b.py": { path: "/src/b.py" }, lib: { archive: true, path: path.join(dir, "app") }, nested: { archive: true, assets: { "c.txt": { text: "c" } } } } },
      }),
    );
    assert.deepEqual(parts, [
      { at: "index.js", text: "a" },
      { at: "b.py", file: "/src/b.py" },
      { at: "lib", directory: path.join(dir, "app") },
      { at: "nested/c.txt", text: "c" },
    ]);
    assert.deepEqual(functionPackage(fnResource({ code: { archive: true, path: path.join(dir, "app") } })), [{ at: "", directory: path.join(dir, "app") }]);
  });

  it("says why a function cannot be deployed: code in S3 or an image, a runtime the sandbox does not run", () => {
    assert.match(functionProblem(fnResource({ s3Bucket: "b", s3Key: "k", runtime: "nodejs22.x" })) ?? "", /takes its code from S3 \(s3Bucket\/s3Key\)/);
    assert.match(functionProblem(fnResource({ imageUri: "x", packageType: "Image" })) ?? "", /takes its code from a container image/);
    assert.match(functionProblem(fnResource({ runtime: "java21", code: { archive: true, assets: {} } })) ?? "", /runtime java21 is not one the sandbox runs/);
    assert.equal(functionProblem(fnResource({ runtime: "python3.12", code: { archive: true, assets: { "a.py": { text: "" } } } })), undefined);
  });
});
