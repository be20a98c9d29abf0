import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";

import { MOCK_ACCOUNT_ID } from "./sandbox-account";

export { MOCK_ACCOUNT_ID };

export interface RecordedResource {
  type: string;
  name: string;
  id: string;
  custom: boolean;
  inputs: Record<string, unknown>;
  state: Record<string, unknown>;
}

/** A deterministic suffix, as Pulumi's auto-naming would add a random one. */
function suffix(seed: string): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, 7);
}

/** The physical name a provider would give: the explicit one, from a prefix, or auto-named. */
function physicalName(type: string, name: string, inputs: Record<string, unknown>, key = "name"): string {
  const explicit = inputs[key];
  if (typeof explicit === "string" && explicit) return explicit;
  const prefix = inputs[`${key}Prefix`];
  if (typeof prefix === "string" && prefix) return `${prefix}${suffix(type + name)}`;
  return `${name}-${suffix(type + name)}`;
}

/**
 * Pulumi mocks that answer like AWS: realistic names and ARNs, so a definition's Resource ARNs and a role's
 * policy resources map back to the resources that own them. Every resource is recorded.
 */
export class AwsMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];

  constructor(
    readonly region: string,
    readonly accountId = MOCK_ACCOUNT_ID,
    readonly partition = "aws",
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    const { id, state } = this.stateOf(args.type, args.name, inputs);
    this.resources.push({ type: args.type, name: args.name, id, custom: args.custom ?? true, inputs, state });
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return { accountId: this.accountId, arn: `arn:${this.partition}:iam::${this.accountId}:user/lab`, userId: "AIDALAB", id: this.accountId };
      case "aws:index/getRegion:getRegion":
        return { name: this.region, region: this.region, id: this.region, description: this.region, endpoint: `ec2.${this.region}.amazonaws.com` };
      case "aws:index/getPartition:getPartition":
        return { partition: this.partition, dnsSuffix: "amazonaws.com", id: this.partition, reverseDnsPrefix: "com.amazonaws" };
      default:
        return args.inputs as Record<string, unknown>;
    }
  }

  private arn(service: string, resource: string, regional = true, account = true): string {
    return `arn:${this.partition}:${service}:${regional ? this.region : ""}:${account ? this.accountId : ""}:${resource}`;
  }

  private stateOf(type: string, name: string, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
    switch (type) {
      case "aws:s3/bucket:Bucket": {
        const bucket = physicalName(type, name, inputs, "bucket").toLowerCase();
        return { id: bucket, state: { ...inputs, bucket, arn: `arn:${this.partition}:s3:::${bucket}`, region: this.region } };
      }
      case "aws:iam/role:Role": {
        const roleName = physicalName(type, name, inputs);
        return { id: roleName, state: { ...inputs, name: roleName, arn: this.arn("iam", `role/${roleName}`, false), uniqueId: `AROA${suffix(roleName).toUpperCase()}` } };
      }
      case "aws:iam/rolePolicy:RolePolicy": {
        const policyName = physicalName(type, name, inputs);
        return { id: `${String(inputs.role)}:${policyName}`, state: { ...inputs, name: policyName } };
      }
      case "aws:lambda/function:Function": {
        const fnName = physicalName(type, name, inputs);
        const arn = this.arn("lambda", `function:${fnName}`);
        return { id: fnName, state: { ...inputs, name: fnName, arn, qualifiedArn: `${arn}:$LATEST`, invokeArn: `arn:${this.partition}:apigateway:${this.region}:lambda:path/2015-03-31/functions/${arn}/invocations`, version: "$LATEST" } };
      }
      case "aws:glue/job:Job": {
        const jobName = physicalName(type, name, inputs);
        return { id: jobName, state: { ...inputs, name: jobName, arn: this.arn("glue", `job/${jobName}`) } };
      }
      case "aws:glue/catalogDatabase:CatalogDatabase": {
        // Glue folds database names to lower case; the provider's id is "<catalog id>:<name>".
        const databaseName = physicalName(type, name, inputs).toLowerCase();
        return { id: `${this.accountId}:${databaseName}`, state: { ...inputs, name: databaseName, catalogId: this.accountId, arn: this.arn("glue", `database/${databaseName}`) } };
      }
      case "aws:glue/crawler:Crawler": {
        const crawlerName = physicalName(type, name, inputs);
        return { id: crawlerName, state: { ...inputs, name: crawlerName, arn: this.arn("glue", `crawler/${crawlerName}`) } };
      }
      case "aws:sfn/stateMachine:StateMachine": {
        const machineName = physicalName(type, name, inputs);
        const arn = this.arn("states", `stateMachine:${machineName}`);
        return { id: arn, state: { ...inputs, name: machineName, arn, status: "ACTIVE", creationDate: "2026-01-01T00:00:00Z" } };
      }
      case "aws:cloudwatch/logGroup:LogGroup": {
        const groupName = physicalName(type, name, inputs);
        return { id: groupName, state: { ...inputs, name: groupName, arn: this.arn("logs", `log-group:${groupName}`) } };
      }
      case "aws:cloudwatch/eventRule:EventRule": {
        // A rule on the default bus: arn:aws:events:<region>:<account>:rule/<name>.
        const ruleName = physicalName(type, name, inputs);
        return { id: ruleName, state: { ...inputs, name: ruleName, arn: this.arn("events", `rule/${ruleName}`), eventBusName: inputs.eventBusName ?? "default" } };
      }
      case "aws:cloudwatch/eventTarget:EventTarget": {
        const targetId = typeof inputs.targetId === "string" && inputs.targetId ? inputs.targetId : `${name}-${suffix(type + name)}`;
        return { id: `${String(inputs.rule)}-${targetId}`, state: { ...inputs, targetId } };
      }
      case "aws:lambda/permission:Permission": {
        const statementId = typeof inputs.statementId === "string" && inputs.statementId ? inputs.statementId : physicalName(type, name, inputs, "statementId");
        return { id: statementId, state: { ...inputs, statementId } };
      }
      case "aws:sqs/queue:Queue": {
        // A FIFO queue's generated name gets the .fifo suffix its type needs (the provider adds it; a given name must have it).
        const generated = physicalName(type, name, inputs);
        const queueName = inputs.fifoQueue === true && !inputs.name && !generated.endsWith(".fifo") ? `${generated}.fifo` : generated;
        const url = `https://sqs.${this.region}.amazonaws.com/${this.accountId}/${queueName}`;
        return { id: url, state: { ...inputs, name: queueName, arn: this.arn("sqs", queueName), url } };
      }
      case "aws:sns/topic:Topic": {
        const topicName = physicalName(type, name, inputs);
        const arn = this.arn("sns", topicName);
        return { id: arn, state: { ...inputs, name: topicName, arn } };
      }
      case "aws:sns/topicSubscription:TopicSubscription": {
        const arn = `${String(inputs.topic)}:${suffix(type + name)}`;
        return { id: arn, state: { ...inputs, arn } };
      }
      case "aws:dynamodb/table:Table": {
        const tableName = physicalName(type, name, inputs);
        return { id: tableName, state: { ...inputs, name: tableName, arn: this.arn("dynamodb", `table/${tableName}`) } };
      }
      case "aws:glue/workflow:Workflow":
      case "aws:glue/trigger:Trigger": {
        const glueName = physicalName(type, name, inputs);
        const kind = type === "aws:glue/workflow:Workflow" ? "workflow" : "trigger";
        return { id: glueName, state: { ...inputs, name: glueName, arn: this.arn("glue", `${kind}/${glueName}`) } };
      }
      case "aws:s3/bucketObjectv2:BucketObjectv2":
        return { id: String(inputs.key), state: { ...inputs, etag: suffix(String(inputs.key)), versionId: "v1" } };
      default:
        return { id: `${name}-id`, state: { ...inputs } };
    }
  }
}
