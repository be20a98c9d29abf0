/** What the Step Functions integrations (optimized and SDK) share: their error names and DescribeExecution's output. */
import { randomUUID } from "node:crypto";
import { AwsServiceError } from "../../sandbox/aws-error";
import type { ExecutionDescription } from "../../sandbox/sfn/sfn-service";
import { TaskFailure } from "../performer";

/**
 * A failed Step Functions call, as the state sees it: "<Prefix>.<ErrorCode>Exception" with the Java SDK's cause
 * text. AWS SDK integrations: "ServiceName.ErrorName, both in Pascal case", the Exception suffix always added
 * ("Learning to use AWS service SDK integrations": Sfn.<...>Exception); the optimized integration says
 * StepFunctions (the name LocalStack records from AWS for it).
 */
export function stepFunctionsFailure(prefix: "Sfn" | "StepFunctions", error: unknown): TaskFailure {
  if (error instanceof TaskFailure) return error;
  if (!(error instanceof AwsServiceError)) return new TaskFailure(`${prefix}.SdkClientException`, (error as Error)?.message ?? String(error));
  const exception = error.code.endsWith("Exception") ? error.code : `${error.code}Exception`;
  const cause = `${error.message} (Service: AWSStepFunctions; Status Code: ${error.httpStatus}; Error Code: ${error.code}; Request ID: ${randomUUID()}; Proxy: null)`;
  return new TaskFailure(`${prefix}.${exception}`, cause);
}

/** DescribeExecution's answer as a task output: members capitalised as the Java SDK names them, dates in epoch ms. */
export function describedOutput(description: ExecutionDescription, parseData: boolean): Record<string, unknown> {
  const capitalise = (value: unknown): unknown => {
    if (value instanceof Date) return value.getTime();
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), capitalise(v)]));
  };
  const out = capitalise(description) as Record<string, unknown>;
  // .sync:2: "returns JSON output rather than escaped string" (the guide's Step Functions integration page).
  if (parseData) for (const key of ["Input", "Output"]) if (typeof out[key] === "string") out[key] = JSON.parse(out[key] as string) as unknown;
  return out;
}
