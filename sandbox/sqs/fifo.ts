import { createHash } from "node:crypto";

/**
 * What makes a FIFO queue one (botocore sqs 2012-11-05, CreateQueue Attributes and SendMessage; SQS Developer Guide,
 * "FIFO queue logic" and "Exactly-once processing"): messages of one MessageGroupId are received one batch at a time
 * and in the order sent (a group with a message in flight gives nothing until it is deleted or visible again), and a
 * MessageDeduplicationId seen in the last 5 minutes is accepted but not delivered again.
 */
export interface FifoSettings {
  readonly contentBasedDeduplication: boolean;
  /** "messageQueue" (default): a deduplication id is unique in the queue; "messageGroup": within its group. */
  readonly deduplicationScope: "messageQueue" | "messageGroup";
  /** Kept and answered as given: the sandbox has no throughput quota to apply it to. */
  readonly throughputLimit: "perQueue" | "perMessageGroupId";
}

/** The deduplication interval (SendMessage, MessageDeduplicationId: "during the 5-minute deduplication interval"). */
export const DEDUPLICATION_INTERVAL_MS = 5 * 60 * 1000;

/** MessageGroupId and MessageDeduplicationId: up to 128 alphanumeric and punctuation characters (SendMessage). */
export const FIFO_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

/** A message's deduplication id: the one given, else (content-based deduplication) the SHA-256 of its body. */
export function deduplicationIdOf(body: string, given: string | undefined, settings: FifoSettings): string | undefined {
  if (given !== undefined) return given;
  return settings.contentBasedDeduplication ? createHash("sha256").update(body, "utf8").digest("hex") : undefined;
}

/** The key a deduplication id is remembered under, given the queue's scope. */
export function deduplicationKey(settings: FifoSettings, groupId: string, deduplicationId: string): string {
  return settings.deduplicationScope === "messageGroup" ? `${groupId}\u0000${deduplicationId}` : deduplicationId;
}

/** SequenceNumber: "large, non-consecutive", 128 bits at most, increasing (SendMessage result). */
export class SequenceNumbers {
  private last = 18_000_000_000_000_000_000n;

  next(): string {
    this.last += 1n + BigInt(Math.floor(Math.random() * 65_536));
    return this.last.toString();
  }
}
