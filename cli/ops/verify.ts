import type { JobRun } from "@aws-sdk/client-glue";
import { createLogger } from "../../functions/shared/logger";
import { createValidateOutputHandler, type ValidateOutputResult } from "../../functions/validate-output";
import { describeError } from "../errors";
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
  if (run.JobRunState !== "SUCCEEDED") {
    const detail = run.ErrorMessage ? `: ${run.ErrorMessage}` : run.JobRunState === "RUNNING" || run.JobRunState === "STARTING" ? "; wait for it to end" : "";
    return { ok: false, run, reason: `Glue run ${run.Id} of job ${target.outputs.jobName} is ${run.JobRunState}, not SUCCEEDED${detail}` };
  }
  try {
    const settings = await validationSettings(target);
    const validate = createValidateOutputHandler({
      s3: target.s3,
      logger: createLogger("sfn-lab-verify", { logLevel: "SILENT" }),
      env: {
        OUTPUT_BUCKET: target.outputs.bucketName,
        OUTPUT_PREFIX: target.outputs.outputPrefix,
        SCHEMA_JSON: JSON.stringify(settings.schema),
        FILTER_JSON: JSON.stringify(settings.filter),
      },
    });
    return { ok: true, run, result: await validate({ jobRunId: run.Id }) };
  } catch (error) {
    return { ok: false, run, reason: `the output of Glue run ${run.Id} does not validate: ${describeError(error)}` };
  }
}
