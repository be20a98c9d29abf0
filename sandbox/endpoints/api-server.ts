import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { AwsServiceError } from "../aws-error";
import type { Principal, PrincipalDirectory } from "../iam/principals";
import { SignatureError, verifySignature, type SignatureFailure } from "../iam/signature";
import { answerClientErrors, BodyTooLargeError, guardedListener, readBodyCapped, stderrSink, type InternalErrorSink } from "./http-guard";
import { parseJsonBody, parseTarget, sendJson, sendJsonError } from "./json-protocol";
import type { Operation, ServiceProtocol } from "./operations";
import { SIGNING_NAMES } from "./protocols";
import { isQueryRequest, parseQueryBody, sendQueryError, sendQueryResult, type QueryProtocol } from "./query-protocol";
import { sendRest, sendRestError, type RestProtocol } from "./rest-protocol";

/**
 * Largest JSON request body accepted. Step Functions' largest payloads are StartExecution's input and
 * SendTaskSuccess's output, at most 256 KiB of UTF-8 each (Step Functions quotas, "Maximum input or
 * output size"); JSON escaping can grow a string up to 6 times, so the cap leaves room for that and
 * every other field.
 */
export const MAX_JSON_REQUEST_BYTES = 2 * 1024 * 1024;

/** The JSON APIs accept a request signed at most 5 minutes away from now ("Signature expired: ... - 5 min."). */
const JSON_MAX_SKEW_MS = 5 * 60_000;


/** A query-protocol service: its protocol, the name requests are signed for, and whether it is regional. */
export interface QueryService {
  readonly protocol: QueryProtocol;
  readonly signingName: string;
  /** Regional services (SNS) need the sandbox's region in the signature; IAM is global (any region). */
  readonly regional?: boolean;
}

interface ServedProtocol {
  readonly contentType: string;
  readonly operations: ReadonlyMap<string, Operation>;
}

export interface ApiServerOptions {
  readonly port: number;
  readonly region: string;
  readonly onInternalError?: InternalErrorSink;
}

/**
 * One HTTP server on 127.0.0.1 answering the AWS JSON protocols of several services, routed by the
 * X-Amz-Target prefix (AWSStepFunctions.*, AWSGlue.*), and IAM's query protocol (form-encoded POSTs without
 * X-Amz-Target, routed by their Action). Every request's SigV4 signature is verified; the
 * caller is the principal whose keys signed it. Services and operations are looked up in own-property
 * maps only, so no name ("__proto__", "constructor"...) reaches anything but UnknownOperationException.
 */
export class ApiServer {
  private constructor(
    private readonly server: http.Server,
    readonly endpoint: string,
  ) {}

  /**
   * `query`: the query-protocol services (IAM, SNS), for form-encoded POSTs without X-Amz-Target, each routed
   * by the service its signature is scoped to (`signingName`); the first one answers unsigned requests.
   */
  static async start(
    options: ApiServerOptions,
    protocols: Readonly<Record<string, ServiceProtocol>>,
    principals: PrincipalDirectory,
    query?: QueryService | readonly QueryService[],
    rest: readonly RestProtocol[] = [],
  ): Promise<ApiServer> {
    const queryServices: readonly QueryService[] = query === undefined ? [] : Array.isArray(query) ? query : [query as QueryService];
    const served = new Map<string, ServedProtocol>();
    for (const [prefix, protocol] of Object.entries(protocols)) {
      served.set(prefix, { contentType: protocol.contentType, operations: new Map(Object.entries(protocol.operations)) });
    }
    const sink = options.onInternalError ?? stderrSink;
    const server = http.createServer(
      guardedListener(
        "api",
        (req, res) => {
          const restProtocol = rest.find((r) => (req.url ?? "").startsWith(r.pathPrefix));
          if (restProtocol) return handleRest(req, res, restProtocol, principals, options.region);
          return queryServices.length > 0 && isQueryRequest(req.method, req.headers["content-type"], req.headers["x-amz-target"])
            ? routeQuery(req, res, queryServices, principals, options.region)
            : handle(req, res, served, principals, options.region);
        },
        (_req, res) => sendJsonError(res, "application/x-amz-json-1.0", new AwsServiceError("InternalFailure", "The request processing has failed because of an unknown error.", 500)),
        sink,
      ),
    );
    answerClientErrors(server);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, "127.0.0.1", () => resolve());
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

/** How a protocol words each signature failure: the error code and HTTP status, and the text of a missing signature. */
interface SignatureWording {
  readonly codes: Readonly<Record<SignatureFailure, readonly [string, number]>>;
  readonly missingMessage: string;
}

/** The JSON protocols' wording (AWS common errors; 400 unless AWS says otherwise). */
const JSON_SIGNATURE_WORDING: SignatureWording = {
  codes: {
    missing: ["MissingAuthenticationTokenException", 400],
    malformed: ["IncompleteSignatureException", 400],
    unsupported: ["IncompleteSignatureException", 400],
    "wrong-scope": ["InvalidSignatureException", 400],
    "unknown-key": ["UnrecognizedClientException", 400],
    mismatch: ["InvalidSignatureException", 400],
    skewed: ["InvalidSignatureException", 400],
    expired: ["InvalidSignatureException", 400],
  },
  missingMessage: "Missing Authentication Token",
};

/**
 * The query protocol's wording (AWS API reference, "Common Errors"): IncompleteSignature 400;
 * InvalidClientTokenId, MissingAuthenticationToken and SignatureDoesNotMatch 403 (a skewed or expired
 * signature is SignatureDoesNotMatch "Signature expired", as IAM answers it).
 */
const QUERY_SIGNATURE_WORDING: SignatureWording = {
  codes: {
    missing: ["MissingAuthenticationToken", 403],
    malformed: ["IncompleteSignature", 400],
    unsupported: ["IncompleteSignature", 400],
    "wrong-scope": ["SignatureDoesNotMatch", 403],
    "unknown-key": ["InvalidClientTokenId", 403],
    mismatch: ["SignatureDoesNotMatch", 403],
    skewed: ["SignatureDoesNotMatch", 403],
    expired: ["SignatureDoesNotMatch", 403],
  },
  missingMessage: "Request is missing Authentication Token",
};

function wordedSignatureError(error: SignatureError, wording: SignatureWording): AwsServiceError {
  const [code, status] = wording.codes[error.failure];
  const message =
    error.failure === "missing"
      ? wording.missingMessage
      : error.failure === "unknown-key"
        ? "The security token included in the request is invalid."
        : error.message;
  return new AwsServiceError(code, message, status);
}

const signatureError = (error: SignatureError): AwsServiceError => wordedSignatureError(error, JSON_SIGNATURE_WORDING);
const querySignatureError = (error: SignatureError): AwsServiceError => wordedSignatureError(error, QUERY_SIGNATURE_WORDING);

/** The request's body (capped) and the principal whose keys signed it; AwsServiceError for either failing. */
async function readVerified(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  principals: PrincipalDirectory,
  services: readonly string[],
  region: string | undefined,
  wording: (error: SignatureError) => AwsServiceError = signatureError,
  maxBodyBytes = MAX_JSON_REQUEST_BYTES,
): Promise<{ body: Buffer; principal: Principal }> {
  let body: Buffer;
  try {
    body = await readBodyCapped(req, maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      res.setHeader("connection", "close");
      throw new AwsServiceError("SerializationException", `The request body is larger than the sandbox's limit of ${maxBodyBytes} bytes`, 413);
    }
    throw error;
  }
  const rawUrl = req.url ?? "/";
  const question = rawUrl.indexOf("?");
  let verified;
  try {
    verified = await verifySignature(
      {
        method: req.method ?? "POST",
        rawPath: question < 0 ? rawUrl : rawUrl.slice(0, question),
        rawQuery: question < 0 ? "" : rawUrl.slice(question + 1),
        headers: req.headers,
        body,
      },
      principals,
      { region, services, maxSkewMs: JSON_MAX_SKEW_MS, s3: false },
    );
  } catch (error) {
    if (error instanceof SignatureError) throw wording(error);
    throw error;
  }
  return { body, principal: verified.identity.principal };
}

/** The service a request's SigV4 credential scope names (<key>/<date>/<region>/<service>/aws4_request), if any. */
function scopedService(req: http.IncomingMessage): string | undefined {
  const authorization = String(req.headers.authorization ?? "");
  const fromHeader = /Credential=[^/,\s]+\/[^/,\s]+\/[^/,\s]+\/([^/,\s]+)\//.exec(authorization);
  if (fromHeader) return fromHeader[1];
  const url = req.url ?? "/";
  const credential = new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "").get("X-Amz-Credential");
  return credential?.split("/")[3];
}

/**
 * Routes a query-protocol request to the service its signature is scoped to. A request for a service served
 * over JSON only (SQS: its current model is JSON, older SDKs sent the query protocol) is refused naming that.
 */
async function routeQuery(req: http.IncomingMessage, res: http.ServerResponse, services: readonly QueryService[], principals: PrincipalDirectory, region: string): Promise<void> {
  const scoped = scopedService(req);
  const service = services.find((s) => s.signingName === scoped);
  if (!service && scoped !== undefined && [...SIGNING_NAMES.values()].includes(scoped)) {
    res.setHeader("connection", "close");
    sendQueryError(res, undefined, new AwsServiceError("InvalidAction", `The sandbox serves ${scoped.slice(0, 40)} over the AWS JSON protocol only (X-Amz-Target); use a current SDK or CLI`));
    return;
  }
  const chosen = service ?? services[0];
  return handleQuery(req, res, chosen.protocol, chosen.signingName, principals, chosen.regional ? region : undefined);
}

/**
 * A query-protocol request: Action names the operation. IAM is a global service, so the signature's region
 * is the one the client signed for (SDKs sign IAM for us-east-1, or for their configured region when given
 * an endpoint); the service in the scope must be the signing name.
 */
async function handleQuery(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  protocol: QueryProtocol,
  signingName: string,
  principals: PrincipalDirectory,
  region: string | undefined,
): Promise<void> {
  try {
    const { body, principal } = await readVerified(req, res, principals, [signingName], region, querySignatureError);
    const parameters = parseQueryBody(body);
    const action = parameters.get("Action") ?? "";
    const operation = Object.hasOwn(protocol.operations, action) ? protocol.operations[action] : undefined;
    if (!operation) throw new AwsServiceError("InvalidAction", `The sandbox does not serve the action ${action.slice(0, 100)} of this service`);
    if (parameters.get("Version") !== protocol.version) {
      throw new AwsServiceError("InvalidParameterValue", `Version must be ${protocol.version}, got ${(parameters.get("Version") ?? "none").slice(0, 40)}`);
    }
    sendQueryResult(res, protocol, action, await operation(principal, parameters));
  } catch (error) {
    if (!(error instanceof AwsServiceError)) throw error;
    sendQueryError(res, protocol, error);
  }
}

/** A REST-JSON request (Lambda): routed by path below the protocol's prefix, signed for its signing name. */
async function handleRest(req: http.IncomingMessage, res: http.ServerResponse, protocol: RestProtocol, principals: PrincipalDirectory, region: string): Promise<void> {
  try {
    const { body, principal } = await readVerified(req, res, principals, [protocol.signingName], region, signatureError, protocol.maxBodyBytes);
    const url = new URL(req.url ?? "/", "http://sandbox");
    let segments: string[];
    try {
      segments = url.pathname.slice(protocol.pathPrefix.length).split("/").filter((s) => s !== "").map((s) => decodeURIComponent(s));
    } catch {
      throw new AwsServiceError("ValidationException", "The request path is not valid percent-encoding");
    }
    sendRest(res, await protocol.handle(principal, { method: req.method ?? "GET", segments, query: url.searchParams, headers: req.headers, body }));
  } catch (error) {
    if (!(error instanceof AwsServiceError)) throw error;
    sendRestError(res, error);
  }
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  protocols: ReadonlyMap<string, ServedProtocol>,
  principals: PrincipalDirectory,
  region: string,
): Promise<void> {
  let contentType = "application/x-amz-json-1.0";
  try {
    const target = parseTarget(req.method, req.headers["x-amz-target"]);
    const protocol = protocols.get(target.service);
    if (!protocol) throw new AwsServiceError("UnknownOperationException", `The sandbox does not serve ${target.service}`);
    contentType = protocol.contentType;
    const operation = protocol.operations.get(target.operation);
    if (!operation) throw new AwsServiceError("UnknownOperationException", `The sandbox does not serve ${target.service}.${target.operation}`);

    const { body, principal } = await readVerified(req, res, principals, [SIGNING_NAMES.get(target.service) ?? ""], region);
    sendJson(res, contentType, await operation(principal, parseJsonBody(body)));
  } catch (error) {
    if (!(error instanceof AwsServiceError)) throw error;
    sendJsonError(res, contentType, error);
  }
}
