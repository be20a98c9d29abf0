/** Optimized ecs integration: known to the analysis, not run by the sandbox. */
import { optimizedService } from "../define";

export const ecs = optimizedService({
  service: "ecs",
  docs: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html",
  patterns: ["request-response", "sync", "waitForTaskToken"],
  syncActions: ["runTask"],
  jobs: { runTask: { label: "ECS/Fargate task", sdk: ["ecs:runTask"] } },
  tokenCarriers: { runTask: { member: "Overrides", hint: "as an environment variable in Overrides.ContainerOverrides" } },
});
