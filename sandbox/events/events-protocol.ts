import { AwsServiceError } from "../aws-error";
import { optionalString, requiredString } from "../endpoints/json-protocol";
import type { ServiceProtocol } from "../endpoints/operations";
import { boundedInteger, optionalBoolean } from "../endpoints/validation";
import type { EventsService } from "./events-service";

/** EventBridge's validation error (the model's operations list no other for a malformed member). */
const INVALID = "ValidationException";

/** Model shape LimitMax100: integer 1..100. */
const limit = (b: Record<string, unknown>) => boundedInteger(b, "Limit", 1, 100, INVALID);

function objectList(b: Record<string, unknown>, field: string): Record<string, unknown>[] {
  const value = b[field];
  if (value === undefined || value === null) {
    throw new AwsServiceError(INVALID, `1 validation error detected: Value at '${field.toLowerCase()}' failed to satisfy constraint: Member must not be null`);
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== "object" || v === null || Array.isArray(v))) {
    throw new AwsServiceError("SerializationException", `Value of '${field}' must be a list of structures, got ${JSON.stringify(value).slice(0, 100)}`);
  }
  return value as Record<string, unknown>[];
}

function stringList(b: Record<string, unknown>, field: string): string[] {
  const value = b[field];
  if (!Array.isArray(value) || value.length < 1 || value.length > 100 || value.some((v) => typeof v !== "string")) {
    throw new AwsServiceError(INVALID, `1 validation error detected: Value at '${field.toLowerCase()}' failed to satisfy constraint: Member must have length between 1 and 100`);
  }
  return value as string[];
}

/** AWSEvents.* over the sandbox's EventBridge (JSON 1.1, model targetPrefix AWSEvents, signing name events). */
export function eventsProtocol(events: EventsService): ServiceProtocol {
  const bus = (b: Record<string, unknown>) => optionalString(b, "EventBusName");
  return {
    contentType: "application/x-amz-json-1.1",
    operations: {
      PutRule: (caller, b) =>
        events.putRule(caller, {
          Name: requiredString(b, "Name", INVALID),
          EventPattern: optionalString(b, "EventPattern"),
          ScheduleExpression: optionalString(b, "ScheduleExpression"),
          State: optionalString(b, "State"),
          Description: optionalString(b, "Description"),
          RoleArn: optionalString(b, "RoleArn"),
          EventBusName: bus(b),
        }),
      DescribeRule: (caller, b) => events.describeRule(caller, requiredString(b, "Name", INVALID), bus(b)),
      ListRules: (caller, b) =>
        events.listRules(caller, { NamePrefix: optionalString(b, "NamePrefix"), EventBusName: bus(b), Limit: limit(b), NextToken: optionalString(b, "NextToken") }),
      DeleteRule: (caller, b) => {
        optionalBoolean(b, "Force");
        return events.deleteRule(caller, requiredString(b, "Name", INVALID), bus(b));
      },
      PutTargets: (caller, b) => {
        const targets = objectList(b, "Targets");
        if (targets.length < 1 || targets.length > 100) {
          throw new AwsServiceError(INVALID, "1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and 100");
        }
        return events.putTargets(caller, requiredString(b, "Rule", INVALID), targets, bus(b));
      },
      RemoveTargets: (caller, b) => events.removeTargets(caller, requiredString(b, "Rule", INVALID), stringList(b, "Ids"), bus(b)),
      ListTargetsByRule: (caller, b) =>
        events.listTargetsByRule(caller, { Rule: requiredString(b, "Rule", INVALID), EventBusName: bus(b), Limit: limit(b), NextToken: optionalString(b, "NextToken") }),
      PutEvents: (caller, b) => events.putEvents(caller, objectList(b, "Entries")),
      TestEventPattern: (caller, b) => events.testEventPattern(caller, requiredString(b, "EventPattern", INVALID), requiredString(b, "Event", INVALID)),
    },
  };
}
