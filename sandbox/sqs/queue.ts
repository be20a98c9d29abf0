import { randomBytes, randomUUID } from "node:crypto";
import { DEDUPLICATION_INTERVAL_MS, deduplicationKey, SequenceNumbers, type FifoSettings } from "./fifo";
import { md5Hex, md5OfMessageAttributes, type MessageAttributeValue } from "./message-md5";

/** Queue attributes a standard queue has, with SQS's defaults (CreateQueue, Attributes: botocore sqs 2012-11-05). */
export const QUEUE_DEFAULTS = {
  DelaySeconds: 0,
  MaximumMessageSize: 1_048_576,
  MessageRetentionPeriod: 345_600,
  ReceiveMessageWaitTimeSeconds: 0,
  VisibilityTimeout: 30,
} as const;

/** Each settable numeric attribute's valid range (same source). */
export const QUEUE_ATTRIBUTE_RANGES: Readonly<Record<keyof typeof QUEUE_DEFAULTS, readonly [number, number]>> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
};

export type QueueSettings = { -readonly [K in keyof typeof QUEUE_DEFAULTS]: number } & {
  Policy?: string;
  /** {"deadLetterTargetArn": ..., "maxReceiveCount": n}, as JSON text. */
  RedrivePolicy?: string;
  /** FIFO queues' attributes, as CreateQueue took them ("true" / "false", the scope and limit names). */
  FifoQueue?: "true";
  ContentBasedDeduplication?: "true" | "false";
  DeduplicationScope?: "messageQueue" | "messageGroup";
  FifoThroughputLimit?: "perQueue" | "perMessageGroupId";
};

export interface SentMessage {
  readonly MessageId: string;
  readonly MD5OfMessageBody: string;
  readonly MD5OfMessageAttributes?: string;
  /** FIFO queues only. */
  readonly SequenceNumber?: string;
}

/** A FIFO message's group and deduplication id (the caller has checked both). */
export interface FifoMessageIds {
  readonly groupId: string;
  readonly deduplicationId: string;
}

export interface ReceivedMessage {
  readonly MessageId: string;
  readonly ReceiptHandle: string;
  readonly MD5OfBody: string;
  readonly Body: string;
  readonly Attributes?: Record<string, string>;
  readonly MD5OfMessageAttributes?: string;
  readonly MessageAttributes?: Record<string, MessageAttributeValue>;
}

export interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly bodyMd5: string;
  readonly attributes: Readonly<Record<string, MessageAttributeValue>>;
  readonly attributesMd5?: string;
  readonly senderId: string;
  readonly sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** The receipt handle of the latest receive; DeleteMessage takes the latest one. */
  receiptHandle?: string;
  readonly fifo?: FifoMessageIds & { readonly sequenceNumber: string };
}

/**
 * One queue in memory: at-least-once delivery with visibility timeouts, delays and retention; a FIFO queue
 * (`fifo` set) adds ordering per message group and deduplication (fifo.ts).
 */
export class Queue {
  private messages: StoredMessage[] = [];
  private readonly arrivals = new Set<() => void>();
  /** FIFO: what each deduplication key was answered with, and when. */
  private readonly deduplicated = new Map<string, { readonly sent: SentMessage; readonly at: number }>();
  private readonly sequenceNumbers = new SequenceNumbers();
  readonly createdAt = Date.now();

  constructor(
    readonly name: string,
    readonly arn: string,
    readonly settings: QueueSettings,
    readonly fifo?: FifoSettings,
  ) {}

  send(body: string, attributes: Readonly<Record<string, MessageAttributeValue>>, senderId: string, delaySeconds?: number, fifoIds?: FifoMessageIds): SentMessage {
    const now = Date.now();
    const key = this.fifo && fifoIds ? deduplicationKey(this.fifo, fifoIds.groupId, fifoIds.deduplicationId) : undefined;
    if (key !== undefined) {
      // Entries are in the order sent: the expired ones are the first, so the sweep stops at the first live one.
      for (const [k, seen] of this.deduplicated) {
        if (now - seen.at < DEDUPLICATION_INTERVAL_MS) break;
        this.deduplicated.delete(k);
      }
      // Accepted, not delivered again: the first send's answer.
      const seen = this.deduplicated.get(key);
      if (seen) return seen.sent;
    }
    const hasAttributes = Object.keys(attributes).length > 0;
    const sequenceNumber = fifoIds ? this.sequenceNumbers.next() : undefined;
    const message: StoredMessage = {
      id: randomUUID(),
      body,
      bodyMd5: md5Hex(body),
      attributes,
      ...(hasAttributes ? { attributesMd5: md5OfMessageAttributes(attributes) } : {}),
      senderId,
      sentAt: now,
      visibleAt: now + (delaySeconds ?? this.settings.DelaySeconds) * 1000,
      receiveCount: 0,
      ...(fifoIds && sequenceNumber ? { fifo: { ...fifoIds, sequenceNumber } } : {}),
    };
    this.messages.push(message);
    for (const wake of [...this.arrivals]) wake();
    const sent: SentMessage = {
      MessageId: message.id,
      MD5OfMessageBody: message.bodyMd5,
      ...(message.attributesMd5 ? { MD5OfMessageAttributes: message.attributesMd5 } : {}),
      ...(sequenceNumber ? { SequenceNumber: sequenceNumber } : {}),
    };
    if (key !== undefined) this.deduplicated.set(key, { sent, at: now });
    return sent;
  }

  /**
   * Up to `max` visible messages, hidden for `visibilitySeconds` from now. A message received more often than
   * the redrive policy's maxReceiveCount goes to the dead-letter queue (`deadLetter`) instead.
   */
  receive(max: number, visibilitySeconds: number, deadLetter?: (message: StoredMessage) => void, maxReceiveCount?: number): StoredMessage[] {
    const now = Date.now();
    this.expire(now);
    const out: StoredMessage[] = [];
    // FIFO: a group with a message in flight (or one not yet visible ahead of the rest) gives nothing more.
    const blockedGroups = new Set<string>();
    if (this.fifo) for (const m of this.messages) if (m.fifo && m.visibleAt > now && m.receiveCount > 0) blockedGroups.add(m.fifo.groupId);
    for (const message of [...this.messages]) {
      if (out.length >= max) break;
      const group = message.fifo?.groupId;
      if (group !== undefined && blockedGroups.has(group)) continue;
      if (message.visibleAt > now) {
        if (group !== undefined) blockedGroups.add(group);
        continue;
      }
      if (deadLetter && maxReceiveCount !== undefined && message.receiveCount >= maxReceiveCount) {
        this.messages = this.messages.filter((m) => m !== message);
        deadLetter(message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibilitySeconds * 1000;
      message.receiptHandle = randomBytes(48).toString("base64url");
      out.push(message);
    }
    return out;
  }

  /** Resolves when a message arrives or after `ms`, whichever is first (long polling). */
  waitForArrival(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.arrivals.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.arrivals.add(done);
    });
  }

  /** False when no message carries this receipt handle (never issued, or the message is gone). */
  delete(receiptHandle: string): boolean {
    const before = this.messages.length;
    this.messages = this.messages.filter((m) => m.receiptHandle !== receiptHandle);
    return this.messages.length < before;
  }

  /**
   * Hides an in-flight message for `seconds` from now (0: visible at once). "invalid" when no message has the
   * handle, "not-in-flight" when it is visible already (SQS: MessageNotInflight).
   */
  changeVisibility(receiptHandle: string, seconds: number): "changed" | "invalid" | "not-in-flight" {
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle);
    if (!message) return "invalid";
    const now = Date.now();
    if (message.visibleAt <= now) return "not-in-flight";
    message.visibleAt = now + seconds * 1000;
    if (seconds === 0) for (const wake of [...this.arrivals]) wake();
    return "changed";
  }

  /** Deletes every message (PurgeQueue). */
  purge(): void {
    this.messages = [];
  }

  counts(): { visible: number; inFlight: number; delayed: number } {
    const now = Date.now();
    this.expire(now);
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const m of this.messages) {
      if (m.visibleAt <= now) visible += 1;
      else if (m.receiveCount > 0) inFlight += 1;
      else delayed += 1;
    }
    return { visible, inFlight, delayed };
  }

  /** Wakes pending long polls (the queue is going away). */
  close(): void {
    for (const wake of [...this.arrivals]) wake();
  }

  private expire(now: number): void {
    const cutoff = now - this.settings.MessageRetentionPeriod * 1000;
    this.messages = this.messages.filter((m) => m.sentAt > cutoff);
  }
}

/** ReceiveMessage's shape of a stored message, with the system attributes asked for. */
export function receivedShape(message: StoredMessage, systemAttributes: readonly string[], messageAttributeNames: readonly string[]): ReceivedMessage {
  const all = systemAttributes.includes("All");
  const system: Record<string, string> = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
    ...(message.fifo
      ? { MessageGroupId: message.fifo.groupId, MessageDeduplicationId: message.fifo.deduplicationId, SequenceNumber: message.fifo.sequenceNumber }
      : {}),
  };
  const attributes = Object.fromEntries(Object.entries(system).filter(([name]) => all || systemAttributes.includes(name)));
  const wanted = Object.entries(message.attributes).filter(
    ([name]) => messageAttributeNames.includes("All") || messageAttributeNames.includes(".*") || messageAttributeNames.some((n) => n === name || (n.endsWith(".*") && name.startsWith(n.slice(0, -1)))),
  );
  return {
    MessageId: message.id,
    ReceiptHandle: message.receiptHandle ?? "",
    MD5OfBody: message.bodyMd5,
    Body: message.body,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    ...(wanted.length > 0 ? { MessageAttributes: Object.fromEntries(wanted), MD5OfMessageAttributes: md5OfMessageAttributes(Object.fromEntries(wanted)) } : {}),
  };
}
