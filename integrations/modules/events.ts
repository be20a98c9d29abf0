/**
 * Optimized events:putEvents ("Add EventBridge events with Step Functions"): request-response and Wait for
 * Callback. What differs from the SDK integration, as that page says: the execution's ARN and the state
 * machine's ARN are appended to each entry's Resources, and a response with a non-zero FailedEntryCount
 * fails the Task with EventBridge.FailedEntry. Detail may be given as a JSON object (sent as its JSON text).
 * IAM ("IAM policies for calling Amazon EventBridge"): events:PutEvents on the event bus the entries name.
 * The role derivation grants the default bus (event-bus/default): it cannot read a bus named in a list
 * member (Entries[].EventBusName); a machine that sends to another bus grants it with additionalStatements.
 * The sandbox has the default bus only: an entry naming another bus is that entry's ResourceNotFoundException,
 * so the Task fails with EventBridge.FailedEntry, as a failed entry does on AWS.
 */
import type * as Events from "../perform/events";
import { lazyPerformer } from "../define";
import type { IamStatementTemplate, IntegrationModule } from "../types";

const DEFAULT_BUS: readonly IamStatementTemplate[] = [{ actions: ["events:PutEvents"], resources: ["arn:${Partition}:events:${Region}:${Account}:event-bus/default"] }];

export const events: IntegrationModule = {
  name: "events",
  kind: "optimized",
  service: "events",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html",
  actions: {
    putEvents: {
      patterns: ["request-response", "waitForTaskToken"],
      iam: { "request-response": DEFAULT_BUS, waitForTaskToken: DEFAULT_BUS },
      // The token travels in an entry's Detail (a rule's target reads it from the event).
      tokenCarrier: "Entries",
      perform: lazyPerformer(() => (require("../perform/events") as typeof Events).putEvents),
    },
  },
};
