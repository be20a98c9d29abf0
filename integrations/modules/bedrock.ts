/** Optimized bedrock integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const bedrock = optimizedService({
  service: "bedrock",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-bedrock.html",
  patterns: ["request-response", "sync", "waitForTaskToken"],
  syncActions: ["createModelCustomizationJob"],
});
