import type { Operation, ServiceProtocol } from "../endpoints/operations";
import { DYNAMODB_CONTENT_TYPE } from "./dynalite-backend";
import { DYNAMODB_OPERATIONS, type DynamoDbService } from "./dynamodb-service";

/** DynamoDB_20120810.* over the sandbox's DynamoDB: the request body goes to the engine as the client sent it. */
export function dynamoDbProtocol(dynamodb: DynamoDbService): ServiceProtocol {
  const operations: Record<string, Operation> = {};
  for (const operation of DYNAMODB_OPERATIONS) operations[operation] = (caller, body) => dynamodb.call(caller, operation, body);
  return { contentType: DYNAMODB_CONTENT_TYPE, operations };
}
