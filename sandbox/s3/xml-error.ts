import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c] ?? c);
}

/** Answers with S3's XML error document, e.g. 403 AccessDenied, as the SDK parses it. */
export function sendS3Error(
  res: ServerResponse,
  method: string,
  status: number,
  code: string,
  message: string,
  resource?: string,
  details: Readonly<Record<string, string>> = {},
): void {
  const requestId = randomBytes(8).toString("hex").toUpperCase();
  const extra = Object.entries(details)
    .filter(([name]) => /^[A-Za-z][\w-]*$/.test(name))
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join("");
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>` +
    (resource ? `<Resource>${escapeXml(resource)}</Resource>` : "") +
    extra +
    `<RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`;
  res.writeHead(status, {
    "content-type": "application/xml",
    "x-amz-request-id": requestId,
    // HEAD responses carry no body, so the error code travels in a header too.
    "x-amz-error-code": code,
    "content-length": method === "HEAD" ? 0 : Buffer.byteLength(body),
  });
  res.end(method === "HEAD" ? undefined : body);
}
