/** Optimized codebuild integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const codebuild = optimizedService({
  service: "codebuild",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-codebuild.html",
  patterns: ["request-response", "sync"],
  syncActions: ["startBuild", "startBuildBatch", "retryBuildBatch"],
  jobs: {
    startBuild: { label: "CodeBuild build", sdk: ["codebuild:startBuild"] },
    startBuildBatch: { label: "CodeBuild batch build", sdk: ["codebuild:startBuildBatch"] },
  },
});
