import { AccessDeniedError, AwsServiceError } from "../aws-error";
import { requiredParameter, xmlEscape, xmlMembers, type QueryOperation, type QueryParameters, type QueryProtocol } from "../endpoints/query-protocol";
import type { Principal } from "../iam/principals";
import type { SnsMessageAttribute, SnsService } from "./sns-service";

/** The query protocol's map members: "<Name>.entry.<n>.<key>" / ".<value>" (n from 1). */
function queryMap(parameters: QueryParameters, name: string, keyMember = "key", valueMember = "value"): Map<number, { key?: string; rest: Map<string, string> }> {
  const entries = new Map<number, { key?: string; rest: Map<string, string> }>();
  const prefix = `${name}.entry.`;
  for (const [parameter, value] of parameters) {
    if (!parameter.startsWith(prefix)) continue;
    const tail = parameter.slice(prefix.length);
    const dot = tail.indexOf(".");
    const index = Number(tail.slice(0, dot));
    if (dot <= 0 || !Number.isInteger(index) || index < 1) throw new AwsServiceError("InvalidParameter", `Invalid parameter: ${parameter.slice(0, 100)}`);
    const member = tail.slice(dot + 1);
    const entry = entries.get(index) ?? { rest: new Map<string, string>() };
    if (member === keyMember) entry.key = value;
    else entry.rest.set(member === valueMember ? "" : member, value);
    entries.set(index, entry);
  }
  return entries;
}

function stringMap(parameters: QueryParameters, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of queryMap(parameters, name).values()) {
    if (entry.key === undefined || !entry.rest.has("")) throw new AwsServiceError("InvalidParameter", `Invalid parameter: ${name} (each entry needs a key and a value)`);
    out[entry.key] = entry.rest.get("") ?? "";
  }
  return out;
}

/** Publish's MessageAttributes: "MessageAttributes.entry.N.Name" and ".Value.DataType/.StringValue/.BinaryValue". */
function messageAttributes(parameters: QueryParameters): Record<string, SnsMessageAttribute> {
  const out: Record<string, SnsMessageAttribute> = {};
  for (const entry of queryMap(parameters, "MessageAttributes", "Name", "Value").values()) {
    const name = entry.key;
    const dataType = entry.rest.get("Value.DataType");
    if (name === undefined || name === "") throw new AwsServiceError("InvalidParameter", "Invalid parameter: MessageAttributes (an entry has no Name)");
    if (dataType === undefined || !/^(String|String\.Array|Number|Binary)(\..+)?$/.test(dataType)) {
      throw new AwsServiceError("ParameterValueInvalid", `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    const stringValue = entry.rest.get("Value.StringValue");
    const binaryValue = entry.rest.get("Value.BinaryValue");
    if ((dataType.startsWith("Binary") ? binaryValue : stringValue) === undefined) {
      throw new AwsServiceError("ParameterValueInvalid", `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`);
    }
    out[name] = { DataType: dataType, ...(stringValue !== undefined ? { StringValue: stringValue } : {}), ...(binaryValue !== undefined ? { BinaryValue: binaryValue } : {}) };
  }
  return out;
}

/** SNS answers a denial as AuthorizationError, 403 (botocore sns: AuthorizationErrorException). */
function snsOperation(operation: (caller: Principal, parameters: QueryParameters) => Promise<string | undefined>): QueryOperation {
  return async (caller, parameters) => {
    try {
      return await operation(caller, parameters);
    } catch (error) {
      if (error instanceof AccessDeniedError) throw new AwsServiceError("AuthorizationError", error.message, 403);
      throw error;
    }
  };
}

const member = (fields: Record<string, string>) => `<member>${xmlMembers(fields)}</member>`;

/** SNS over the query protocol: botocore sns 2010-03-31 (xmlNamespace, apiVersion). */
export function snsProtocol(sns: SnsService): QueryProtocol {
  return {
    xmlNamespace: "http://sns.amazonaws.com/doc/2010-03-31/",
    version: "2010-03-31",
    operations: {
      CreateTopic: snsOperation(async (caller, p) => xmlMembers(await sns.createTopic(caller, requiredParameter(p, "Name"), stringMap(p, "Attributes")))),
      ListTopics: snsOperation(async (caller) => `<Topics>${(await sns.listTopics(caller)).map((t) => member(t)).join("")}</Topics>`),
      DeleteTopic: snsOperation(async (caller, p) => {
        await sns.deleteTopic(caller, requiredParameter(p, "TopicArn"));
        return undefined;
      }),
      Subscribe: snsOperation(async (caller, p) =>
        xmlMembers(await sns.subscribe(caller, requiredParameter(p, "TopicArn"), requiredParameter(p, "Protocol"), p.get("Endpoint"), stringMap(p, "Attributes"))),
      ),
      ListSubscriptionsByTopic: snsOperation(async (caller, p) => {
        const subscriptions = await sns.listSubscriptionsByTopic(caller, requiredParameter(p, "TopicArn"));
        return `<Subscriptions>${subscriptions.map((s) => member({ SubscriptionArn: s.SubscriptionArn, Owner: s.Owner, Protocol: s.Protocol, Endpoint: s.Endpoint, TopicArn: s.TopicArn })).join("")}</Subscriptions>`;
      }),
      Unsubscribe: snsOperation(async (caller, p) => {
        await sns.unsubscribe(caller, requiredParameter(p, "SubscriptionArn"));
        return undefined;
      }),
      Publish: snsOperation(async (caller, p) => {
        const result = await sns.publish(caller, {
          TopicArn: p.get("TopicArn"),
          TargetArn: p.get("TargetArn"),
          PhoneNumber: p.get("PhoneNumber"),
          Message: requiredParameter(p, "Message"),
          Subject: p.get("Subject"),
          MessageStructure: p.get("MessageStructure"),
          MessageAttributes: messageAttributes(p),
        });
        return `<MessageId>${xmlEscape(result.MessageId)}</MessageId>`;
      }),
    },
  };
}
