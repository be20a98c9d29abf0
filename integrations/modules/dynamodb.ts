/**
 * Optimized DynamoDB integration: getItem, putItem, updateItem, deleteItem, request-response only ("Perform
 * DynamoDB CRUD operations with Step Functions"). Parameters are the API's request; the output is the API's
 * answer with the SDK metadata. Errors are "DynamoDB.<Exception>" (DynamoDB.ConditionalCheckFailedException).
 * IAM as the page's policy: dynamodb:<Action> on the table.
 */
import type * as DynamoDb from "../perform/dynamodb";
import { lazyPerformer } from "../define";
import type { ActionSupport, IamStatementTemplate, IntegrationModule } from "../types";

const ON_TABLE: readonly IamStatementTemplate[] = [{ actions: ["dynamodb:${Action}"], resources: ["arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}"] }];

const item: ActionSupport = {
  patterns: ["request-response"],
  iam: { "request-response": ON_TABLE },
  perform: lazyPerformer(() => (require("../perform/dynamodb") as typeof DynamoDb).itemCall),
};

export const dynamodb: IntegrationModule = {
  name: "dynamodb",
  kind: "optimized",
  service: "dynamodb",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html",
  actions: { getItem: item, putItem: item, updateItem: item, deleteItem: item },
};
