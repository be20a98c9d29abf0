import type { ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { AwsServiceError } from "../aws-error";
import type { Principal } from "../iam/principals";

/**
 * The AWS query protocol (IAM): POST / with a form-encoded body "Action=<Operation>&Version=<date>&<members>";
 * answers are XML "<OpResponse xmlns=...><OpResult>...</OpResult><ResponseMetadata>...", errors
 * "<ErrorResponse><Error><Type>Sender</Type><Code>...</Code><Message>...</Message></Error><RequestId>".
 */
export type QueryParameters = ReadonlyMap<string, string>;

/** An operation answers the XML inside its <OpResult> element, or undefined for an operation without output. */
export type QueryOperation = (caller: Principal, parameters: QueryParameters) => Promise<string | undefined>;

export interface QueryProtocol {
  readonly xmlNamespace: string;
  readonly version: string;
  readonly operations: Readonly<Record<string, QueryOperation>>;
}

export function isQueryRequest(method: string | undefined, contentType: string | undefined, target: string | string[] | undefined): boolean {
  return method === "POST" && target === undefined && (contentType ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded");
}

export function parseQueryBody(raw: Buffer): QueryParameters {
  return new Map(new URLSearchParams(raw.toString("utf8")));
}

export function requiredParameter(parameters: QueryParameters, name: string): string {
  const value = parameters.get(name);
  if (value === undefined) throw new AwsServiceError("ValidationError", `1 validation error detected: Value null at '${name[0].toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return value;
}

export function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c] ?? c);
}

/** <Name>value</Name> for each defined member; Dates as ISO 8601 (the query protocol's timestamps). */
export function xmlMembers(members: Record<string, string | number | boolean | Date | undefined>): string {
  return Object.entries(members)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<${name}>${xmlEscape(value instanceof Date ? value.toISOString().replace(/\.\d{3}Z$/, "Z") : String(value))}</${name}>`)
    .join("");
}

export function sendQueryResult(res: ServerResponse, protocol: QueryProtocol, action: string, result: string | undefined): void {
  const requestId = randomUUID();
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${protocol.xmlNamespace}">` +
    (result !== undefined ? `<${action}Result>${result}</${action}Result>` : "") +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  res.writeHead(200, { "content-type": "text/xml", "content-length": Buffer.byteLength(body), "x-amzn-requestid": requestId });
  res.end(body);
}

export function sendQueryError(res: ServerResponse, protocol: QueryProtocol | undefined, error: AwsServiceError): void {
  const requestId = randomUUID();
  const type = error.httpStatus >= 500 ? "Receiver" : "Sender";
  const xmlns = protocol ? ` xmlns="${protocol.xmlNamespace}"` : "";
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse${xmlns}><Error><Type>${type}</Type>` +
    `<Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  res.writeHead(error.httpStatus, { "content-type": "text/xml", "content-length": Buffer.byteLength(body), "x-amzn-requestid": requestId });
  res.end(body);
}
