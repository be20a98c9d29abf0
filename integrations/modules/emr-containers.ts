/** Optimized emr-containers integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const emrContainers = optimizedService({
  service: "emr-containers",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr-eks.html",
  patterns: ["request-response", "sync"],
  syncActions: ["startJobRun", "createVirtualCluster", "deleteVirtualCluster"],
  jobs: { startJobRun: { label: "EMR on EKS job run", sdk: ["emrcontainers:startJobRun"] } },
});
