import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { AwsServiceError } from "../aws-error";

/** dynalite ships no types: the factory returns an http.Server answering DynamoDB's JSON protocol. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as (options: Record<string, unknown>) => http.Server;

/** DynamoDB's JSON protocol version (botocore dynamodb 2012-08-10: targetPrefix DynamoDB_20120810, JSON 1.0). */
export const DYNAMODB_TARGET_PREFIX = "DynamoDB_20120810";
export const DYNAMODB_CONTENT_TYPE = "application/x-amz-json-1.0";

/**
 * dynalite (in memory) on a Unix socket in a fresh private folder (mode 0700): no TCP port, so only the
 * sandbox reaches it; every client goes through the endpoint that verifies signatures and authorizes.
 * Tables are ACTIVE at once (createTableMs 0), as a program's tables are when its deployment ends.
 */
export class DynaliteBackend {
  /** Connections to this server only: a restarted server gets a new agent, never a socket to the old one. */
  private agent = new http.Agent({ keepAlive: true });

  private constructor(
    private server: http.Server,
    private readonly socketDir: string,
    readonly socketPath: string,
    /** dynalite names the account of its ARNs from the environment (000000000000 by default): answers name ours. */
    private readonly arnPrefix: string,
  ) {}

  static async start(region: string, accountId: string): Promise<DynaliteBackend> {
    const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-dynamodb-"));
    fs.chmodSync(socketDir, 0o700);
    const socketPath = path.join(socketDir, "backend.sock");
    const server = await listen(socketPath);
    return new DynaliteBackend(server, socketDir, socketPath, `arn:aws:dynamodb:${region}:${accountId}:`);
  }

  /**
   * One DynamoDB operation; resolves with its answer, rejects with AwsServiceError carrying DynamoDB's code
   * (dynalite answers "com.amazonaws.dynamodb.v20120810#Code": the SDKs keep what follows the '#').
   */
  async call(operation: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const payload = Buffer.from(JSON.stringify(body));
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(
        {
          socketPath: this.socketPath,
          agent: this.agent,
          method: "POST",
          path: "/",
          headers: {
            host: "localhost",
            "content-type": DYNAMODB_CONTENT_TYPE,
            "content-length": payload.length,
            "x-amz-target": `${DYNAMODB_TARGET_PREFIX}.${operation}`,
            // The endpoint in front verified the caller's signature; dynalite only checks one is present.
            authorization: "AWS4-HMAC-SHA256 Credential=sandbox/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
            "x-amz-date": "20260101T000000Z",
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => resolve({ status: response.statusCode ?? 500, text: Buffer.concat(chunks).toString("utf8") }));
          response.on("error", reject);
        },
      );
      request.on("error", reject);
      request.end(payload);
    });
    let answer: Record<string, unknown> = {};
    try {
      answer = text === "" ? {} : (JSON.parse(text.replace(/arn:aws:dynamodb:[a-z0-9-]+:\d+:/g, this.arnPrefix)) as Record<string, unknown>);
    } catch {
      throw new AwsServiceError("InternalServerError", `DynamoDB answered ${status} with a body that is not JSON`, 500);
    }
    if (status >= 200 && status < 300) return answer;
    const type = typeof answer.__type === "string" ? answer.__type : "InternalServerError";
    const message = typeof answer.message === "string" ? answer.message : typeof answer.Message === "string" ? answer.Message : "";
    throw new AwsServiceError(type.slice(type.lastIndexOf("#") + 1), message, status);
  }

  /** A fresh, empty store: dynalite keeps everything in memory, so a new server is a new store. */
  async restart(): Promise<void> {
    this.agent.destroy();
    this.agent = new http.Agent({ keepAlive: true });
    await close(this.server);
    fs.rmSync(this.socketPath, { force: true });
    this.server = await listen(this.socketPath);
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    await close(this.server);
    fs.rmSync(this.socketDir, { recursive: true, force: true });
  }
}

async function listen(socketPath: string): Promise<http.Server> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });
  return server;
}

function close(server: http.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
