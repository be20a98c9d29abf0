/** Optimized athena integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const athena = optimizedService({
  service: "athena",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-athena.html",
  patterns: ["request-response", "sync"],
  syncActions: ["startQueryExecution"],
  jobs: { startQueryExecution: { label: "Athena query", sdk: ["athena:startQueryExecution"] } },
});
