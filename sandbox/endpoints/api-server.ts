import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { AwsServiceError } from "../aws-error";
import { accessKeyIdOf, type PrincipalDirectory } from "../iam/principals";
import { readJsonRequest, sendJson, sendJsonError } from "./json-protocol";
import type { ServiceProtocol } from "./operations";

/**
 * One HTTP server on 127.0.0.1 answering the AWS JSON protocols of several services, routed by the
 * X-Amz-Target prefix (AWSStepFunctions.*, AWSGlue.*). The caller is the principal whose access key id
 * signed the request.
 */
export class ApiServer {
  private constructor(
    private readonly server: http.Server,
    readonly endpoint: string,
  ) {}

  static async start(port: number, protocols: Readonly<Record<string, ServiceProtocol>>, principals: PrincipalDirectory): Promise<ApiServer> {
    const server = http.createServer((req, res) => {
      void handle(req, res, protocols, principals);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    return new ApiServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  protocols: Readonly<Record<string, ServiceProtocol>>,
  principals: PrincipalDirectory,
): Promise<void> {
  let contentType = "application/x-amz-json-1.0";
  try {
    const request = await readJsonRequest(req);
    const protocol = protocols[request.service];
    if (!protocol) throw new AwsServiceError("UnknownOperationException", `The sandbox does not serve ${request.service}`);
    contentType = protocol.contentType;
    const operation = protocol.operations[request.operation];
    if (!operation) throw new AwsServiceError("UnknownOperationException", `The sandbox does not serve ${request.service}.${request.operation}`);
    const keyId = accessKeyIdOf(req.headers, new URL(req.url ?? "/", "http://localhost").searchParams);
    if (keyId === undefined) throw new AwsServiceError("MissingAuthenticationTokenException", "Missing Authentication Token", 400);
    const caller = principals.byAccessKeyId(keyId);
    if (!caller) throw new AwsServiceError("UnrecognizedClientException", "The security token included in the request is invalid.", 400);
    sendJson(res, contentType, await operation(caller, request.body));
  } catch (error) {
    sendJsonError(res, contentType, error);
  }
}
