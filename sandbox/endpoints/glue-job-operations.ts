import { AwsServiceError } from "../aws-error";
import type { GlueJobEntry, GlueService } from "../glue/glue-service";
import { jobDefinition, jobName } from "../glue/job-definition";
import { optionalString } from "./json-protocol";
import type { Operation } from "./operations";
import { boundedInteger, optionalStringMap, requiredStructure } from "./validation";

/**
 * AWSGlue.* operations on job definitions (botocore glue service-2.json: CreateJob, GetJob, GetJobs, ListJobs,
 * UpdateJob, DeleteJob): request members checked as the JSON protocol checks them, then Glue's own errors.
 */

const GLUE_VALIDATION = "InvalidInputException";
/** Model shape PageSize (GetJobs, ListJobs): 1..1000. */
const jobsPage = (b: Record<string, unknown>) => boundedInteger(b, "MaxResults", 1, 1000, GLUE_VALIDATION);

/** Glue's Job shape (GetJob, GetJobs) of a job. */
export function jobDescription(entry: GlueJobEntry): Record<string, unknown> {
  const { job } = entry;
  return {
    Name: job.name,
    JobMode: "SCRIPT",
    ...(entry.description !== undefined ? { Description: entry.description } : {}),
    Role: entry.role,
    CreatedOn: entry.createdOn,
    LastModifiedOn: entry.lastModifiedOn,
    ExecutionProperty: { MaxConcurrentRuns: job.maxConcurrentRuns },
    Command: { Name: job.commandName, ScriptLocation: job.scriptLocation, PythonVersion: job.pythonVersion },
    DefaultArguments: job.defaultArguments,
    MaxRetries: 0,
    Timeout: job.timeoutMinutes,
    ...(job.maxCapacity !== undefined ? { MaxCapacity: job.maxCapacity } : {}),
    ...(job.workerType !== undefined ? { WorkerType: job.workerType, NumberOfWorkers: job.numberOfWorkers } : {}),
    ...(job.glueVersion !== undefined ? { GlueVersion: job.glueVersion } : {}),
  };
}

/** The operations, bound to the service at call time (the operation list is read without it, for the docs). */
export function glueJobOperations(glue: GlueService | undefined): Record<string, Operation> {
  const service = (): GlueService => {
    if (!glue) throw new AwsServiceError("InternalFailure", "The sandbox was started without Glue's jobs", 500);
    return glue;
  };
  return {
    CreateJob: (caller, b) => {
      const name = jobName(b.Name, "Name");
      return service().createJob(caller, jobDefinition(name, b));
    },
    GetJob: async (caller, b) => ({ Job: jobDescription(await service().getJob(caller, jobName(b.JobName, "JobName"))) }),
    GetJobs: async (caller, b) => {
      const page = await service().getJobs(caller, jobsPage(b), optionalString(b, "NextToken"));
      return { ...page, Jobs: page.Jobs.map(jobDescription) };
    },
    ListJobs: (caller, b) => service().listJobs(caller, { maxResults: jobsPage(b), nextToken: optionalString(b, "NextToken"), tags: optionalStringMap(b, "Tags") }),
    UpdateJob: (caller, b) => {
      const name = jobName(b.JobName, "JobName");
      return service().updateJob(caller, jobDefinition(name, requiredStructure(b, "JobUpdate", GLUE_VALIDATION)));
    },
    DeleteJob: (caller, b) => service().deleteJob(caller, jobName(b.JobName, "JobName")),
  };
}
