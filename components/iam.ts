import * as pulumi from "@pulumi/pulumi";

/** One statement of an identity policy; resources may be outputs (ARNs not known until deployment). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: readonly string[];
  readonly Resource: readonly pulumi.Input<string>[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** The policy document as JSON text, once every resource ARN is known. */
export function policyDocument(statements: readonly PolicyStatement[]): pulumi.Output<string> {
  return pulumi
    .all(statements.map((s) => pulumi.all(s.Resource as pulumi.Input<string>[])))
    .apply((resources) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: statements.map((s, i) => ({
          ...(s.Sid ? { Sid: s.Sid } : {}),
          Effect: s.Effect,
          Action: [...s.Action],
          Resource: [...new Set(resources[i])],
          ...(s.Condition ? { Condition: s.Condition } : {}),
        })),
      }),
    );
}

/**
 * Services whose documentation says they send `aws:SourceAccount` when they assume a role, so a trust policy
 * can require it against the confused deputy. Only documented ones: a condition on a key the service does not
 * send makes the role impossible to assume.
 * - states.amazonaws.com: AWS Step Functions Developer Guide, "Creating an IAM role for your state machine in
 *   Step Functions", section "Prevent cross-service confused deputy issue" (aws:SourceAccount, aws:SourceArn).
 * Lambda ("Defining Lambda function permissions with an execution role") and Glue ("Setting up IAM permissions
 * for AWS Glue") document only the service principal for the roles they assume, and no page says which key each
 * sends for its execution or job role (Lambda's managed-policies page mentions the keys only in general terms);
 * so theirs carry no condition.
 */
export const SERVICES_SENDING_SOURCE_ACCOUNT: readonly string[] = ["states.amazonaws.com"];

/** Trust policy letting one AWS service assume a role; limited to this account where the service documents it. */
export function assumeRolePolicy(service: string, accountId: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(accountId).apply((account) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: service },
          Action: "sts:AssumeRole",
          ...(SERVICES_SENDING_SOURCE_ACCOUNT.includes(service) ? { Condition: { StringEquals: { "aws:SourceAccount": account } } } : {}),
        },
      ],
    }),
  );
}

/** Partition, region and account, needed to write ARNs for names. */
export interface ArnContext {
  readonly partition: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
}
