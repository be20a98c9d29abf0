/** How the sandbox performs aws-sdk:s3 getObject, putObject and listObjectsV2 (request-response and .waitForTaskToken). */
import { AwsServiceError } from "../../sandbox/aws-error";
import type { IntegrationServices, TaskAttempt } from "../performer";
import { messageText } from "./message-text";
import { callTask } from "./task-events";

type S3Module = typeof import("@aws-sdk/client-s3");

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

/** GetObject; Body as UTF-8 text, as Step Functions passes it on. */
export function getObject(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  return s3Call(attempt, services, async (s3, client, p) => {
    const answer = await client.send(new s3.GetObjectCommand({ Bucket: str(p, "Bucket"), Key: str(p, "Key"), VersionId: str(p, "VersionId"), Range: str(p, "Range") }));
    const body = answer.Body ? await answer.Body.transformToString("utf8") : "";
    return { ...answer, Body: body };
  });
}

/** PutObject; a JSON Body is stored as its JSON text. */
export function putObject(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  return s3Call(attempt, services, (s3, client, p) =>
    client.send(
      new s3.PutObjectCommand({
        Bucket: str(p, "Bucket"),
        Key: str(p, "Key"),
        Body: messageText(p.Body) ?? "",
        ContentType: str(p, "ContentType"),
        Metadata: typeof p.Metadata === "object" && p.Metadata !== null ? (p.Metadata as Record<string, string>) : undefined,
      }),
    ),
  );
}

export function listObjectsV2(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  return s3Call(attempt, services, (s3, client, p) =>
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
  );
}
