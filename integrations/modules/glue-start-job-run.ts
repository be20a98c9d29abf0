/**
 * Optimized glue:startJobRun, request-response or .sync ("Run AWS Glue jobs with Step Functions": the optimized
 * Glue integration has StartJobRun only, with Request Response and Run a Job; no .waitForTaskToken). Crawlers,
 * workflows and triggers are AWS SDK calls (aws-sdk-glue.ts).
 * IAM as AWS CDK's GlueStartJobRun grants: StartJobRun, and for .sync GetJobRun, GetJobRuns, BatchStopJobRun.
 */
import type * as Glue from "../perform/glue";
import { lazyPerformer } from "../define";
import type { IntegrationModule } from "../types";

const JOB = "arn:${Partition}:glue:${Region}:${Account}:job/${JobName}";

export const glueJobRun: IntegrationModule = {
  name: "glue:startJobRun",
  kind: "optimized",
  service: "glue",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-glue.html",
  actions: {
    startJobRun: {
      patterns: ["request-response", "sync"],
      iam: {
        "request-response": [{ actions: ["glue:StartJobRun"], resources: [JOB] }],
        sync: [{ actions: ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"], resources: [JOB] }],
      },
      job: { label: "Glue job run", sdk: ["glue:startJobRun"] },
      statusRead: "getJobRun",
      perform: lazyPerformer(() => (require("../perform/glue") as typeof Glue).glueStartJobRun),
    },
  },
};
