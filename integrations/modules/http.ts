/** Optimized http integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const http = optimizedService({
  service: "http",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html",
  patterns: ["request-response"],
});
