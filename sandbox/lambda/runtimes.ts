/**
 * Which Lambda runtimes CreateFunction takes. The enum is botocore's lambda 2015-03-31 shape Runtime; the
 * ones AWS no longer lets anyone create functions with answer InvalidParameterValueException "The runtime
 * parameter of <r> is no longer supported for creating or updating AWS Lambda functions..." (Lambda
 * developer guide, "Runtime deprecation policy"); of the rest, the sandbox runs the Node.js and Python ones.
 */
import { AwsServiceError } from "../aws-error";
import { SANDBOX_RUNTIMES } from "../model-view";

/** botocore lambda 2015-03-31, shape Runtime (enum). */
export const MODEL_RUNTIMES: readonly string[] = [
  "nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x", "java8", "java8.al2", "java11",
  "python2.7", "python3.6", "python3.7", "python3.8", "python3.9", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6",
  "dotnet8", "nodejs4.3-edge", "go1.x", "ruby2.5", "ruby2.7", "provided", "provided.al2", "nodejs18.x", "python3.10", "java17", "ruby3.2",
  "ruby3.3", "ruby3.4", "python3.11", "nodejs20.x", "provided.al2023", "python3.12", "java21", "python3.13", "nodejs22.x", "nodejs24.x",
  "python3.14", "java25", "dotnet10", "ruby4.0",
];

/** Node.js and Python runtimes past their deprecation's "block function create" date. */
const NO_LONGER_SUPPORTED: readonly string[] = [
  "nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x",
  "python2.7", "python3.6", "python3.7", "python3.8",
];

export function isPythonRuntime(runtime: string): boolean {
  return runtime.startsWith("python");
}

/** The runtime a CreateFunction names, or the error Lambda (or, for a runtime it cannot run, the sandbox) answers. */
export function checkCreateRuntime(runtime: string): void {
  if (!MODEL_RUNTIMES.includes(runtime)) {
    throw new AwsServiceError(
      "ValidationException",
      `1 validation error detected: Value '${runtime.slice(0, 100)}' at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${MODEL_RUNTIMES.join(", ")}]`,
    );
  }
  if (NO_LONGER_SUPPORTED.includes(runtime)) {
    throw new AwsServiceError(
      "InvalidParameterValueException",
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    );
  }
  if (!SANDBOX_RUNTIMES.includes(runtime)) {
    throw new AwsServiceError(
      "InvalidParameterValueException",
      `The runtime parameter of ${runtime} is not supported by the sandbox, which runs ${SANDBOX_RUNTIMES.join(", ")} (Python ones with the machine's python3).`,
    );
  }
}
