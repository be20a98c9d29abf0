import { createHash, createHmac } from "node:crypto";

/** Who makes a call: an assumed-role session of a role from the model, or the sandbox operator. */
export interface Principal {
  /** The ARN IAM evaluates and AccessDenied messages name. */
  readonly arn: string;
  readonly kind: "role-session" | "operator";
  /** The role whose identity policies apply (role sessions only). */
  readonly roleArn?: string;
  readonly roleName?: string;
}

/** Static credentials the sandbox issues; any SigV4 client accepts them. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface IssuedIdentity {
  readonly principal: Principal;
  readonly credentials: Credentials;
}

/** The operator: the person (or CLI) driving the sandbox, with administrator-like access. */
export const OPERATOR_USER_NAME = "sandbox-operator";

/**
 * Issues one fake key pair per principal and recognizes callers by the access key id of their SigV4
 * signature. Keys are derived from the principal's ARN, so they are stable across restarts and resets.
 * Signatures are not verified: the sandbox listens on loopback only, and the key id is what names the caller.
 */
export class PrincipalDirectory {
  private readonly byKeyId = new Map<string, Principal>();

  constructor(readonly accountId: string) {}

  /** The session a service starts when it assumes `roleArn` (e.g. Lambda uses the function name). */
  roleSession(roleArn: string, sessionName: string): IssuedIdentity {
    const roleName = roleNameFromArn(roleArn);
    const principal: Principal = {
      arn: `arn:aws:sts::${this.accountId}:assumed-role/${roleName}/${sessionName}`,
      kind: "role-session",
      roleArn,
      roleName,
    };
    return this.register(principal);
  }

  operator(): IssuedIdentity {
    return this.register({ arn: `arn:aws:iam::${this.accountId}:user/${OPERATOR_USER_NAME}`, kind: "operator" });
  }

  /** The principal a request's access key id belongs to, or undefined when the sandbox never issued it. */
  byAccessKeyId(accessKeyId: string): Principal | undefined {
    return this.byKeyId.get(accessKeyId);
  }

  private register(principal: Principal): IssuedIdentity {
    const digest = createHash("sha256").update(principal.arn).digest("hex").toUpperCase();
    const accessKeyId = `AKIA${digest.slice(0, 16)}`;
    const secretAccessKey = createHmac("sha256", "sandbox").update(principal.arn).digest("base64").slice(0, 40);
    this.byKeyId.set(accessKeyId, principal);
    return { principal, credentials: { accessKeyId, secretAccessKey } };
  }
}

export function roleNameFromArn(roleArn: string): string {
  const match = /^arn:[^:]+:iam::\d+:role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!match) throw new Error(`Not an IAM role ARN: "${roleArn}"`);
  return match[1];
}

/**
 * The access key id a request was signed with: SigV4 Authorization header, SigV4 presigned query
 * (X-Amz-Credential) or the legacy "AWS key:signature" header. Undefined for unsigned requests.
 */
export function accessKeyIdOf(headers: Record<string, string | string[] | undefined>, query: URLSearchParams): string | undefined {
  const authorization = headers["authorization"];
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  if (header) {
    const v4 = /Credential=([^/,\s]+)\//.exec(header);
    if (v4) return v4[1];
    const v2 = /^AWS ([^:\s]+):/.exec(header);
    if (v2) return v2[1];
    return undefined;
  }
  const credential = query.get("X-Amz-Credential");
  return credential ? credential.split("/")[0] : undefined;
}
