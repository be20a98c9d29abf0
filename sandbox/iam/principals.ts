import { randomBytes } from "node:crypto";

/**
 * Who makes a call: an assumed-role session of a role from the model, the sandbox operator, or an AWS
 * service acting for itself (e.g. EventBridge invoking a target as events.amazonaws.com: no identity
 * policies, only resource-based policies can allow it).
 */
export interface Principal {
  /** The ARN IAM evaluates and AccessDenied messages name (a service principal's name for a service). */
  readonly arn: string;
  /** "service": an AWS service principal (sns.amazonaws.com delivering to a queue), allowed only by resource policies. */
  readonly kind: "role-session" | "operator" | "service";
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
 * Issues one key pair per principal and finds the issued pair from the access key id of a request's
 * SigV4 signature, so that the endpoints can verify the signature. Keys are random per directory (one
 * sandbox run): nothing about them can be derived from the principal or from constants in this code.
 */
export class PrincipalDirectory {
  private readonly byKeyId = new Map<string, IssuedIdentity>();
  private readonly byArn = new Map<string, IssuedIdentity>();

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
    return this.byKeyId.get(accessKeyId)?.principal;
  }

  /** The issued identity (principal and secret) of an access key id, to verify a signature made with it. */
  identityOf(accessKeyId: string): IssuedIdentity | undefined {
    return this.byKeyId.get(accessKeyId);
  }

  /** The keys issued to a principal (a role session or the operator); a service principal holds none. */
  credentialsOf(principal: Principal): Credentials {
    const issued = this.byArn.get(principal.arn);
    if (!issued) throw new Error(`No credentials were issued to ${principal.arn}`);
    return issued.credentials;
  }

  /** The same principal keeps its keys for the life of the directory; a new directory issues new ones. */
  private register(principal: Principal): IssuedIdentity {
    const existing = this.byArn.get(principal.arn);
    if (existing) return existing;
    // AWS's shapes: a 20-character key id starting AKIA, a 40-character secret.
    const accessKeyId = `AKIA${randomBytes(8).toString("hex").toUpperCase()}`;
    const secretAccessKey = randomBytes(30).toString("base64");
    const identity: IssuedIdentity = { principal, credentials: { accessKeyId, secretAccessKey } };
    this.byArn.set(principal.arn, identity);
    this.byKeyId.set(accessKeyId, identity);
    return identity;
  }
}

/** A service principal, as a resource policy's {"Service": "sns.amazonaws.com"} names it; it holds no keys. */
export function servicePrincipal(service: string): Principal {
  return { arn: service, kind: "service" };
}

export function roleNameFromArn(roleArn: string): string {
  const match = /^arn:[^:]+:iam::\d+:role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!match) throw new Error(`Not an IAM role ARN: "${roleArn}"`);
  return match[1];
}
