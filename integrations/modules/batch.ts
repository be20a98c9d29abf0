/** Optimized batch integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const batch = optimizedService({
  service: "batch",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-batch.html",
  patterns: ["request-response", "sync"],
  syncActions: ["submitJob"],
  jobs: { submitJob: { label: "AWS Batch job", sdk: ["batch:submitJob"] } },
});
