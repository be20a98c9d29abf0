import type { JobRun } from "@aws-sdk/client-glue";
import { createLogger } from "../../functions/shared/logger";
import { createValidateOutputHandler, type ValidateOutputResult } from "../../functions/validate-output";
import { verifyRun } from "../../functions/validate-output/verify-run";
import type { Target } from "../targets/target";
import { getJobRun, newestJobRun, validationSettings } from "./etl";

export type Verification =
  | { readonly ok: true; readonly run: JobRun; readonly result: ValidateOutputResult }
  | { readonly ok: false; readonly run?: JobRun; readonly reason: string };

/**
 * Checks a Glue run before an operator vouches for it: the run (given, or by id, else the newest one)
 * SUCCEEDED, and its output proves itself with the validate-output function's own logic, run here
 * against the target's S3 (manifest invariant and counts, header, every row against the filter).
 */
export async function verifyJobRun(target: Target, runOrId?: string | JobRun): Promise<Verification> {
  const run = typeof runOrId === "object" ? runOrId : runOrId ? await getJobRun(target, runOrId) : await newestJobRun(target);
  if (!run?.Id) return { ok: false, reason: `job ${target.outputs.jobName} has no runs; start one with \`sfn-lab etl start\`` };
  // The job's settings are read only when the run SUCCEEDED: a failed run is refused for its state alone.
  const validate = async (event: { jobRunId: string }) => {
    const settings = await validationSettings(target);
    return createValidateOutputHandler({
      s3: target.s3,
      logger: createLogger("sfn-lab-verify", { logLevel: "SILENT" }),
      env: {
        OUTPUT_BUCKET: target.outputs.bucketName,
        OUTPUT_PREFIX: target.outputs.outputPrefix,
        SCHEMA_JSON: JSON.stringify(settings.schema),
        FILTER_JSON: JSON.stringify(settings.filter),
      },
    })(event);
  };
  const verification = await verifyRun(run, target.outputs.jobName, validate);
  return verification.ok ? { ok: true, run, result: verification.result } : { ok: false, run, reason: verification.reason };
}
