import { buildSync } from "esbuild";
import { existsSync } from "node:fs";
import * as path from "node:path";
import type { ModelResource, ProgramModel } from "../program-model";

/**
 * A small, hand-written program model for the sandbox's own tests: one bucket (TLS-only policy), a data
 * file, two functions, a Python shell Glue job and the three pattern state machines, each with its own
 * least-privilege role. The function and job code is tiny but real: it talks to the sandbox's S3 through
 * unmodified SDK clients.
 */

export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";
export const BUCKET = "lab-data-0a1b2c3";
export const DATA_KEY = "data/orders.csv";
export const OUTPUT_PREFIX = "output";
export const JOB_NAME = "lab-etl-job";
export const CHECK_FILE = "lab-check-file";
export const VALIDATE = "lab-validate-output";

export const arn = {
  bucket: `arn:aws:s3:::${BUCKET}`,
  job: `arn:aws:glue:${REGION}:${ACCOUNT}:job/${JOB_NAME}`,
  fn: (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
  role: (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`,
  stateMachine: (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`,
};

const DATA_CSV = [
  "order_id,order_date,customer_id,region,product,quantity,unit_price,amount,status",
  "1,2024-01-02,C1,EU,Widget,2,60.00,120.00,SHIPPED",
  "2,2024-01-03,C2,US,Gadget,1,15.50,15.50,PENDING",
  "3,2024-01-04,C3,EU,Gizmo,5,40.00,200.00,DELIVERED",
].join("\n");

/** The Glue job: reads the data file, optionally fails or sleeps, writes data.csv then _manifest.json last. */
const GLUE_SCRIPT = `
import json
import sys
import time

import boto3
from awsglue.utils import getResolvedOptions

from transform import count_records

args = getResolvedOptions(sys.argv, ["source_bucket", "source_key", "output_bucket", "output_prefix"])
extra = {}
for name in ("fail_message", "sleep_seconds"):
    if "--" + name in sys.argv:
        extra.update(getResolvedOptions(sys.argv, [name]))
s3 = boto3.client("s3")
body = s3.get_object(Bucket=args["source_bucket"], Key=args["source_key"])["Body"].read().decode("utf-8")
time.sleep(float(extra.get("sleep_seconds", "0")))
if extra.get("fail_message"):
    print("about to fail", file=sys.stderr)
    raise ValueError(extra["fail_message"])
run_prefix = "%s/%s" % (args["output_prefix"], args["JOB_RUN_ID"])
s3.put_object(Bucket=args["output_bucket"], Key=run_prefix + "/data.csv", Body=body.encode("utf-8"))
manifest = {"job_run_id": args["JOB_RUN_ID"], "input_rows": count_records(body)}
s3.put_object(Bucket=args["output_bucket"], Key=run_prefix + "/_manifest.json", Body=json.dumps(manifest).encode("utf-8"))
print("wrote", run_prefix)
`;

const GLUE_HELPER = `
def count_records(text):
    lines = [line for line in text.splitlines() if line.strip()]
    return max(len(lines) - 1, 0)
`;

/** check-file, inline: HeadObject on DATA_BUCKET/DATA_KEY; a missing file throws FileNotFound. */
const INLINE_CHECK_FILE = `
const { S3Client, HeadObjectCommand } = require("@aws-sdk/client-s3");
const s3 = new S3Client({});
class FileNotFound extends Error { constructor(message) { super(message); this.name = "FileNotFound"; } }
exports.handler = async (event) => {
  const bucket = process.env.DATA_BUCKET, key = process.env.DATA_KEY;
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { bucket, key, size: head.ContentLength, taskToken: event && event.taskToken ? "present" : "absent" };
  } catch (error) {
    if (error.name === "NotFound" || (error.$metadata && error.$metadata.httpStatusCode === 404)) {
      throw new FileNotFound("Data file s3://" + bucket + "/" + key + " not found");
    }
    throw error;
  }
};
`;

/** validate-output, inline: the run's manifest must exist (it is written last). */
const INLINE_VALIDATE = `
const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3");
const s3 = new S3Client({});
class ValidationFailed extends Error { constructor(message) { super(message); this.name = "ValidationFailed"; } }
exports.handler = async (event) => {
  const key = process.env.OUTPUT_PREFIX + "/" + event.jobRunId + "/_manifest.json";
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: process.env.OUTPUT_BUCKET, Key: key }));
    const manifest = JSON.parse(await object.Body.transformToString());
    return { valid: true, manifest };
  } catch (error) {
    if (error.name === "NoSuchKey") throw new ValidationFailed("No manifest at s3://" + process.env.OUTPUT_BUCKET + "/" + key + ": the run has not finished");
    throw error;
  }
};
`;

const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The real check-file handler bundled as for Lambda, when its source exists; otherwise the inline one. */
export function checkFileCode(): string {
  const entry = path.join(REPO_ROOT, "functions", "check-file", "index.ts");
  if (!existsSync(entry)) return INLINE_CHECK_FILE;
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    write: false,
    external: ["@aws-sdk/*"],
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

let cachedCheckFile: string | undefined;

export function resource(type: string, name: string, state: Record<string, unknown>, inputs: Record<string, unknown> = state): ModelResource {
  return { type, name, urn: `urn:pulumi:test::lab::${type}::${name}`, id: String(state.name ?? state.bucket ?? name), inputs, state };
}

export function policy(statements: unknown[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

export function role(name: string, service: string): ModelResource {
  const assumeRolePolicy = policy([{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }]);
  return resource("aws:iam/role:Role", name, { name, arn: arn.role(name), assumeRolePolicy });
}

export function rolePolicy(name: string, roleName: string, statements: unknown[]): ModelResource {
  return resource("aws:iam/rolePolicy:RolePolicy", name, { role: roleName, policy: policy(statements) });
}

export function fn(name: string, code: string, env: Record<string, string>, timeout = 30): ModelResource {
  return resource("aws:lambda/function:Function", name, {
    name,
    arn: arn.fn(name),
    role: arn.role(`${name}-role`),
    handler: "index.handler",
    runtime: "nodejs22.x",
    architectures: ["arm64"],
    timeout,
    memorySize: 256,
    environment: { variables: env },
    code: { assets: { "index.js": { text: code } } },
  });
}

const INVOKE_FUNCTIONS = {
  Effect: "Allow",
  Action: ["lambda:InvokeFunction"],
  Resource: [arn.fn(CHECK_FILE), `${arn.fn(CHECK_FILE)}:*`, arn.fn(VALIDATE), `${arn.fn(VALIDATE)}:*`],
};

/** Retries like the program's: Lambda transient errors and Glue concurrency, with Catch into Fail states. */
const LAMBDA_RETRY = { ErrorEquals: ["Lambda.ServiceException", "Lambda.TooManyRequestsException"], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 };

function checkFileState(next: string, payload: Record<string, string> = { "executionId.$": "$$.Execution.Id" }) {
  return {
    Type: "Task",
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: { FunctionName: arn.fn(CHECK_FILE), Payload: payload },
    ResultSelector: { "file.$": "$.Payload" },
    ResultPath: "$.checkFile",
    TimeoutSeconds: 60,
    Retry: [LAMBDA_RETRY],
    Catch: [{ ErrorEquals: ["FileNotFound"], Next: "DataFileMissing", ResultPath: "$.error" }],
    Next: next,
  };
}

const VALIDATE_STATE = {
  Type: "Task",
  Resource: "arn:aws:states:::lambda:invoke",
  Parameters: { FunctionName: arn.fn(VALIDATE), Payload: { "jobRunId.$": "$.etl.JobRunId" } },
  ResultSelector: { "report.$": "$.Payload" },
  ResultPath: "$.validation",
  TimeoutSeconds: 60,
  Catch: [{ ErrorEquals: ["ValidationFailed"], Next: "OutputInvalid", ResultPath: "$.error" }],
  Next: "Done",
};

const END_STATES = {
  DataFileMissing: { Type: "Fail", Error: "DataFileMissing", CausePath: "$.error.Cause" },
  OutputInvalid: { Type: "Fail", Error: "OutputInvalid", CausePath: "$.error.Cause" },
  Done: { Type: "Succeed" },
};

export const DEFINITIONS = {
  "request-response": {
    StartAt: "CheckFile",
    States: {
      CheckFile: checkFileState("StartEtl"),
      StartEtl: {
        Type: "Task",
        Resource: "arn:aws:states:::glue:startJobRun",
        Parameters: { JobName: JOB_NAME },
        ResultPath: "$.etl",
        Next: "Validate",
      },
      Validate: VALIDATE_STATE,
      ...END_STATES,
    },
  },
  "run-job": {
    StartAt: "CheckFile",
    States: {
      CheckFile: checkFileState("StartEtl"),
      StartEtl: {
        Type: "Task",
        Resource: "arn:aws:states:::glue:startJobRun.sync",
        Parameters: { JobName: JOB_NAME, "Arguments.$": "$.arguments" },
        ResultSelector: { "JobRunId.$": "$.Id", "JobRunState.$": "$.JobRunState" },
        ResultPath: "$.etl",
        TimeoutSeconds: 1200,
        Retry: [{ ErrorEquals: ["Glue.ConcurrentRunsExceededException"], IntervalSeconds: 5, MaxAttempts: 10, BackoffRate: 1.5 }],
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "EtlFailed", ResultPath: "$.error" }],
        Next: "Validate",
      },
      Validate: VALIDATE_STATE,
      EtlFailed: { Type: "Fail", Error: "EtlFailed", CausePath: "$.error.Cause" },
      ...END_STATES,
    },
  },
  "wait-for-callback": {
    StartAt: "WaitForOperator",
    States: {
      WaitForOperator: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: {
          FunctionName: arn.fn(CHECK_FILE),
          Payload: { "taskToken.$": "$$.Task.Token", "executionId.$": "$$.Execution.Id" },
        },
        ResultPath: "$.etl",
        TimeoutSeconds: 86400,
        HeartbeatSeconds: 3600,
        Catch: [
          { ErrorEquals: ["FileNotFound"], Next: "DataFileMissing", ResultPath: "$.error" },
          { ErrorEquals: ["States.Timeout", "States.HeartbeatTimeout"], Next: "OperatorTimedOut", ResultPath: "$.error" },
          { ErrorEquals: ["States.ALL"], Next: "OperatorRejected", ResultPath: "$.error" },
        ],
        Next: "Validate",
      },
      Validate: VALIDATE_STATE,
      OperatorTimedOut: { Type: "Fail", Error: "OperatorTimedOut", CausePath: "$.error.Cause" },
      OperatorRejected: { Type: "Fail", Error: "OperatorRejected", CausePath: "$.error.Cause" },
      ...END_STATES,
    },
  },
} as const;

export type PatternName = keyof typeof DEFINITIONS;

/** A fresh model on every call, so a test may edit it (e.g. remove a policy statement) freely. */
export function fixtureModel(): ProgramModel {
  cachedCheckFile ??= checkFileCode();
  const resources: ModelResource[] = [
    resource("aws:s3/bucket:Bucket", "lab-data", { bucket: BUCKET, arn: arn.bucket }),
    resource("aws:s3/bucketPolicy:BucketPolicy", "lab-data-tls-only", {
      bucket: BUCKET,
      policy: policy([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [arn.bucket, `${arn.bucket}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]),
    }),
    resource("aws:s3/bucketObjectv2:BucketObjectv2", "orders", { bucket: BUCKET, key: DATA_KEY, content: DATA_CSV }),
    resource("aws:s3/bucketObjectv2:BucketObjectv2", "glue-script", { bucket: BUCKET, key: "etl/glue_job.py", content: GLUE_SCRIPT }),
    resource("aws:s3/bucketObjectv2:BucketObjectv2", "glue-helper", { bucket: BUCKET, key: "etl/transform.py", content: GLUE_HELPER }),

    role(`${CHECK_FILE}-role`, "lambda.amazonaws.com"),
    rolePolicy("check-file-read", `${CHECK_FILE}-role`, [
      { Sid: "ReadDataFile", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${arn.bucket}/${DATA_KEY}`] },
      { Sid: "ListForNotFound", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [arn.bucket] },
    ]),
    fn(CHECK_FILE, cachedCheckFile, { DATA_BUCKET: BUCKET, DATA_KEY, ETL_JOB_NAME: JOB_NAME, POWERTOOLS_LOG_LEVEL: "INFO" }),

    role(`${VALIDATE}-role`, "lambda.amazonaws.com"),
    rolePolicy("validate-read", `${VALIDATE}-role`, [
      { Sid: "ReadOutput", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${arn.bucket}/${OUTPUT_PREFIX}/*`] },
      { Sid: "ListOutput", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [arn.bucket] },
    ]),
    fn(VALIDATE, INLINE_VALIDATE, { OUTPUT_BUCKET: BUCKET, OUTPUT_PREFIX }),

    role("lab-glue-role", "glue.amazonaws.com"),
    rolePolicy("glue-data-access", "lab-glue-role", [
      { Sid: "ReadScripts", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${arn.bucket}/etl/*`] },
      { Sid: "ReadData", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${arn.bucket}/${DATA_KEY}`] },
      { Sid: "WriteOutput", Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${arn.bucket}/${OUTPUT_PREFIX}/*`] },
    ]),
    resource("aws:glue/job:Job", "lab-etl", {
      name: JOB_NAME,
      arn: arn.job,
      roleArn: arn.role("lab-glue-role"),
      command: { name: "pythonshell", pythonVersion: "3.9", scriptLocation: `s3://${BUCKET}/etl/glue_job.py` },
      defaultArguments: {
        "--source_bucket": BUCKET,
        "--source_key": DATA_KEY,
        "--output_bucket": BUCKET,
        "--output_prefix": OUTPUT_PREFIX,
        "--extra-py-files": `s3://${BUCKET}/etl/transform.py`,
      },
      maxCapacity: 0.0625,
      timeout: 10,
      executionProperty: { maxConcurrentRuns: 3 },
    }),
  ];

  const glueActions: Record<PatternName, string[] | undefined> = {
    "request-response": ["glue:StartJobRun"],
    "run-job": ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"],
    "wait-for-callback": undefined,
  };
  for (const pattern of Object.keys(DEFINITIONS) as PatternName[]) {
    const name = `lab-${pattern}`;
    const roleName = `${name}-role`;
    const statements: unknown[] = [{ Sid: "InvokeFunctions", ...INVOKE_FUNCTIONS }];
    const actions = glueActions[pattern];
    if (actions) statements.push({ Sid: "RunEtlJob", Effect: "Allow", Action: actions, Resource: [arn.job] });
    resources.push(
      role(roleName, "states.amazonaws.com"),
      rolePolicy(`${name}-policy`, roleName, statements),
      resource("aws:sfn/stateMachine:StateMachine", name, {
        name,
        arn: arn.stateMachine(name),
        roleArn: arn.role(roleName),
        definition: JSON.stringify(DEFINITIONS[pattern]),
        type: "STANDARD",
      }),
    );
  }

  return {
    project: "lab",
    stack: "test",
    region: REGION,
    accountId: ACCOUNT,
    resources,
    outputs: {
      bucketName: BUCKET,
      dataKey: DATA_KEY,
      outputPrefix: OUTPUT_PREFIX,
      jobName: JOB_NAME,
      functionNames: { checkFile: CHECK_FILE, validateOutput: VALIDATE },
      stateMachineArns: Object.fromEntries(Object.keys(DEFINITIONS).map((p) => [p, arn.stateMachine(`lab-${p}`)])),
    },
  };
}

/** Removes one statement (by Sid) from a RolePolicy of the model, as a test of necessity does. */
export function withoutStatement(model: ProgramModel, policyName: string, sid: string): ProgramModel {
  const target = model.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === policyName);
  if (!target) throw new Error(`No RolePolicy named "${policyName}" in the model`);
  const document = JSON.parse(String(target.inputs.policy)) as { Statement: { Sid?: string }[] };
  const kept = document.Statement.filter((s) => s.Sid !== sid);
  if (kept.length === document.Statement.length) throw new Error(`RolePolicy "${policyName}" has no statement "${sid}"`);
  const text = JSON.stringify({ ...document, Statement: kept });
  target.inputs = { ...target.inputs, policy: text };
  target.state = { ...target.state, policy: text };
  return model;
}

/**
 * Removes one action from a RolePolicy of any model (statements left with no action are dropped), as a
 * test of necessity does with the program's own policies.
 */
export function withoutPolicyAction(model: ProgramModel, policyName: string, action: string): ProgramModel {
  const target = model.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === policyName);
  if (!target) throw new Error(`No RolePolicy named "${policyName}" in the model`);
  const document = JSON.parse(String(target.inputs.policy)) as { Statement: { Action: string | string[] }[] };
  let removed = false;
  const statements = document.Statement.map((s) => {
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    const kept = actions.filter((a) => a !== action);
    removed ||= kept.length !== actions.length;
    return { ...s, Action: kept };
  }).filter((s) => s.Action.length > 0);
  if (!removed) throw new Error(`RolePolicy "${policyName}" does not grant ${action}`);
  const text = JSON.stringify({ ...document, Statement: statements });
  target.inputs = { ...target.inputs, policy: text };
  target.state = { ...target.state, policy: text };
  return model;
}

/** Adds a state machine with its own definition to a model, run by an existing role of the model. */
export function withStateMachine(model: ProgramModel, name: string, definition: unknown, roleName: string): ProgramModel {
  const state = { name, arn: arn.stateMachine(name), roleArn: arn.role(roleName), definition: JSON.stringify(definition), type: "STANDARD" };
  model.resources.push({ type: "aws:sfn/stateMachine:StateMachine", name, urn: `urn:pulumi:test::lab::sfn::${name}`, id: state.arn, inputs: state, state });
  return model;
}
