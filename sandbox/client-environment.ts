import type { SandboxConnection, SandboxEndpoints } from "./index";

/**
 * The service-specific endpoint variables AWS SDKs and the AWS CLI read: AWS_ENDPOINT_URL_<service id>,
 * the model's serviceId upper-cased with spaces as underscores ("SFN", "CloudWatch Logs" ->
 * CLOUDWATCH_LOGS), per the SDKs' "Service-specific endpoints" reference and botocore's configprovider.
 */
export const ENDPOINT_ENV_NAMES: Readonly<Record<keyof SandboxEndpoints, string>> = {
  sfn: "AWS_ENDPOINT_URL_SFN",
  glue: "AWS_ENDPOINT_URL_GLUE",
  s3: "AWS_ENDPOINT_URL_S3",
  logs: "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
  iam: "AWS_ENDPOINT_URL_IAM",
  lambda: "AWS_ENDPOINT_URL_LAMBDA",
  dynamodb: "AWS_ENDPOINT_URL_DYNAMODB",
  sqs: "AWS_ENDPOINT_URL_SQS",
  sns: "AWS_ENDPOINT_URL_SNS",
};

/**
 * Everything an AWS SDK or the AWS CLI in another process needs to call the sandbox as the operator:
 * endpoints, keys and the region, under both AWS_REGION (SDKs for JavaScript, Java...) and
 * AWS_DEFAULT_REGION (boto3 and the AWS CLI, which stop with NoRegionError without it).
 */
export function clientEnvironment(connection: Pick<SandboxConnection, "endpoints" | "credentials" | "region">): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [service, name] of Object.entries(ENDPOINT_ENV_NAMES)) env[name] = connection.endpoints[service as keyof SandboxEndpoints];
  env.AWS_ACCESS_KEY_ID = connection.credentials.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = connection.credentials.secretAccessKey;
  env.AWS_REGION = connection.region;
  env.AWS_DEFAULT_REGION = connection.region;
  return env;
}
