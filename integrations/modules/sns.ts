/** Optimized sns integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const sns = optimizedService({
  service: "sns",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html",
  patterns: ["request-response", "waitForTaskToken"],
  tokenCarriers: { publish: { member: "Message" } },
});
