/**
 * Optimized DynamoDB integration: getItem, putItem, updateItem, deleteItem, request-response only ("Perform
 * DynamoDB CRUD operations with Step Functions"). Parameters are the API's request; the output is the API's
 * answer with the SDK metadata. Errors are "DynamoDB.<Exception>" (DynamoDB.ConditionalCheckFailedException).
 * IAM as the page's policy: dynamodb:<Action> on the table.
 */
import { randomUUID } from "node:crypto";
import type { DynamoDbOperation } from "../../sandbox/dynamodb/dynamodb-service";
import type { IntegrationServices, TaskAttempt } from "../performer";
import { apiName, callTask, sdkMetadata } from "../perform/task-events";
import type { ActionSupport, IamStatementTemplate, IntegrationModule } from "../types";

const ON_TABLE: readonly IamStatementTemplate[] = [{ actions: ["dynamodb:${Action}"], resources: ["arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}"] }];

async function itemCall(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  return callTask(attempt, services, "dynamodb", async () => {
    const operation = apiName(attempt.resource.action ?? "") as DynamoDbOperation;
    const request = typeof attempt.parameters === "object" && attempt.parameters !== null ? (attempt.parameters as Record<string, unknown>) : {};
    const answer = await services.dynamodb.call(attempt.principal, operation, request);
    return { ...answer, ...sdkMetadata(randomUUID(), { "Content-Type": "application/x-amz-json-1.0" }) };
  });
}

const item: ActionSupport = { patterns: ["request-response"], iam: { "request-response": ON_TABLE }, perform: itemCall };

export const dynamodb: IntegrationModule = {
  name: "dynamodb",
  kind: "optimized",
  service: "dynamodb",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html",
  actions: { getItem: item, putItem: item, updateItem: item, deleteItem: item },
};
