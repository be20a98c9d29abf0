import { GetObjectCommand } from "@aws-sdk/client-s3";
import { SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { previewTaskToken } from "../../functions/check-file";
import type { ProgramModel } from "../../sandbox/program-model";
import { sharedProgramModel } from "../../sandbox/testing/shared-program-model";
import { waitForTaskToken } from "../../sandbox/testing/sfn-helpers";
import { findResource, LabSandbox } from "./labSandbox";

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** Security properties of the deployed program, shown in the sandbox. */
describe("Security, end to end in the sandbox", function () {
  this.timeout(60_000);
  let model: ProgramModel;

  before(async () => {
    model = await sharedProgramModel({ stack: "dev" });
  });

  it("[security] a task token never appears in full in the logs at INFO level: check-file logs only its preview", async () => {
    const lab = await LabSandbox.start(structuredClone(model));
    try {
      const checkFile = lab.outputs.functionNames.checkFile;
      const fn = findResource(model, "aws:lambda/function:Function", (r) => r.state.name === checkFile, "check-file");
      const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
      assert.equal(variables.POWERTOOLS_LOG_LEVEL, "INFO", "the program deploys check-file at INFO");

      const executionArn = await lab.run("wait-for-callback");
      const taskToken = await waitForTaskToken(lab.sfn, executionArn);
      const run = await lab.runEtl();
      await lab.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ JobRunId: run.Id }) }));
      assert.equal((await lab.finished(executionArn)).description.status, "SUCCEEDED");

      const checkFileLog = readFileSync(lab.sandbox.lambdaLogFile(checkFile), "utf8");
      assert.match(checkFileLog, /Waiting for operator approval/);
      assert.ok(checkFileLog.includes(previewTaskToken(taskToken)), "the operator sees the token's preview");
      const logDir = path.dirname(path.dirname(lab.sandbox.lambdaLogFile(checkFile)));
      const logs = filesUnder(logDir);
      assert.ok(logs.length >= 3, `the functions' and the Glue run's logs: ${logs.join(", ")}`);
      for (const file of logs) assert.ok(!readFileSync(file, "utf8").includes(taskToken), `${path.relative(logDir, file)} holds the full task token`);
    } finally {
      await lab.stop();
    }
  });

  it("[security] the bucket refuses plain HTTP: its TLS-only policy denies even the administrator, and CheckFile fails with AccessDenied", async () => {
    const lab = await LabSandbox.start(structuredClone(model), { treatLoopbackAsTls: false });
    try {
      const { bucketName, dataKey } = lab.outputs;
      await assert.rejects(lab.s3.send(new GetObjectCommand({ Bucket: bucketName, Key: dataKey })), (e: Error) => {
        assert.equal(e.name, "AccessDenied");
        assert.match(e.message, /s3:GetObject on resource: arn:aws:s3:::[^ ]+ with an explicit deny in a resource-based policy/);
        return true;
      });
      const { description, failure } = await lab.runToEnd("run-job");
      assert.deepEqual([failure.state, failure.error, description.error], ["CheckFile", "AccessDenied", "CheckFileFailed"]);
    } finally {
      await lab.stop();
    }
  });
});
