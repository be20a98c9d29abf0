import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { glueProtocol, stepFunctionsProtocol } from "../endpoints/operations";
import { implementedOperations, queryOperations, renderOperationsTable, restOperations, withOperationsTable } from "./operations-table";

describe("README operations table", () => {
  it("is up to date with the operation tables in code (npm run docs:operations regenerates it)", () => {
    const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    assert.equal(withOperationsTable(readme), readme, "sandbox/README.md is stale: run npm run docs:operations");
  });

  it("lists every operation each protocol routes, under the service's target prefix and endpoint variable", () => {
    const services = implementedOperations();
    assert.deepEqual(
      services.map((s) => [s.name, s.targetPrefix, s.envName]),
      [
        ["Step Functions", "AWSStepFunctions", "AWS_ENDPOINT_URL_SFN"],
        ["Glue", "AWSGlue", "AWS_ENDPOINT_URL_GLUE"],
        ["CloudWatch Logs", "Logs_20140328", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"],
        // botocore's events model: targetPrefix AWSEvents, serviceId EventBridge.
        ["EventBridge", "AWSEvents", "AWS_ENDPOINT_URL_EVENTBRIDGE"],
        ["DynamoDB", "DynamoDB_20120810", "AWS_ENDPOINT_URL_DYNAMODB"],
        ["SQS", "AmazonSQS", "AWS_ENDPOINT_URL_SQS"],
      ],
    );
    assert.deepEqual(services[0].operations, Object.keys(stepFunctionsProtocol({} as never).operations));
    assert.deepEqual(services[1].operations, Object.keys(glueProtocol({} as never, {} as never, {} as never).operations));
    assert.deepEqual(services[2].operations, ["DescribeLogGroups", "DescribeLogStreams", "GetLogEvents", "FilterLogEvents"]);
    assert.deepEqual(services[3].operations, ["PutRule", "DescribeRule", "ListRules", "DeleteRule", "PutTargets", "RemoveTargets", "ListTargetsByRule", "PutEvents", "TestEventPattern"]);
    assert.match(renderOperationsTable(), /\| Step Functions \| `AWSStepFunctions\.\*` \(x-amz-json-1\.0\) \| `AWS_ENDPOINT_URL_SFN` \| StartExecution, .*ListTagsForResource, CreateStateMachine, .*UntagResource \|/);
  });

  it("lists IAM's and SNS's query-protocol actions under AWS_ENDPOINT_URL_IAM and AWS_ENDPOINT_URL_SNS", () => {
    assert.deepEqual(queryOperations(), [
      {
        name: "IAM",
        envName: "AWS_ENDPOINT_URL_IAM",
        operations: ["CreateRole", "GetRole", "DeleteRole", "PutRolePolicy", "AttachRolePolicy", "CreatePolicy"],
      },
      {
        name: "SNS",
        envName: "AWS_ENDPOINT_URL_SNS",
        operations: ["CreateTopic", "ListTopics", "DeleteTopic", "Subscribe", "ListSubscriptionsByTopic", "Unsubscribe", "Publish"],
      },
    ]);
    assert.match(renderOperationsTable(), /\| IAM \| none: `Action=` .*\| `AWS_ENDPOINT_URL_IAM` \| CreateRole, GetRole, DeleteRole, PutRolePolicy, AttachRolePolicy, CreatePolicy \|/);
  });

  it("lists Lambda's REST-JSON operations under AWS_ENDPOINT_URL_LAMBDA", () => {
    assert.deepEqual(restOperations(), { name: "Lambda", envName: "AWS_ENDPOINT_URL_LAMBDA", operations: ["CreateFunction", "GetFunction", "DeleteFunction", "Invoke"] });
    assert.match(renderOperationsTable(), /\| Lambda \| none: method and path .*\| `AWS_ENDPOINT_URL_LAMBDA` \| CreateFunction, GetFunction, DeleteFunction, Invoke \|/);
  });

  it("refuses a README without its markers rather than appending somewhere", () => {
    assert.throws(() => withOperationsTable("# no markers\n"), /has no "<!-- operations:begin/);
  });
});
