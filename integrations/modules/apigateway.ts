/** Optimized apigateway integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const apigateway = optimizedService({
  service: "apigateway",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-api-gateway.html",
  patterns: ["request-response", "waitForTaskToken"],
});
