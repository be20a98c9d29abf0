import { strict as assert } from "node:assert";
import { functionConfigs, glueCapacity } from "../../cli/cost/model-config";
import { programToPrice } from "../../cli/commands/cost";
import type { SandboxConnection } from "../../sandbox";
import { byPattern, parseRecords } from "../../cli/cost/records-file";
import type { ProgramModel } from "../../sandbox/model";
import { runJobHistory } from "./histories";

function fn(logicalName: string, name: string, memorySize: number | undefined, architectures?: string[]) {
  const state = { name, arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`, role: "arn:aws:iam::123456789012:role/r" };
  return {
    type: "aws:lambda/function:Function",
    name: logicalName,
    urn: `urn:${logicalName}`,
    id: name,
    inputs: { ...state, memorySize, architectures, code: { assets: { "index.js": { text: "" } } } },
    state,
  };
}

const MODEL = {
  project: "p",
  stack: "dev",
  region: "us-east-1",
  accountId: "123456789012",
  resources: [
    fn("lab-check-file", "lab-check-file-0a1b", 256, ["arm64"]),
    fn("lab-validate-output", "lab-validate-output-2c3d", 512),
    {
      type: "aws:glue/job:Job",
      name: "lab-etl",
      urn: "urn:lab-etl",
      id: "lab-etl-job",
      inputs: { maxCapacity: 1, command: { name: "pythonshell", scriptLocation: "s3://b/etl/glue_job.py" }, roleArn: "arn:aws:iam::123456789012:role/g" },
      state: { name: "lab-etl-job", arn: "arn:aws:glue:us-east-1:123456789012:job/lab-etl-job" },
    },
  ],
  outputs: { functionNames: { checkFile: "lab-check-file-0a1b", validateOutput: "lab-validate-output-2c3d" } },
} as unknown as ProgramModel;

describe("cost inputs: function settings from the program model", () => {
  it("takes each function's memory and architecture (Lambda's x86_64 when none is set)", () => {
    assert.deepEqual(functionConfigs(MODEL), {
      "lab-check-file-0a1b": { memoryMb: 256, architecture: "arm64" },
      "lab-validate-output-2c3d": { memoryMb: 512, architecture: "x86_64" },
    });
  });

  it("maps deployed names to the model's function of the same role through the stack outputs", () => {
    const configs = functionConfigs(MODEL, { functionNames: { checkFile: "check-file-deployed-9z", validateOutput: "validate-deployed-8y" } });
    assert.deepEqual(configs["check-file-deployed-9z"], { memoryMb: 256, architecture: "arm64" });
    assert.deepEqual(configs["validate-deployed-8y"], { memoryMb: 512, architecture: "x86_64" });
  });

  it("reads the Glue job's capacity", () => {
    assert.equal(glueCapacity(MODEL), 1);
  });
});

describe("cost inputs: recorded executions file", () => {
  const good = { pattern: "run-job", history: runJobHistory(), functions: {}, glueRuns: [] };

  it("accepts a list of recorded executions and groups them by pattern in order", () => {
    const records = parseRecords(JSON.parse(JSON.stringify([good, { ...good, pattern: "request-response" }, good])), "runs.json");
    assert.deepEqual([...byPattern(records).entries()].map(([p, rs]) => [p, rs.length]), [
      ["run-job", 2],
      ["request-response", 1],
    ]);
  });

  it("says which entry and field is wrong", () => {
    assert.throws(() => parseRecords({}, "runs.json"), /runs.json: expected a JSON list of recorded executions/);
    assert.throws(() => parseRecords([good, { ...good, history: "none" }], "runs.json"), /runs.json: entry 2 \(run-job\): "history" must be the list of history events/);
    assert.throws(() => parseRecords([{ ...good, pattern: "" }], "runs.json"), /entry 1: "pattern" must be a non-empty string/);
  });
});

describe("cost inputs: which program prices the functions", () => {
  const running = (program?: { dir?: string; stack: string }) =>
    ({ pid: 1, endpoints: { sfn: "http://127.0.0.1:1" }, ...(program ? { program } : {}) }) as unknown as SandboxConnection;

  it("reads the program and stack the running sandbox deployed when --program is not given", () => {
    assert.deepEqual(programToPrice({ target: "sandbox" }, running({ dir: "/p/own", stack: "prod" })), { stack: "prod", programDir: "/p/own" });
    // The lab deployed with another stack: its config, not dev's.
    assert.deepEqual(programToPrice({ target: "sandbox" }, running({ stack: "prod" })), { stack: "prod" });
  });

  it("takes --program and --stack over the running sandbox's, and ignores the sandbox for the aws target", () => {
    assert.deepEqual(programToPrice({ target: "sandbox", program: "other", stack: "dev" }, running({ dir: "/p/own", stack: "prod" })), { stack: "dev", programDir: "other" });
    assert.deepEqual(programToPrice({ target: "sandbox", stack: "dev" }, running({ dir: "/p/own", stack: "prod" })), { stack: "dev", programDir: "/p/own" });
    assert.deepEqual(programToPrice({ target: "aws" }, running({ dir: "/p/own", stack: "prod" })), { stack: "dev" });
  });

  it("falls back to the lab's dev stack with no sandbox running, or one that did not say what it deployed", () => {
    assert.deepEqual(programToPrice({ target: "sandbox" }, undefined), { stack: "dev" });
    assert.deepEqual(programToPrice({ target: "sandbox" }, running()), { stack: "dev" });
  });
});
