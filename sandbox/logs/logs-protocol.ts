import { AwsServiceError } from "../aws-error";
import { optionalString, requiredString } from "../endpoints/json-protocol";
import type { ServiceProtocol } from "../endpoints/operations";
import { boundedInteger, optionalBoolean } from "../endpoints/validation";
import type { LogsService } from "./logs-service";

/** CloudWatch Logs' validation error (model: every read operation lists InvalidParameterException). */
const INVALID = "InvalidParameterException";

/** Model shape DescribeLimit: integer 1..50; EventsLimit: 1..10000; Timestamp: long >= 0. */
const describeLimit = (b: Record<string, unknown>) => boundedInteger(b, "limit", 1, 50, INVALID);
const eventsLimit = (b: Record<string, unknown>) => boundedInteger(b, "limit", 1, 10_000, INVALID);
const timestamp = (b: Record<string, unknown>, field: string) => boundedInteger(b, field, 0, Number.MAX_SAFE_INTEGER, INVALID);

const ORDER_BY = ["LogStreamName", "LastEventTime"] as const;

function groupReference(b: Record<string, unknown>) {
  return { logGroupName: optionalString(b, "logGroupName"), logGroupIdentifier: optionalString(b, "logGroupIdentifier") };
}

function orderBy(b: Record<string, unknown>): (typeof ORDER_BY)[number] | undefined {
  const value = optionalString(b, "orderBy");
  if (value !== undefined && !ORDER_BY.includes(value as (typeof ORDER_BY)[number])) {
    throw new AwsServiceError(INVALID, `1 validation error detected: Value '${value}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [${ORDER_BY.join(", ")}]`);
  }
  return value as (typeof ORDER_BY)[number] | undefined;
}

function streamNames(b: Record<string, unknown>): string[] | undefined {
  const value = b.logStreamNames;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw new AwsServiceError("SerializationException", "logStreamNames must be a list of strings");
  // Model shape InputLogStreamNames: min 1, max 100 names.
  if (value.length < 1 || value.length > 100) {
    throw new AwsServiceError(INVALID, `1 validation error detected: Value at 'logStreamNames' failed to satisfy constraint: Member must have length between 1 and 100`);
  }
  return value as string[];
}

/** Logs_20140328.* over the sandbox's logs (JSON 1.1; timestamps are epoch milliseconds, as longs). */
export function logsProtocol(logs: LogsService): ServiceProtocol {
  return {
    contentType: "application/x-amz-json-1.1",
    operations: {
      DescribeLogGroups: (caller, b) =>
        logs.describeLogGroups(caller, {
          logGroupNamePrefix: optionalString(b, "logGroupNamePrefix"),
          logGroupNamePattern: optionalString(b, "logGroupNamePattern"),
          limit: describeLimit(b),
          nextToken: optionalString(b, "nextToken"),
        }),
      DescribeLogStreams: (caller, b) =>
        logs.describeLogStreams(caller, {
          ...groupReference(b),
          logStreamNamePrefix: optionalString(b, "logStreamNamePrefix"),
          orderBy: orderBy(b),
          descending: optionalBoolean(b, "descending"),
          limit: describeLimit(b),
          nextToken: optionalString(b, "nextToken"),
        }),
      GetLogEvents: (caller, b) =>
        logs.getLogEvents(caller, {
          ...groupReference(b),
          logStreamName: requiredString(b, "logStreamName", INVALID),
          startTime: timestamp(b, "startTime"),
          endTime: timestamp(b, "endTime"),
          limit: eventsLimit(b),
          nextToken: optionalString(b, "nextToken"),
          startFromHead: optionalBoolean(b, "startFromHead"),
        }),
      FilterLogEvents: (caller, b) =>
        logs.filterLogEvents(caller, {
          ...groupReference(b),
          logStreamNames: streamNames(b),
          logStreamNamePrefix: optionalString(b, "logStreamNamePrefix"),
          startTime: timestamp(b, "startTime"),
          endTime: timestamp(b, "endTime"),
          filterPattern: optionalString(b, "filterPattern"),
          limit: eventsLimit(b),
          nextToken: optionalString(b, "nextToken"),
        }),
    },
  };
}
