/** Optimized mediaconvert integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const mediaconvert = optimizedService({
  service: "mediaconvert",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-mediaconvert.html",
  patterns: ["request-response", "sync"],
  syncActions: ["createJob"],
  jobs: { createJob: { label: "MediaConvert job", sdk: ["mediaconvert:createJob"] } },
});
