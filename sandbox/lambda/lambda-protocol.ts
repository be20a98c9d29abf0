import { closeSync, openSync, readSync, statSync } from "node:fs";
import { AwsServiceError } from "../aws-error";
import type { Principal } from "../iam/principals";
import type { RestProtocol, RestRequest, RestResponse } from "../endpoints/rest-protocol";
import { MAX_ZIP_BYTES, type CreateFunctionRequest, type LambdaService } from "./lambda-service";

/** The API version every Lambda request path starts with (botocore lambda 2015-03-31 requestUris). */
const PREFIX = "/2015-03-31/";
/** Invoke's LogType Tail answers the last 4 KB of the invocation's log, base64 (model, InvocationResponse.LogResult). */
const LOG_TAIL_BYTES = 4096;

function parseJson(body: Buffer): Record<string, unknown> {
  const text = body.toString("utf8");
  if (text.trim() === "") return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new AwsServiceError("SerializationException", "The request body is not a JSON object");
}

function str(body: Record<string, unknown>, member: string, required: boolean): string | undefined {
  const value = body[member];
  if (value === undefined || value === null) {
    if (required) throw new AwsServiceError("ValidationException", `1 validation error detected: Value null at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== "string") throw new AwsServiceError("SerializationException", `${member} must be a string`);
  return value;
}

function num(body: Record<string, unknown>, member: string): number | undefined {
  const value = body[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number") throw new AwsServiceError("SerializationException", `${member} must be a number`);
  return value;
}

/** CreateFunctionRequest from the JSON body; Code.ZipFile is a blob, base64 in JSON. */
function createRequest(body: Record<string, unknown>): CreateFunctionRequest {
  const code = body.Code;
  if (typeof code !== "object" || code === null) throw new AwsServiceError("ValidationException", "1 validation error detected: Value null at 'code' failed to satisfy constraint: Member must not be null");
  const c = code as Record<string, unknown>;
  const zip = str(c, "ZipFile", false);
  const environment = body.Environment as { Variables?: unknown } | undefined;
  const variables = environment?.Variables;
  if (variables !== undefined && (typeof variables !== "object" || variables === null || Object.values(variables).some((v) => typeof v !== "string"))) {
    throw new AwsServiceError("SerializationException", "Environment.Variables must map names to strings");
  }
  return {
    FunctionName: str(body, "FunctionName", true) as string,
    Role: str(body, "Role", true) as string,
    Runtime: str(body, "Runtime", false),
    Handler: str(body, "Handler", false),
    Code: { ZipFile: zip === undefined ? undefined : Buffer.from(zip, "base64"), S3Bucket: str(c, "S3Bucket", false), ImageUri: str(c, "ImageUri", false) },
    PackageType: str(body, "PackageType", false),
    Description: str(body, "Description", false),
    Timeout: num(body, "Timeout"),
    MemorySize: num(body, "MemorySize"),
    Environment: variables === undefined ? undefined : { Variables: variables as Record<string, string> },
  };
}

/** The log bytes an invocation appended, at most the last 4 KB. */
function logTail(file: string, from: number): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return "";
  }
  const start = Math.max(from, size - LOG_TAIL_BYTES);
  const buffer = Buffer.alloc(size - start);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, buffer.length, start);
  } finally {
    closeSync(fd);
  }
  return buffer.toString("base64");
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Invoke: RequestResponse (200, the payload), Event (202, run in the background), DryRun (204, authorized only). */
async function invoke(lambda: LambdaService, caller: Principal, name: string, request: RestRequest): Promise<RestResponse> {
  const qualifier = request.query.get("Qualifier");
  const ref = qualifier ? `${name}:${qualifier}` : name;
  const type = String(request.headers["x-amz-invocation-type"] ?? "RequestResponse");
  if (!["RequestResponse", "Event", "DryRun"].includes(type)) {
    throw new AwsServiceError("ValidationException", `1 validation error detected: Value '${type.slice(0, 40)}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`);
  }
  const text = request.body.toString("utf8");
  let event: unknown = {};
  if (text.trim() !== "") {
    try {
      event = JSON.parse(text);
    } catch (error) {
      throw new AwsServiceError("InvalidRequestContentException", `Could not parse request body into json: ${(error as Error).message}`);
    }
  }
  if (type === "DryRun") {
    await lambda.authorizeInvoke(caller, ref);
    return { status: 204 };
  }
  if (type === "Event") {
    await lambda.authorizeInvoke(caller, ref);
    void lambda.invoke(caller, ref, event).catch(() => undefined);
    return { status: 202 };
  }
  const logFile = lambda.logFileOf(ref);
  const before = sizeOf(logFile);
  const result = await lambda.invoke(caller, ref, event);
  const headers: Record<string, string> = { "x-amz-executed-version": result.executedVersion };
  if (result.functionError) headers["x-amz-function-error"] = result.functionError;
  if (request.headers["x-amz-log-type"] === "Tail") headers["x-amz-log-result"] = logTail(logFile, before);
  return { status: 200, headers, raw: Buffer.from(JSON.stringify(result.payload)) };
}

/** The operations served, by their model name and HTTP route (botocore lambda 2015-03-31, each operation's http). */
export const LAMBDA_OPERATIONS: Readonly<Record<string, string>> = {
  CreateFunction: "POST /2015-03-31/functions",
  GetFunction: "GET /2015-03-31/functions/{FunctionName}",
  DeleteFunction: "DELETE /2015-03-31/functions/{FunctionName}",
  Invoke: "POST /2015-03-31/functions/{FunctionName}/invocations",
};

/** Lambda's REST-JSON API over the sandbox's functions: CreateFunction, GetFunction, DeleteFunction, Invoke. */
export function lambdaProtocol(lambda: LambdaService): RestProtocol {
  return {
    pathPrefix: PREFIX,
    signingName: "lambda",
    // The zip, base64-encoded (4/3), and the rest of the request.
    maxBodyBytes: Math.ceil((MAX_ZIP_BYTES * 4) / 3) + 1024 * 1024,
    async handle(caller, request) {
      const [collection, name, sub, ...rest] = request.segments;
      const route = `${request.method} ${collection ?? ""}${name !== undefined ? "/{FunctionName}" : ""}${sub !== undefined ? `/${sub}` : ""}${rest.length > 0 ? "/..." : ""}`;
      switch (route) {
        case "POST functions":
          return { status: 201, json: await lambda.createFunction(caller, createRequest(parseJson(request.body))) };
        case "GET functions/{FunctionName}":
          return { status: 200, json: await lambda.getFunction(caller, withQualifier(name, request)) };
        case "DELETE functions/{FunctionName}":
          await lambda.deleteFunction(caller, withQualifier(name, request));
          return { status: 204 };
        case "POST functions/{FunctionName}/invocations":
          return invoke(lambda, caller, name, request);
        default:
          throw new AwsServiceError("UnknownOperationException", `The sandbox does not serve ${request.method} ${PREFIX}${request.segments.join("/")} of Lambda (it serves ${Object.keys(LAMBDA_OPERATIONS).join(", ")})`, 404);
      }
    },
  };
}

function withQualifier(name: string, request: RestRequest): string {
  const qualifier = request.query.get("Qualifier");
  return qualifier ? `${name}:${qualifier}` : name;
}
