/** Optimized sqs integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const sqs = optimizedService({
  service: "sqs",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html",
  patterns: ["request-response", "waitForTaskToken"],
  tokenCarriers: { sendMessage: { member: "MessageBody" } },
});
