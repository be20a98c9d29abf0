/** Optimized eks integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const eks = optimizedService({
  service: "eks",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html",
  patterns: ["request-response", "sync", "waitForTaskToken"],
  syncActions: ["createCluster", "deleteCluster", "createFargateProfile", "deleteFargateProfile", "createNodegroup", "deleteNodegroup", "runJob"],
  jobs: { runJob: { label: "EKS job", sdk: [] } },
});
