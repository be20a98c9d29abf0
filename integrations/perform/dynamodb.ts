/** How the sandbox performs the optimized DynamoDB item actions (request-response). */
import { randomUUID } from "node:crypto";
import type { DynamoDbOperation } from "../../sandbox/dynamodb/dynamodb-service";
import type { IntegrationServices, TaskAttempt } from "../performer";
import { apiName, callTask, sdkMetadata } from "./task-events";

/** The Task's action as the DynamoDB API call of the same name; its answer plus the SDK metadata. */
export async function itemCall(attempt: TaskAttempt, services: IntegrationServices): Promise<unknown> {
  return callTask(attempt, services, "dynamodb", async () => {
    const operation = apiName(attempt.resource.action ?? "") as DynamoDbOperation;
    const request = typeof attempt.parameters === "object" && attempt.parameters !== null ? (attempt.parameters as Record<string, unknown>) : {};
    const answer = await services.dynamodb.call(attempt.principal, operation, request);
    return { ...answer, ...sdkMetadata(randomUUID(), { "Content-Type": "application/x-amz-json-1.0" }) };
  });
}

