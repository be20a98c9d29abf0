import { randomBytes, randomUUID } from "node:crypto";
import { AwsServiceError } from "../aws-error";
import type { Authorizer } from "../iam/authorizer";
import { servicePrincipal, type Principal } from "../iam/principals";
import type { LambdaService } from "../lambda/lambda-service";
import type { MessageAttributeValue } from "../sqs/message-md5";
import type { SqsService } from "../sqs/sqs-service";
import { compileFilterPolicy, filterPolicyScope, type FilterPolicyMatcher } from "./filter-policy";
import type { SubscriptionView, TopicView } from "./topics-model";

/** SNS's errors (botocore sns 2010-03-31: NotFound 404, InvalidParameter 400). */
const notFound = (what = "Topic") => new AwsServiceError("NotFound", `${what} does not exist`, 404);
const invalidParameter = (message: string) => new AwsServiceError("InvalidParameter", `Invalid parameter: ${message}`);

/** Topic names: up to 256 alphanumerics, hyphens and underscores (CreateTopic, Name). */
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
/** Publish's Message: at most 256 KB (Publish, Message). */
const MAX_MESSAGE_BYTES = 262_144;
/** The protocols whose deliveries the sandbox performs. */
const DELIVERED_PROTOCOLS = ["sqs", "lambda"] as const;
/** Subscription attributes the sandbox applies; any other is refused (it would be ignored, not emulated). */
const APPLIED_ATTRIBUTES = ["RawMessageDelivery", "FilterPolicy", "FilterPolicyScope"];

export interface SnsMessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

export interface PublishRequest {
  readonly TopicArn?: string;
  readonly TargetArn?: string;
  readonly PhoneNumber?: string;
  readonly Message: string;
  readonly Subject?: string;
  readonly MessageStructure?: string;
  readonly MessageAttributes?: Readonly<Record<string, SnsMessageAttribute>>;
}

export interface SubscriptionRecord {
  readonly SubscriptionArn: string;
  readonly Owner: string;
  readonly Protocol: string;
  readonly Endpoint: string;
  readonly TopicArn: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface SnsOptions {
  readonly region: string;
  readonly accountId: string;
  /** A delivery that failed (the queue's policy or the function's permission does not allow SNS...). */
  readonly onDeliveryFailure: (subscriptionArn: string, error: unknown) => void;
}

/** One delivery a publish made, for callers that wait for it (tests, the CLI). */
export interface Delivery {
  readonly subscriptionArn: string;
  readonly messageId: string;
  /** "filtered": the subscription's filter policy did not match, so SNS did not deliver. */
  readonly outcome: "delivered" | "failed" | "filtered";
  readonly error?: string;
}

/**
 * Amazon SNS in the sandbox: standard topics, subscriptions of SQS queues and Lambda functions that are
 * delivered for real. Calls are authorized as `sns:<Action>` on the topic. Deliveries are made as the service
 * principal sns.amazonaws.com with aws:SourceArn = the topic, so they succeed only where AWS's would: the
 * queue's policy (SendMessage) or the function's permission (InvokeFunction) must allow the topic.
 */
export class SnsService {
  private readonly topicsByArn = new Map<string, Map<string, SubscriptionRecord>>();
  private readonly deliveryListeners = new Set<(delivery: Delivery) => void>();
  /** Each subscription's filter policy, by subscription ARN. */
  private readonly filters = new Map<string, FilterPolicyMatcher>();
  private readonly sns = servicePrincipal("sns.amazonaws.com");

  constructor(
    private readonly options: SnsOptions,
    private readonly declared: { readonly topics: readonly TopicView[]; readonly subscriptions: readonly SubscriptionView[] },
    private readonly sqs: SqsService,
    private readonly lambda: LambdaService,
    private readonly authorizer: Authorizer,
  ) {
    this.createDeclared();
  }

  topicArn(name: string): string {
    return `arn:aws:sns:${this.options.region}:${this.options.accountId}:${name}`;
  }

  async createTopic(caller: Principal, name: string, attributes: Readonly<Record<string, string>> = {}): Promise<{ TopicArn: string }> {
    if (name.endsWith(".fifo") || attributes.FifoTopic === "true") {
      throw invalidParameter(`Name Reason: the sandbox does not emulate FIFO topics (standard topics only): ${name.slice(0, 256)}`);
    }
    if (!TOPIC_NAME.test(name)) throw invalidParameter("Topic Name");
    // DisplayName changes nothing here; a topic policy, encryption or delivery policy would not be enforced.
    for (const key of Object.keys(attributes)) {
      if (key !== "DisplayName" && key !== "FifoTopic") throw invalidParameter(`Attributes Reason: the sandbox does not emulate the topic attribute ${key.slice(0, 60)}`);
    }
    const arn = this.topicArn(name);
    await this.authorize(caller, "sns:CreateTopic", arn);
    if (!this.topicsByArn.has(arn)) this.topicsByArn.set(arn, new Map());
    return { TopicArn: arn };
  }

  async listTopics(caller: Principal): Promise<{ TopicArn: string }[]> {
    await this.authorizer.authorize({ principal: caller, action: "sns:ListTopics", resourceArn: "*" });
    return [...this.topicsByArn.keys()].sort().map((TopicArn) => ({ TopicArn }));
  }

  async deleteTopic(caller: Principal, topicArn: string): Promise<void> {
    await this.authorize(caller, "sns:DeleteTopic", topicArn);
    // DeleteTopic is idempotent: deleting a topic that does not exist succeeds (SNS API reference, DeleteTopic).
    this.topicsByArn.delete(topicArn);
  }

  async subscribe(caller: Principal, topicArn: string, protocol: string, endpoint: string | undefined, attributes: Readonly<Record<string, string>> = {}): Promise<{ SubscriptionArn: string }> {
    await this.authorize(caller, "sns:Subscribe", topicArn);
    const subscriptions = this.topicsByArn.get(topicArn);
    if (!subscriptions) throw notFound();
    if (!(DELIVERED_PROTOCOLS as readonly string[]).includes(protocol)) {
      throw invalidParameter(`Protocol Reason: the sandbox delivers to ${DELIVERED_PROTOCOLS.join(" and ")} subscriptions only, not ${protocol.slice(0, 40)}`);
    }
    if (!endpoint) throw invalidParameter("Endpoint Reason: an endpoint is required for this protocol");
    const arnPrefix = protocol === "sqs" ? ":sqs:" : ":lambda:";
    if (!endpoint.startsWith("arn:") || !endpoint.includes(arnPrefix)) throw invalidParameter(`${protocol === "sqs" ? "SQS" : "Lambda"} endpoint ARN`);
    // Standard topics deliver to standard queues only (a FIFO queue's name ends .fifo; SNS FIFO topics are not emulated).
    if (protocol === "sqs" && endpoint.endsWith(".fifo")) throw invalidParameter("Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
    for (const key of Object.keys(attributes)) {
      if (!APPLIED_ATTRIBUTES.includes(key)) throw invalidParameter(`Attributes Reason: the sandbox does not emulate the subscription attribute ${key.slice(0, 60)}`);
    }
    if (attributes.RawMessageDelivery !== undefined && !["true", "false"].includes(attributes.RawMessageDelivery)) {
      throw invalidParameter("Attributes Reason: RawMessageDelivery: Invalid value [" + attributes.RawMessageDelivery.slice(0, 20) + "]. Must be true or false.");
    }
    const filter = filterOf(attributes);
    // Subscribing the same endpoint twice answers the existing subscription.
    const existing = [...subscriptions.values()].find((s) => s.Protocol === protocol && s.Endpoint === endpoint);
    if (existing) return { SubscriptionArn: existing.SubscriptionArn };
    const record: SubscriptionRecord = { SubscriptionArn: `${topicArn}:${randomUUID()}`, Owner: this.options.accountId, Protocol: protocol, Endpoint: endpoint, TopicArn: topicArn, attributes };
    subscriptions.set(record.SubscriptionArn, record);
    if (filter) this.filters.set(record.SubscriptionArn, filter);
    return { SubscriptionArn: record.SubscriptionArn };
  }

  async listSubscriptionsByTopic(caller: Principal, topicArn: string): Promise<SubscriptionRecord[]> {
    await this.authorize(caller, "sns:ListSubscriptionsByTopic", topicArn);
    const subscriptions = this.topicsByArn.get(topicArn);
    if (!subscriptions) throw notFound();
    return [...subscriptions.values()];
  }

  async unsubscribe(caller: Principal, subscriptionArn: string): Promise<void> {
    const topicArn = subscriptionArn.slice(0, subscriptionArn.lastIndexOf(":"));
    await this.authorize(caller, "sns:Unsubscribe", topicArn);
    const subscriptions = this.topicsByArn.get(topicArn);
    if (!subscriptions?.delete(subscriptionArn)) throw notFound("Subscription");
    this.filters.delete(subscriptionArn);
  }

  /** Publishes to a topic; each subscription is delivered after the answer, as SNS delivers asynchronously. */
  async publish(caller: Principal, request: PublishRequest): Promise<{ MessageId: string }> {
    if (request.PhoneNumber !== undefined) throw invalidParameter("PhoneNumber Reason: the sandbox does not send SMS");
    const topicArn = request.TopicArn ?? request.TargetArn;
    if (!topicArn) throw invalidParameter("TopicArn or TargetArn Reason: no value for required parameter");
    await this.authorize(caller, "sns:Publish", topicArn);
    const subscriptions = this.topicsByArn.get(topicArn);
    if (!subscriptions) throw notFound();
    if (request.Message === "") throw invalidParameter("Empty message");
    if (Buffer.byteLength(request.Message) > MAX_MESSAGE_BYTES) throw invalidParameter("Message too long");
    if (request.Subject !== undefined && (request.Subject === "" || request.Subject.length > 100 || /[\r\n]/.test(request.Subject))) throw invalidParameter("Subject");
    const perProtocol = request.MessageStructure === "json" ? jsonStructure(request.Message) : undefined;
    if (request.MessageStructure !== undefined && request.MessageStructure !== "json") throw invalidParameter("MessageStructure");
    const messageId = randomUUID();
    const timestamp = new Date().toISOString();
    for (const subscription of subscriptions.values()) {
      const message = perProtocol ? (perProtocol[subscription.Protocol] ?? perProtocol.default) : request.Message;
      setImmediate(() => void this.deliver(subscription, { messageId, timestamp, message, subject: request.Subject, attributes: request.MessageAttributes ?? {} }));
    }
    return { MessageId: messageId };
  }

  /** Called after each delivery attempt; returns the unsubscribe function. */
  onDelivery(listener: (delivery: Delivery) => void): () => void {
    this.deliveryListeners.add(listener);
    return () => this.deliveryListeners.delete(listener);
  }

  /** Back to the deployed state: the program's topics and subscriptions. */
  reset(): void {
    this.topicsByArn.clear();
    this.filters.clear();
    this.createDeclared();
  }

  private createDeclared(): void {
    for (const topic of this.declared.topics) {
      if (topic.fifo) throw new Error(`aws:sns/topic:Topic "${topic.logicalName}": the sandbox does not emulate FIFO topics (standard topics only)`);
      this.topicsByArn.set(this.topicArn(topic.name), new Map());
    }
    for (const subscription of this.declared.subscriptions) {
      const subscriptions = this.topicsByArn.get(subscription.topicArn);
      const where = `aws:sns/topicSubscription:TopicSubscription "${subscription.logicalName}"`;
      if (!subscriptions) throw new Error(`${where}: its topic ${subscription.topicArn} is not a topic of the program`);
      if (!(DELIVERED_PROTOCOLS as readonly string[]).includes(subscription.protocol)) {
        throw new Error(`${where}: the sandbox delivers to ${DELIVERED_PROTOCOLS.join(" and ")} subscriptions only, not ${subscription.protocol}`);
      }
      const refused = Object.keys(subscription.attributes).filter((k) => !APPLIED_ATTRIBUTES.includes(k));
      if (refused.length > 0) throw new Error(`${where}: the sandbox does not emulate ${refused.join(", ")}`);
      let filter: FilterPolicyMatcher | undefined;
      try {
        filter = filterOf(subscription.attributes);
      } catch (error) {
        throw new Error(`${where}: ${(error as Error).message}`);
      }
      const arn = `${subscription.topicArn}:${randomUUID()}`;
      if (filter) this.filters.set(arn, filter);
      subscriptions.set(arn, { SubscriptionArn: arn, Owner: this.options.accountId, Protocol: subscription.protocol, Endpoint: subscription.endpoint, TopicArn: subscription.topicArn, attributes: subscription.attributes });
    }
  }

  private async deliver(subscription: SubscriptionRecord, message: OutgoingMessage): Promise<void> {
    const filter = this.filters.get(subscription.SubscriptionArn);
    if (filter && !filter({ message: message.message, attributes: message.attributes })) {
      this.emit({ subscriptionArn: subscription.SubscriptionArn, messageId: message.messageId, outcome: "filtered" });
      return;
    }
    const context = { "aws:SourceArn": subscription.TopicArn, "aws:SourceAccount": this.options.accountId };
    try {
      if (subscription.Protocol === "sqs") {
        const queueName = this.sqs.queueNameOfArn(subscription.Endpoint);
        if (!queueName) throw new AwsServiceError("QueueDoesNotExist", `The queue ${subscription.Endpoint} does not exist`);
        const raw = subscription.attributes.RawMessageDelivery === "true";
        await this.sqs.sendMessage(
          this.sns,
          {
            QueueUrl: this.sqs.queueUrl(queueName),
            MessageBody: raw ? message.message : JSON.stringify(envelope(subscription, message, "SigningCertURL", "UnsubscribeURL")),
            ...(raw && Object.keys(message.attributes).length > 0 ? { MessageAttributes: sqsAttributes(message.attributes) } : {}),
          },
          context,
        );
      } else {
        const event = {
          Records: [{ EventSource: "aws:sns", EventVersion: "1.0", EventSubscriptionArn: subscription.SubscriptionArn, Sns: envelope(subscription, message, "SigningCertUrl", "UnsubscribeUrl") }],
        };
        const result = await this.lambda.invoke(this.sns, subscription.Endpoint, event, context);
        if (result.functionError) throw new Error(`The function failed: ${JSON.stringify(result.payload)}`);
      }
      this.emit({ subscriptionArn: subscription.SubscriptionArn, messageId: message.messageId, outcome: "delivered" });
    } catch (error) {
      this.options.onDeliveryFailure(subscription.SubscriptionArn, error);
      this.emit({ subscriptionArn: subscription.SubscriptionArn, messageId: message.messageId, outcome: "failed", error: (error as Error)?.message ?? String(error) });
    }
  }

  private emit(delivery: Delivery): void {
    for (const listener of [...this.deliveryListeners]) listener(delivery);
  }

  private authorize(caller: Principal, action: string, topicArn: string): Promise<void> {
    return this.authorizer.authorize({ principal: caller, action, resourceArn: topicArn });
  }
}

interface OutgoingMessage {
  readonly messageId: string;
  readonly timestamp: string;
  readonly message: string;
  readonly subject?: string;
  readonly attributes: Readonly<Record<string, SnsMessageAttribute>>;
}

/** The subscription's compiled filter policy, if it has one (checked as Subscribe checks it). */
function filterOf(attributes: Readonly<Record<string, string>>): FilterPolicyMatcher | undefined {
  if (attributes.FilterPolicy === undefined) {
    filterPolicyScope(attributes.FilterPolicyScope);
    return undefined;
  }
  return compileFilterPolicy(attributes.FilterPolicy, attributes.FilterPolicyScope);
}

/** MessageStructure "json": a JSON object with a "default" message and optional per-protocol ones (Publish). */
function jsonStructure(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter("Message Structure - JSON message body failed to parse");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || typeof (parsed as Record<string, unknown>).default !== "string") {
    throw invalidParameter("Message Structure - No default entry in JSON message body");
  }
  return parsed as Record<string, string>;
}

/**
 * The notification as SNS delivers it (SNS Developer Guide, "Amazon SNS message and JSON formats"; the Lambda
 * event spells the URL members SigningCertUrl/UnsubscribeUrl). The sandbox cannot sign with SNS's certificate:
 * Signature is random bytes and the certificate URL names no real certificate, so a consumer that verifies
 * signatures must skip that check against the sandbox.
 */
function envelope(subscription: SubscriptionRecord, message: OutgoingMessage, certKey: string, unsubscribeKey: string): Record<string, unknown> {
  const attributes = Object.entries(message.attributes);
  return {
    Type: "Notification",
    MessageId: message.messageId,
    TopicArn: subscription.TopicArn,
    // Lambda's event has "Subject": null without a subject; the SQS notification leaves it out.
    ...(message.subject !== undefined ? { Subject: message.subject } : certKey === "SigningCertUrl" ? { Subject: null } : {}),
    Message: message.message,
    Timestamp: message.timestamp,
    SignatureVersion: "1",
    Signature: randomBytes(128).toString("base64"),
    [certKey]: "https://sns.sandbox.invalid/SimpleNotificationService-sandbox.pem",
    [unsubscribeKey]: `https://sns.sandbox.invalid/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscription.SubscriptionArn)}`,
    // Lambda's event always has MessageAttributes ({} without any); the SQS notification only when there are some.
    ...(attributes.length > 0 || certKey === "SigningCertUrl"
      ? { MessageAttributes: Object.fromEntries(attributes.map(([name, v]) => [name, { Type: v.DataType, Value: v.StringValue ?? v.BinaryValue ?? "" }])) }
      : {}),
  };
}

/** Raw delivery carries SNS message attributes as SQS message attributes. */
function sqsAttributes(attributes: Readonly<Record<string, SnsMessageAttribute>>): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, v]) => [name, v.DataType.startsWith("Binary") ? { DataType: v.DataType, BinaryValue: v.BinaryValue ?? "" } : { DataType: v.DataType, StringValue: v.StringValue ?? "" }]),
  );
}
