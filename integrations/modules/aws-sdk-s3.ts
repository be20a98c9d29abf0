/**
 * AWS SDK integration with S3 (aws-sdk:s3:<action>): getObject, putObject and listObjectsV2 run in the
 * sandbox, request-response or .waitForTaskToken ("AWS SDK service integrations"). The call goes to the
 * sandbox's S3 endpoint signed with the state machine role's keys, so S3 authorizes it as it does every
 * caller (bucket policy included). Results are the API's answer (no SDK metadata: SDK integrations add none),
 * GetObject's Body as text, timestamps as ISO 8601. Errors are "S3.<Code>Exception" (S3.NoSuchKeyException).
 * IAM as the Service Authorization Reference lists it: s3:GetObject / s3:PutObject on the object,
 * s3:ListBucket on the bucket.
 */
import type * as S3 from "../perform/s3";
import { lazyPerformer } from "../define";
import { SDK_PATTERNS } from "../patterns";
import type { ActionSupport, IamStatementTemplate, IntegrationModule } from "../types";
import { OTHER_ACTIONS } from "../types";

const OBJECT = "arn:${Partition}:s3:::${Bucket}/${Key}";
const both = (statements: readonly IamStatementTemplate[]): ActionSupport["iam"] => ({ "request-response": statements, waitForTaskToken: statements });

export const awsSdkS3: IntegrationModule = {
  name: "aws-sdk:s3",
  kind: "sdk",
  service: "s3",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html",
  actions: {
    getObject: {
      patterns: SDK_PATTERNS,
      iam: both([{ actions: ["s3:GetObject"], resources: [OBJECT] }]),
      perform: lazyPerformer(() => (require("../perform/s3") as typeof S3).getObject),
    },
    putObject: {
      patterns: SDK_PATTERNS,
      iam: both([{ actions: ["s3:PutObject"], resources: [OBJECT] }]),
      perform: lazyPerformer(() => (require("../perform/s3") as typeof S3).putObject),
    },
    listObjectsV2: {
      patterns: SDK_PATTERNS,
      iam: both([{ actions: ["s3:ListBucket"], resources: ["arn:${Partition}:s3:::${Bucket}"] }]),
      perform: lazyPerformer(() => (require("../perform/s3") as typeof S3).listObjectsV2),
    },
    // Every other S3 action: known to the analysis, refused by the sandbox.
    [OTHER_ACTIONS]: { patterns: SDK_PATTERNS },
  },
};
