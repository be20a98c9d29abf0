/**
 * AWS SDK integration with S3 (aws-sdk:s3:<action>): getObject, putObject and listObjectsV2 run in the
 * sandbox, request-response or .waitForTaskToken ("AWS SDK service integrations"). The call goes to the
 * sandbox's S3 endpoint signed with the state machine role's keys, so S3 authorizes it as it does every
 * caller (bucket policy included). Results are the API's answer (no SDK metadata: SDK integrations add none),
 * GetObject's Body as text, timestamps as ISO 8601. Errors are "S3.<Code>Exception" (S3.NoSuchKeyException).
 * IAM as the Service Authorization Reference lists it: s3:GetObject / s3:PutObject on the object,
 * s3:ListBucket on the bucket.
 */
import { AwsServiceError } from "../../sandbox/aws-error";
import type { IntegrationServices, TaskAttempt } from "../performer";
import { messageText } from "../perform/message-text";
import { callTask } from "../perform/task-events";
import { SDK_PATTERNS } from "../patterns";
import type { ActionSupport, IamStatementTemplate, IntegrationModule } from "../types";
import { OTHER_ACTIONS } from "../types";

type S3Module = typeof import("@aws-sdk/client-s3");

const OBJECT = "arn:${Partition}:s3:::${Bucket}/${Key}";
const both = (statements: readonly IamStatementTemplate[]): ActionSupport["iam"] => ({ "request-response": statements, waitForTaskToken: statements });

/** Answer members as Step Functions passes them on: Dates as ISO 8601 text, no SDK `$metadata`, no unset members. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, "Z");
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([k, v]) => k !== "$metadata" && v !== undefined).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** One S3 call as the attempt's principal; the SDK's errors as S3's codes. */
async function s3Call(attempt: TaskAttempt, services: IntegrationServices, call: (s3: S3Module, client: InstanceType<S3Module["S3Client"]>, p: Record<string, unknown>) => Promise<unknown>): Promise<unknown> {
  return callTask(attempt, services, "s3", async () => {
    // Loaded on first use: the registry itself loads no AWS SDK.
    const s3 = await import("@aws-sdk/client-s3");
    const client = new s3.S3Client({
      region: services.region,
      endpoint: services.s3.endpoint(),
      forcePathStyle: true,
      credentials: services.s3.credentialsOf(attempt.principal),
      maxAttempts: 1,
    });
    try {
      const p = typeof attempt.parameters === "object" && attempt.parameters !== null ? (attempt.parameters as Record<string, unknown>) : {};
      return plain(await call(s3, client, p));
    } catch (error) {
      const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
      if (e.$metadata?.httpStatusCode !== undefined) throw new AwsServiceError(e.name ?? "S3Exception", e.message ?? "", e.$metadata.httpStatusCode);
      throw error;
    } finally {
      client.destroy();
    }
  });
}

const str = (p: Record<string, unknown>, key: string): string | undefined => (typeof p[key] === "string" ? (p[key] as string) : undefined);
const num = (p: Record<string, unknown>, key: string): number | undefined => (typeof p[key] === "number" ? (p[key] as number) : undefined);

export const awsSdkS3: IntegrationModule = {
  name: "aws-sdk:s3",
  kind: "sdk",
  service: "s3",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html",
  actions: {
    getObject: {
      patterns: SDK_PATTERNS,
      iam: both([{ actions: ["s3:GetObject"], resources: [OBJECT] }]),
      perform: (attempt, services) =>
        s3Call(attempt, services, async (s3, client, p) => {
          const answer = await client.send(new s3.GetObjectCommand({ Bucket: str(p, "Bucket"), Key: str(p, "Key"), VersionId: str(p, "VersionId"), Range: str(p, "Range") }));
          const body = answer.Body ? await answer.Body.transformToString("utf8") : "";
          return { ...answer, Body: body };
        }),
    },
    putObject: {
      patterns: SDK_PATTERNS,
      iam: both([{ actions: ["s3:PutObject"], resources: [OBJECT] }]),
      perform: (attempt, services) =>
        s3Call(attempt, services, (s3, client, p) =>
          client.send(
            new s3.PutObjectCommand({
              Bucket: str(p, "Bucket"),
              Key: str(p, "Key"),
              Body: messageText(p.Body) ?? "",
              ContentType: str(p, "ContentType"),
              Metadata: typeof p.Metadata === "object" && p.Metadata !== null ? (p.Metadata as Record<string, string>) : undefined,
            }),
          ),
        ),
    },
    listObjectsV2: {
      patterns: SDK_PATTERNS,
      iam: both([{ actions: ["s3:ListBucket"], resources: ["arn:${Partition}:s3:::${Bucket}"] }]),
      perform: (attempt, services) =>
        s3Call(attempt, services, (s3, client, p) =>
          client.send(
            new s3.ListObjectsV2Command({
              Bucket: str(p, "Bucket"),
              Prefix: str(p, "Prefix"),
              Delimiter: str(p, "Delimiter"),
              MaxKeys: num(p, "MaxKeys"),
              ContinuationToken: str(p, "ContinuationToken"),
              StartAfter: str(p, "StartAfter"),
            }),
          ),
        ),
    },
    // Every other S3 action: known to the analysis, refused by the sandbox.
    [OTHER_ACTIONS]: { patterns: SDK_PATTERNS },
  },
};
