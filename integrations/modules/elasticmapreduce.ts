/** Optimized elasticmapreduce integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const elasticMapReduce = optimizedService({
  service: "elasticmapreduce",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr.html",
  patterns: ["request-response", "sync"],
  syncActions: ["createCluster", "terminateCluster", "addStep"],
  jobs: {
    addStep: { label: "EMR step", sdk: ["emr:addJobFlowSteps"] },
    createCluster: { label: "EMR cluster", sdk: ["emr:runJobFlow"] },
  },
});
