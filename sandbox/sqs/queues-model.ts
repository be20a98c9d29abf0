import { field, ModelError, ofType, parsePolicy, RESOURCE_TYPES, where, type PolicyDocument } from "../model-view";
import type { ModelResource, ProgramModel } from "../program-model";

const QUEUE_TYPE = RESOURCE_TYPES.queue;
const QUEUE_POLICY_TYPE = RESOURCE_TYPES.queuePolicy;

/** A program's aws.sqs.Queue: its name and the CreateQueue attributes its arguments give. */
export interface QueueView {
  readonly logicalName: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** Pulumi's argument -> the SQS attribute it sets (pulumi-aws sqs.Queue; SQS CreateQueue attributes). */
const ATTRIBUTE_ARGUMENTS: Readonly<Record<string, string>> = {
  delaySeconds: "DelaySeconds",
  maxMessageSize: "MaximumMessageSize",
  messageRetentionSeconds: "MessageRetentionPeriod",
  receiveWaitTimeSeconds: "ReceiveMessageWaitTimeSeconds",
  visibilityTimeoutSeconds: "VisibilityTimeout",
  redrivePolicy: "RedrivePolicy",
  policy: "Policy",
  fifoQueue: "FifoQueue",
  contentBasedDeduplication: "ContentBasedDeduplication",
  deduplicationScope: "DeduplicationScope",
  fifoThroughputLimit: "FifoThroughputLimit",
};

function queueView(r: ModelResource): QueueView {
  const name = typeof field(r, "name") === "string" ? (field(r, "name") as string) : "";
  if (!name) throw new ModelError(`${where(r)} has no name`);
  const attributes: Record<string, string> = {};
  for (const [argument, attribute] of Object.entries(ATTRIBUTE_ARGUMENTS)) {
    const value = field(r, argument);
    if (value === undefined || value === null || value === "") continue;
    attributes[attribute] = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
  }
  return { logicalName: r.name, name, attributes };
}

export function queues(model: ProgramModel): QueueView[] {
  return ofType(model, QUEUE_TYPE).map(queueView);
}

/** aws.sqs.QueuePolicy resources: the queue (by URL, whose last path segment is its name) and its policy. */
export function queuePolicies(model: ProgramModel): { queueName: string; document: PolicyDocument }[] {
  return ofType(model, QUEUE_POLICY_TYPE).map((r) => {
    const url = field(r, "queueUrl");
    if (typeof url !== "string" || url === "") throw new ModelError(`${where(r)} has no queueUrl`);
    return { queueName: url.replace(/\/+$/, "").split("/").pop() ?? "", document: parsePolicy(r, field(r, "policy")) };
  });
}
