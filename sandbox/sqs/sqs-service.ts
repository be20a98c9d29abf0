import { AwsServiceError } from "../aws-error";
import type { Authorizer, RequestContext } from "../iam/authorizer";
import type { Principal } from "../iam/principals";
import type { PolicyDocument } from "../model-view";
import type { MessageAttributeValue } from "./message-md5";
import { deduplicationIdOf, FIFO_ID } from "./fifo";
import { Queue, QUEUE_ATTRIBUTE_RANGES, QUEUE_DEFAULTS, receivedShape, type FifoMessageIds, type QueueSettings, type ReceivedMessage, type SentMessage } from "./queue";
import type { QueueView } from "./queues-model";

/** AWS common errors (API reference "Common Errors"): an invalid parameter. */
const invalid = (message: string) => new AwsServiceError("InvalidParameterValue", message);
const noSuchQueue = () => new AwsServiceError("QueueDoesNotExist", "The specified queue does not exist.");

/** Characters a message may hold (SendMessage, MessageBody: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF). */
const ALLOWED_BODY = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
/** Queue names: up to 80 alphanumerics, hyphens and underscores (CreateQueue, QueueName). */
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** Attributes of a queue that change nothing the sandbox does, kept and answered as given. */
const STORED_ONLY = ["SqsManagedSseEnabled", "KmsDataKeyReusePeriodSeconds", "RedriveAllowPolicy"] as const;
/** FIFO queues' attributes and their valid values (CreateQueue, Attributes: "apply only to FIFO queues"). */
const FIFO_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  FifoQueue: ["true", "false"],
  ContentBasedDeduplication: ["true", "false"],
  DeduplicationScope: ["messageQueue", "messageGroup"],
  FifoThroughputLimit: ["perQueue", "perMessageGroupId"],
};
/** Attributes whose behaviour the sandbox does not emulate: refused, never ignored. */
const REFUSED: Readonly<Record<string, string>> = {
  KmsMasterKeyId: "the sandbox has no KMS, so KMS encryption (and its key permissions) is not emulated",
};

export interface SqsOptions {
  readonly region: string;
  readonly accountId: string;
  /** The endpoint queue URLs start with (known once the API server listens). */
  readonly endpoint: () => string;
  /** Told when a queue's Policy is set, so the authorizer evaluates it as the queue's resource policy. */
  readonly onQueuePolicy: (queueArn: string, policy: PolicyDocument | undefined) => void;
}

export interface SendMessageRequest {
  readonly QueueUrl: string;
  readonly MessageBody: string;
  readonly DelaySeconds?: number;
  readonly MessageAttributes?: Record<string, MessageAttributeValue>;
  /** Required by FIFO queues; on a standard queue it names a fair-queue tenant, which changes nothing here. */
  readonly MessageGroupId?: string;
  /** FIFO queues only. */
  readonly MessageDeduplicationId?: string;
}

export interface ReceiveMessageRequest {
  readonly QueueUrl: string;
  readonly MaxNumberOfMessages?: number;
  readonly VisibilityTimeout?: number;
  readonly WaitTimeSeconds?: number;
  readonly AttributeNames?: readonly string[];
  readonly MessageSystemAttributeNames?: readonly string[];
  readonly MessageAttributeNames?: readonly string[];
}

/**
 * Amazon SQS in the sandbox: standard queues in memory (at-least-once delivery, visibility timeout, delays,
 * retention, long polling, redrive to a dead-letter queue). Every call is authorized as `sqs:<Action>` on
 * the queue's ARN, against the caller's policies and the queue's policy (the resource policy SNS needs).
 */
export class SqsService {
  private readonly byName = new Map<string, Queue>();

  constructor(
    private readonly options: SqsOptions,
    private readonly declared: readonly QueueView[],
    private readonly authorizer: Authorizer,
    /** The program's aws.sqs.QueuePolicy documents by queue name: applied at deployment and on reset. */
    private readonly declaredPolicies: ReadonlyMap<string, PolicyDocument> = new Map(),
  ) {
    this.createDeclared();
  }

  queueArn(name: string): string {
    return `arn:aws:sqs:${this.options.region}:${this.options.accountId}:${name}`;
  }

  queueUrl(name: string): string {
    return `${this.options.endpoint()}/${this.options.accountId}/${name}`;
  }

  /** The queue an ARN names, if it exists (SNS subscriptions name queues by ARN). */
  queueNameOfArn(arn: string): string | undefined {
    const name = arn.split(":").pop() ?? "";
    return this.byName.has(name) && this.queueArn(name) === arn ? name : undefined;
  }

  async createQueue(caller: Principal, name: string, attributes: Record<string, string> = {}): Promise<{ QueueUrl: string }> {
    checkQueueName(name, attributes.FifoQueue === "true");
    await this.authorize(caller, "sqs:CreateQueue", name);
    const settings = settingsOf(attributes);
    const existing = this.byName.get(name);
    if (existing) {
      for (const [key, value] of Object.entries(attributes)) {
        if (String((existing.settings as Record<string, unknown>)[key] ?? "") !== value) {
          throw new AwsServiceError("QueueNameExists", `A queue already exists with the same name and a different value for attribute ${key}`);
        }
      }
      return { QueueUrl: this.queueUrl(name) };
    }
    this.add(name, settings);
    return { QueueUrl: this.queueUrl(name) };
  }

  async getQueueUrl(caller: Principal, name: string, ownerAccountId?: string): Promise<{ QueueUrl: string }> {
    await this.authorize(caller, "sqs:GetQueueUrl", name);
    if (!this.byName.has(name) || (ownerAccountId !== undefined && ownerAccountId !== this.options.accountId)) throw noSuchQueue();
    return { QueueUrl: this.queueUrl(name) };
  }

  async listQueues(caller: Principal, prefix = ""): Promise<{ QueueUrls?: string[] }> {
    await this.authorizer.authorize({ principal: caller, action: "sqs:ListQueues", resourceArn: "*" });
    const urls = [...this.byName.keys()].filter((n) => n.startsWith(prefix)).sort().map((n) => this.queueUrl(n));
    return urls.length > 0 ? { QueueUrls: urls.slice(0, 1000) } : {};
  }

  async deleteQueue(caller: Principal, queueUrl: string): Promise<Record<string, never>> {
    const queue = this.resolve(queueUrl);
    await this.authorize(caller, "sqs:DeleteQueue", queue.name);
    queue.close();
    this.byName.delete(queue.name);
    this.options.onQueuePolicy(queue.arn, undefined);
    return {};
  }

  /** SendMessage as `caller`; `context` carries the condition keys of a service's delivery (aws:SourceArn). */
  async sendMessage(caller: Principal, request: SendMessageRequest, context?: RequestContext): Promise<SentMessage> {
    const queue = this.resolve(request.QueueUrl);
    await this.authorize(caller, "sqs:SendMessage", queue.name, context);
    const body = request.MessageBody;
    if (body === "") throw invalid("The request must contain a non-empty MessageBody.");
    if (!ALLOWED_BODY.test(body)) {
      throw new AwsServiceError("InvalidMessageContents", "Invalid binary character in the message body: the message contains characters outside the allowed set.");
    }
    const attributes = validAttributes(request.MessageAttributes ?? {});
    const size = Buffer.byteLength(body) + Object.entries(attributes).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v.DataType) + Buffer.byteLength(v.StringValue ?? v.BinaryValue ?? ""), 0);
    if (size > queue.settings.MaximumMessageSize) {
      throw invalid(`One or more parameters are invalid. Reason: Message must be shorter than ${queue.settings.MaximumMessageSize} bytes.`);
    }
    if (request.DelaySeconds !== undefined) inRange("DelaySeconds", request.DelaySeconds, 0, 900);
    return queue.send(body, attributes, senderId(caller), request.DelaySeconds, fifoIdsOf(queue, request));
  }

  async receiveMessage(caller: Principal, request: ReceiveMessageRequest): Promise<{ Messages?: ReceivedMessage[] }> {
    const queue = this.resolve(request.QueueUrl);
    await this.authorize(caller, "sqs:ReceiveMessage", queue.name);
    const max = request.MaxNumberOfMessages ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > 10) {
      throw invalid(`Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
    }
    const visibility = request.VisibilityTimeout ?? queue.settings.VisibilityTimeout;
    inRange("VisibilityTimeout", visibility, 0, 43_200);
    const waitSeconds = request.WaitTimeSeconds ?? queue.settings.ReceiveMessageWaitTimeSeconds;
    if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > 20) {
      throw invalid(`Value ${waitSeconds} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`);
    }
    const system = [...(request.AttributeNames ?? []), ...(request.MessageSystemAttributeNames ?? [])];
    const names = request.MessageAttributeNames ?? [];
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      const messages = this.receiveOnce(queue, max, visibility);
      if (messages.length > 0) return { Messages: messages.map((m) => receivedShape(m, system, names)) };
      const remaining = deadline - Date.now();
      // A queue deleted, reset or stopped while polled answers empty at once.
      if (remaining <= 0 || this.byName.get(queue.name) !== queue) return {};
      // Woken by an arrival; a delayed or hidden message becoming visible is seen at the next look.
      await queue.waitForArrival(Math.min(remaining, 100));
    }
  }

  async deleteMessage(caller: Principal, queueUrl: string, receiptHandle: string): Promise<Record<string, never>> {
    const queue = this.resolve(queueUrl);
    await this.authorize(caller, "sqs:DeleteMessage", queue.name);
    if (!queue.delete(receiptHandle)) {
      throw new AwsServiceError("ReceiptHandleIsInvalid", `The input receipt handle "${receiptHandle.slice(0, 100)}" is not a valid receipt handle.`);
    }
    return {};
  }

  /** SetQueueAttributes: each given attribute checked as CreateQueue checks it; an empty Policy removes the policy. */
  async setQueueAttributes(caller: Principal, queueUrl: string, attributes: Record<string, string>): Promise<Record<string, never>> {
    const queue = this.resolve(queueUrl);
    await this.authorize(caller, "sqs:SetQueueAttributes", queue.name);
    const { Policy: policy, ...rest } = attributes;
    const parsed = settingsOf({ ...rest, ...(policy ? { Policy: policy } : {}) }, queue.fifo !== undefined) as Record<string, unknown>;
    const settings = queue.settings as Record<string, unknown>;
    for (const key of Object.keys(rest)) settings[key] = parsed[key];
    if (policy !== undefined) {
      if (policy === "") delete settings.Policy;
      else settings.Policy = policy;
      this.options.onQueuePolicy(queue.arn, policy === "" ? undefined : parseQueuePolicy(policy));
    }
    return {};
  }

  async changeMessageVisibility(caller: Principal, queueUrl: string, receiptHandle: string, visibilityTimeout: number): Promise<Record<string, never>> {
    const queue = this.resolve(queueUrl);
    await this.authorize(caller, "sqs:ChangeMessageVisibility", queue.name);
    inRange("VisibilityTimeout", visibilityTimeout, 0, 43_200);
    const outcome = queue.changeVisibility(receiptHandle, visibilityTimeout);
    if (outcome === "invalid") throw new AwsServiceError("ReceiptHandleIsInvalid", `The input receipt handle "${receiptHandle.slice(0, 100)}" is not a valid receipt handle.`);
    if (outcome === "not-in-flight") throw new AwsServiceError("MessageNotInflight", "The message referred to isn't in flight.");
    return {};
  }

  async purgeQueue(caller: Principal, queueUrl: string): Promise<Record<string, never>> {
    const queue = this.resolve(queueUrl);
    await this.authorize(caller, "sqs:PurgeQueue", queue.name);
    queue.purge();
    return {};
  }

  async getQueueAttributes(caller: Principal, queueUrl: string, names: readonly string[] = []): Promise<{ Attributes?: Record<string, string> }> {
    const queue = this.resolve(queueUrl);
    await this.authorize(caller, "sqs:GetQueueAttributes", queue.name);
    const counts = queue.counts();
    const settings = queue.settings as Record<string, unknown>;
    const all: Record<string, string> = {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    };
    for (const [key, value] of Object.entries(settings)) if (value !== undefined) all[key] = String(value);
    const known = new Set([...Object.keys(all), ...Object.keys(QUEUE_DEFAULTS), "Policy", "RedrivePolicy", ...STORED_ONLY, ...(queue.fifo ? Object.keys(FIFO_ATTRIBUTES) : [])]);
    for (const name of names) if (name !== "All" && !known.has(name)) throw new AwsServiceError("InvalidAttributeName", `Unknown Attribute ${name.slice(0, 100)}.`);
    const picked = names.includes("All") ? all : Object.fromEntries(Object.entries(all).filter(([k]) => names.includes(k)));
    return Object.keys(picked).length > 0 ? { Attributes: picked } : {};
  }

  /** Back to the deployed state: the program's queues, empty. */
  reset(): void {
    const open = [...this.byName.values()];
    this.byName.clear();
    for (const queue of open) {
      queue.close();
      this.options.onQueuePolicy(queue.arn, undefined);
    }
    this.createDeclared();
  }

  /** Ends pending long polls (they answer empty) and forgets every queue: the sandbox is stopping. */
  stop(): void {
    const open = [...this.byName.values()];
    this.byName.clear();
    for (const queue of open) queue.close();
  }

  private createDeclared(): void {
    for (const view of this.declared) {
      try {
        checkQueueName(view.name, view.attributes.FifoQueue === "true");
        this.add(view.name, settingsOf(view.attributes));
      } catch (error) {
        throw new Error(`aws:sqs/queue:Queue "${view.logicalName}": ${(error as Error).message}`);
      }
    }
    for (const [name, policy] of this.declaredPolicies) {
      if (!this.byName.has(name)) throw new Error(`aws:sqs/queuePolicy:QueuePolicy of "${name}": the queue is not a queue of the program`);
      this.options.onQueuePolicy(this.queueArn(name), policy);
    }
  }

  private add(name: string, settings: QueueSettings): void {
    const fifo = settings.FifoQueue === "true"
      ? { contentBasedDeduplication: settings.ContentBasedDeduplication === "true", deduplicationScope: settings.DeduplicationScope ?? "messageQueue", throughputLimit: settings.FifoThroughputLimit ?? "perQueue" }
      : undefined;
    const queue = new Queue(name, this.queueArn(name), settings, fifo);
    this.byName.set(name, queue);
    if (settings.Policy !== undefined) this.options.onQueuePolicy(queue.arn, parseQueuePolicy(settings.Policy));
  }

  /** The queue a QueueUrl names: the last two path segments are the account and the queue's name, whatever the host. */
  private resolve(queueUrl: string): Queue {
    let segments: string[];
    try {
      segments = new URL(queueUrl).pathname.split("/").filter(Boolean);
    } catch {
      throw new AwsServiceError("InvalidAddress", `The address ${queueUrl.slice(0, 200)} is not valid for this endpoint.`);
    }
    if (segments.length !== 2) throw new AwsServiceError("InvalidAddress", `The address ${queueUrl.slice(0, 200)} is not valid for this endpoint.`);
    const [account, name] = segments;
    const queue = this.byName.get(name);
    if (!queue || account !== this.options.accountId) throw noSuchQueue();
    return queue;
  }

  private receiveOnce(queue: Queue, max: number, visibility: number) {
    const redrive = queue.settings.RedrivePolicy ? parseRedrive(queue.settings.RedrivePolicy) : undefined;
    const target = redrive ? this.byName.get(this.queueNameOfArn(redrive.deadLetterTargetArn) ?? "") : undefined;
    // The dead-letter queue of a FIFO queue is FIFO (CreateQueue, RedrivePolicy): the message keeps its group and id.
    return queue.receive(max, visibility, target ? (m) => void target.send(m.body, m.attributes, m.senderId, 0, m.fifo) : undefined, redrive?.maxReceiveCount);
  }

  private authorize(caller: Principal, action: string, queueName: string, context?: RequestContext): Promise<void> {
    return this.authorizer.authorize({ principal: caller, action, resourceArn: this.queueArn(queueName), ...(context ? { context } : {}) });
  }
}

function inRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(`Value ${value} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}.`);
  }
}

/** A queue's settings from CreateQueue's attributes: SQS's defaults, each given value checked against its range. */
/** CreateQueue's QueueName rules: up to 80 characters, alphanumerics, hyphens and underscores; a FIFO queue's ends with .fifo. */
function checkQueueName(name: string, fifo: boolean): void {
  const valid = fifo ? name.endsWith(".fifo") && name.length <= 80 && /^[A-Za-z0-9_-]+$/.test(name.slice(0, -".fifo".length)) : QUEUE_NAME.test(name);
  if (valid) return;
  throw invalid(
    fifo
      ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length."
      : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
  );
}

/** A queue's settings from CreateQueue's (or, for an existing queue, SetQueueAttributes') attributes, each checked. */
function settingsOf(attributes: Readonly<Record<string, string>>, existingFifo?: boolean): QueueSettings {
  const settings: QueueSettings = { ...QUEUE_DEFAULTS };
  const fifo = existingFifo ?? attributes.FifoQueue === "true";
  for (const [key, value] of Object.entries(attributes)) {
    if (Object.hasOwn(FIFO_ATTRIBUTES, key)) {
      // FifoQueue is given at creation only; the others exist on FIFO queues only (a standard queue does not know them).
      if (existingFifo !== undefined && key === "FifoQueue") throw new AwsServiceError("InvalidAttributeName", "Unknown Attribute FifoQueue.");
      if (!fifo && key !== "FifoQueue") throw new AwsServiceError("InvalidAttributeName", `Unknown Attribute ${key}.`);
      if (!FIFO_ATTRIBUTES[key].includes(value)) throw new AwsServiceError("InvalidAttributeValue", `Invalid value for the parameter ${key}.`);
      if (key !== "FifoQueue" || value === "true") (settings as Record<string, unknown>)[key] = value;
      continue;
    }
    if (Object.hasOwn(REFUSED, key)) throw new AwsServiceError("UnsupportedOperation", `The sandbox does not support the queue attribute ${key}: ${REFUSED[key]}.`);
    if (Object.hasOwn(QUEUE_ATTRIBUTE_RANGES, key)) {
      const [min, max] = QUEUE_ATTRIBUTE_RANGES[key as keyof typeof QUEUE_DEFAULTS];
      const number = Number(value);
      if (value.trim() === "" || !Number.isInteger(number) || number < min || number > max) {
        throw new AwsServiceError("InvalidAttributeValue", `Invalid value for the parameter ${key}.`);
      }
      settings[key as keyof typeof QUEUE_DEFAULTS] = number;
    } else if (key === "Policy") {
      parseQueuePolicy(value);
      settings.Policy = value;
    } else if (key === "RedrivePolicy") {
      parseRedrive(value);
      settings.RedrivePolicy = value;
    } else if ((STORED_ONLY as readonly string[]).includes(key)) {
      (settings as Record<string, unknown>)[key] = value;
    } else {
      throw new AwsServiceError("InvalidAttributeName", `Unknown Attribute ${key.slice(0, 100)}.`);
    }
  }
  if (settings.FifoThroughputLimit === "perMessageGroupId" && settings.DeduplicationScope !== "messageGroup" && existingFifo === undefined) {
    // "FifoThroughputLimit ... perMessageGroupId is allowed only when the value for DeduplicationScope is messageGroup."
    throw new AwsServiceError("InvalidAttributeValue", "Invalid value for the parameter FifoThroughputLimit: perMessageGroupId needs DeduplicationScope messageGroup.");
  }
  return settings;
}

/**
 * A FIFO message's group and deduplication id, checked as SendMessage checks them; undefined for a standard queue,
 * which refuses a deduplication id and takes a group id as a fair-queue tenant (no effect in the sandbox).
 */
function fifoIdsOf(queue: Queue, request: SendMessageRequest): FifoMessageIds | undefined {
  for (const [parameter, value] of [["MessageGroupId", request.MessageGroupId], ["MessageDeduplicationId", request.MessageDeduplicationId]] as const) {
    if (value !== undefined && !FIFO_ID.test(value)) {
      throw invalid(`Value ${value.slice(0, 200)} for parameter ${parameter} is invalid. Reason: it must be 1 to 128 alphanumeric or punctuation characters.`);
    }
  }
  if (!queue.fifo) {
    if (request.MessageDeduplicationId !== undefined) {
      throw invalid(`Value ${request.MessageDeduplicationId} for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.`);
    }
    return undefined;
  }
  if (request.DelaySeconds !== undefined) {
    // "When you set FifoQueue, you can't set DelaySeconds per message" (SendMessage, DelaySeconds).
    throw invalid(`Value ${request.DelaySeconds} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`);
  }
  if (request.MessageGroupId === undefined) throw new AwsServiceError("MissingParameter", "The request must contain the parameter MessageGroupId.");
  const deduplicationId = deduplicationIdOf(request.MessageBody, request.MessageDeduplicationId, queue.fifo);
  if (deduplicationId === undefined) {
    throw invalid("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
  }
  return { groupId: request.MessageGroupId, deduplicationId };
}

function parseQueuePolicy(text: string): PolicyDocument {
  try {
    const document = JSON.parse(text) as PolicyDocument;
    if (typeof document === "object" && document !== null && "Statement" in document) return document;
  } catch {
    // Answered below.
  }
  throw new AwsServiceError("InvalidAttributeValue", "Invalid value for the parameter Policy.");
}

function parseRedrive(text: string): { deadLetterTargetArn: string; maxReceiveCount: number } {
  try {
    const policy = JSON.parse(text) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    const count = Number(policy.maxReceiveCount);
    if (typeof policy.deadLetterTargetArn === "string" && Number.isInteger(count) && count >= 1 && count <= 1000) {
      return { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: count };
    }
  } catch {
    // Answered below.
  }
  throw new AwsServiceError("InvalidAttributeValue", "Value for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map with deadLetterTargetArn and maxReceiveCount (1 to 1000).");
}

/** Message attributes (at most 10, each with a DataType of String, Number or Binary, optionally ".label"ed). */
function validAttributes(attributes: Record<string, MessageAttributeValue>): Record<string, MessageAttributeValue> {
  if (typeof attributes !== "object" || attributes === null || Array.isArray(attributes)) throw invalid("MessageAttributes must be a map of name to MessageAttributeValue.");
  const entries = Object.entries(attributes);
  if (entries.length > 10) throw invalid(`Number of message attributes [${entries.length}] exceeds the allowed maximum [10].`);
  for (const [name, value] of entries) {
    const type = typeof value?.DataType === "string" ? value.DataType : "";
    if (!/^(String|Number|Binary)(\..+)?$/.test(type)) throw invalid(`The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    const payload = type.startsWith("Binary") ? value.BinaryValue : value.StringValue;
    if (typeof payload !== "string" || payload === "") throw invalid(`Message (user) attribute '${name}' must contain a non-empty value of message attribute type '${type}'.`);
    if (type.startsWith("Number") && !Number.isFinite(Number(payload))) throw invalid(`Can't cast the value of message (user) attribute '${name}' to a number.`);
  }
  return attributes;
}

/** SenderId as SQS reports it: the role's session ("<role>:<session>") or the user. */
function senderId(caller: Principal): string {
  return caller.arn.replace(/^arn:aws:sts::\d+:assumed-role\//, "").replace("/", ":");
}
