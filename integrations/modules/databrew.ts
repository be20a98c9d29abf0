/** Optimized databrew integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const databrew = optimizedService({
  service: "databrew",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-databrew.html",
  patterns: ["request-response", "sync"],
  syncActions: ["startJobRun"],
  jobs: { startJobRun: { label: "Glue DataBrew job run", sdk: ["databrew:startJobRun"] } },
});
