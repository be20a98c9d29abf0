import { AwsServiceError } from "../aws-error";

/**
 * Pages of a list behind opaque tokens. A token names the list it pages (e.g. the execution whose
 * history it continues) and the offset of the next page, so a token is refused on another list, as
 * the services refuse a token not issued for the request.
 */
export interface PageRequest {
  /** Page size the caller asked for; undefined or 0 means the operation's default. */
  readonly size: number | undefined;
  readonly defaultSize: number;
  readonly nextToken: string | undefined;
  /** What the token belongs to: operation and the request's own arguments. */
  readonly scope: string;
  /** The service's error for a token it did not issue, e.g. ["InvalidToken", "Invalid Token: ..."]. */
  readonly invalidToken: (token: string) => AwsServiceError;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

export function pageOf<T>(items: readonly T[], request: PageRequest): Page<T> {
  const size = request.size && request.size > 0 ? request.size : request.defaultSize;
  const start = request.nextToken === undefined ? 0 : offsetOf(request.nextToken, request);
  const slice = items.slice(start, start + size);
  const next = start + size;
  return next < items.length ? { items: slice, nextToken: tokenFor(request.scope, next) } : { items: slice };
}

function tokenFor(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify([scope, offset]), "utf8").toString("base64url");
}

function offsetOf(token: string, request: PageRequest): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw request.invalidToken(token);
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || decoded[0] !== request.scope) throw request.invalidToken(token);
  const offset: unknown = decoded[1];
  if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) throw request.invalidToken(token);
  // Re-encoding must give the same token: anything else was not issued by the sandbox.
  if (tokenFor(request.scope, offset) !== token) throw request.invalidToken(token);
  return offset;
}
