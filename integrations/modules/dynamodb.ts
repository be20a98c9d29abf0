/** Optimized dynamodb integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const dynamodb = optimizedService({
  service: "dynamodb",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html",
  patterns: ["request-response"],
});
