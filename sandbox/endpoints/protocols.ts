import type { GlueService } from "../glue/glue-service";
import { logsProtocol } from "../logs/logs-protocol";
import type { LogsService } from "../logs/logs-service";
import type { StepFunctionsService } from "../sfn/sfn-service";
import { glueProtocol, stepFunctionsProtocol, type ServiceProtocol } from "./operations";

export interface JsonServices {
  readonly sfn: StepFunctionsService;
  readonly glue: GlueService;
  readonly logs: LogsService;
}

/**
 * Each JSON service the API server answers: its name in AWS's docs, its key in SandboxEndpoints and its
 * X-Amz-Target prefix (the service model's metadata.targetPrefix).
 */
export const JSON_SERVICES = [
  { name: "Step Functions", endpoint: "sfn", targetPrefix: "AWSStepFunctions", protocol: (s: JsonServices) => stepFunctionsProtocol(s.sfn) },
  { name: "Glue", endpoint: "glue", targetPrefix: "AWSGlue", protocol: (s: JsonServices) => glueProtocol(s.glue) },
  { name: "CloudWatch Logs", endpoint: "logs", targetPrefix: "Logs_20140328", protocol: (s: JsonServices) => logsProtocol(s.logs) },
] as const;

/** X-Amz-Target prefix -> protocol, as the API server routes requests. */
export function jsonProtocols(services: JsonServices): Record<string, ServiceProtocol> {
  return Object.fromEntries(JSON_SERVICES.map((s) => [s.targetPrefix, s.protocol(services)]));
}
