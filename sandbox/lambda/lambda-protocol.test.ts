import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "../index";
import { emptyProgramModel } from "../sandbox-account";

const EMPTY = emptyProgramModel();

/** Lambda's REST-JSON endpoint before any operation runs: what it refuses, in Lambda's error shape. */
describe("sandbox Lambda endpoint refusals", function () {
  let sandbox: Sandbox;
  let rootDir: string;

  before(async () => {
    rootDir = mkdtempSync(path.join(tmpdir(), "lambda-api-"));
    sandbox = await Sandbox.start(EMPTY, { rootDir, writeConnectionFile: false });
  });
  after(async () => {
    await sandbox.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  it("an unsigned request is MissingAuthenticationTokenException, code in x-amzn-ErrorType, message in the body", async () => {
    const unsigned = await fetch(`${sandbox.endpoints.lambda}/2015-03-31/functions/echo`);
    assert.equal(unsigned.status, 400);
    assert.equal(unsigned.headers.get("x-amzn-errortype"), "MissingAuthenticationTokenException");
    assert.deepEqual(await unsigned.json(), { Type: "User", message: "Missing Authentication Token" });
  });
});
