import { field, ModelError, ofType, requireString, RESOURCE_TYPES, where } from "../model-view";
import type { ProgramModel } from "../program-model";

const TOPIC_TYPE = RESOURCE_TYPES.topic;
const SUBSCRIPTION_TYPE = RESOURCE_TYPES.topicSubscription;

export interface TopicView {
  readonly logicalName: string;
  readonly name: string;
  readonly fifo: boolean;
}

export interface SubscriptionView {
  readonly logicalName: string;
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  /** Subscription attributes as Subscribe takes them (RawMessageDelivery, FilterPolicy...). */
  readonly attributes: Readonly<Record<string, string>>;
}

export function topics(model: ProgramModel): TopicView[] {
  return ofType(model, TOPIC_TYPE).map((r) => {
    const name = typeof field(r, "name") === "string" ? (field(r, "name") as string) : "";
    if (!name) throw new ModelError(`${where(r)} has no name`);
    return { logicalName: r.name, name, fifo: field(r, "fifoTopic") === true || name.endsWith(".fifo") };
  });
}

/** Pulumi's TopicSubscription arguments -> the subscription attributes they set. */
const ATTRIBUTE_ARGUMENTS: Readonly<Record<string, string>> = {
  rawMessageDelivery: "RawMessageDelivery",
  filterPolicy: "FilterPolicy",
  filterPolicyScope: "FilterPolicyScope",
  redrivePolicy: "RedrivePolicy",
  deliveryPolicy: "DeliveryPolicy",
};

export function subscriptions(model: ProgramModel): SubscriptionView[] {
  return ofType(model, SUBSCRIPTION_TYPE).map((r) => {
    const attributes: Record<string, string> = {};
    for (const [argument, attribute] of Object.entries(ATTRIBUTE_ARGUMENTS)) {
      const value = field(r, argument);
      if (value === undefined || value === null || value === "" || value === false) continue;
      attributes[attribute] = typeof value === "string" ? value : typeof value === "boolean" ? String(value) : JSON.stringify(value);
    }
    return { logicalName: r.name, topicArn: requireString(r, "topic"), protocol: requireString(r, "protocol"), endpoint: requireString(r, "endpoint"), attributes };
  });
}
