/** Optimized events integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const events = optimizedService({
  service: "events",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html",
  patterns: ["request-response", "waitForTaskToken"],
  tokenCarriers: { putEvents: { member: "Entries", hint: "inside an entry's Detail" } },
});
