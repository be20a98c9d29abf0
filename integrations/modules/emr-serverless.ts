/** Optimized emr-serverless integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const emrServerless = optimizedService({
  service: "emr-serverless",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr-serverless.html",
  patterns: ["request-response", "sync"],
  syncActions: ["createApplication", "startApplication", "stopApplication", "deleteApplication", "startJobRun", "cancelJobRun"],
  jobs: { startJobRun: { label: "EMR Serverless job run", sdk: ["emrserverless:startJobRun"] } },
});
