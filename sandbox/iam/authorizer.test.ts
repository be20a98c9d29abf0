import * as assert from "node:assert/strict";
import { AccessDeniedError } from "../aws-error";
import { ACCOUNT, arn, BUCKET, fixtureModel, JOB_NAME } from "../testing/fixture-model";
import { Authorizer } from "./authorizer";
import { ModelPolicyStore, principalPolicies } from "./policy-store";
import { PrincipalDirectory } from "./principals";

describe("sandbox IAM authorizer", () => {
  const model = fixtureModel();
  const authorizer = new Authorizer(ACCOUNT, new ModelPolicyStore(model));
  const principals = new PrincipalDirectory(ACCOUNT);
  const runJobRole = principals.roleSession(arn.role("lab-run-job-role"), "exec-1").principal;
  const requestResponseRole = principals.roleSession(arn.role("lab-request-response-role"), "exec-2").principal;
  const glueRole = principals.roleSession(arn.role("lab-glue-role"), "GlueJobRunnerSession").principal;
  const tls = { "aws:SecureTransport": "true" };

  it("allows what a role's identity policy grants", async () => {
    await authorizer.authorize({ principal: runJobRole, action: "glue:GetJobRun", resourceArn: arn.job });
    await authorizer.authorize({ principal: runJobRole, action: "lambda:InvokeFunction", resourceArn: `${arn.fn("lab-check-file")}:live` });
  });

  it("denies what no statement grants, in AWS's words", async () => {
    await assert.rejects(
      authorizer.authorize({ principal: requestResponseRole, action: "glue:GetJobRun", resourceArn: arn.job }),
      (error: unknown) => {
        assert.ok(error instanceof AccessDeniedError);
        assert.equal(error.code, "AccessDeniedException");
        assert.equal(
          error.message,
          `User: arn:aws:sts::${ACCOUNT}:assumed-role/lab-request-response-role/exec-2 is not authorized to perform: ` +
            `glue:GetJobRun on resource: arn:aws:glue:us-east-1:${ACCOUNT}:job/${JOB_NAME} ` +
            `because no identity-based policy allows the glue:GetJobRun action`,
        );
        return true;
      },
    );
  });

  it("applies the bucket policy: TLS-only denies a request made without secure transport", async () => {
    const object = `arn:aws:s3:::${BUCKET}/output/jr_1/data.csv`;
    await authorizer.authorize({ principal: glueRole, action: "s3:PutObject", resourceArn: object, context: tls });
    const decision = await authorizer.decide({
      principal: glueRole,
      action: "s3:PutObject",
      resourceArn: object,
      context: { "aws:SecureTransport": "false" },
    });
    assert.equal(decision.allowed, false);
    assert.ok(!decision.allowed && decision.explicit && decision.deniedBy === "resource");
    assert.match(!decision.allowed ? decision.message : "", /with an explicit deny in a resource-based policy$/);
  });

  it("lets the operator do anything the resource policies allow", async () => {
    const operator = principals.operator().principal;
    await authorizer.authorize({ principal: operator, action: "states:SendTaskSuccess", resourceArn: "*" });
    await authorizer.authorize({ principal: operator, action: "s3:GetObject", resourceArn: `${arn.bucket}/x`, context: tls });
    const insecure = await authorizer.decide({
      principal: operator,
      action: "s3:GetObject",
      resourceArn: `${arn.bucket}/x`,
      context: { "aws:SecureTransport": "false" },
    });
    assert.equal(insecure.allowed, false);
  });

  it("issues stable, distinct keys per principal and recognizes them", () => {
    const a = principals.roleSession(arn.role("lab-glue-role"), "GlueJobRunnerSession");
    const b = principals.roleSession(arn.role("lab-run-job-role"), "exec-1");
    assert.match(a.credentials.accessKeyId, /^AKIA[0-9A-F]{16}$/);
    assert.notEqual(a.credentials.accessKeyId, b.credentials.accessKeyId);
    assert.equal(principals.byAccessKeyId(a.credentials.accessKeyId)?.arn, a.principal.arn);
    assert.equal(principals.byAccessKeyId("AKIAUNKNOWN000000000"), undefined);
    assert.equal(principals.roleSession(arn.role("lab-glue-role"), "GlueJobRunnerSession").credentials.secretAccessKey, a.credentials.secretAccessKey);
    assert.equal(a.credentials.secretAccessKey.length, 40);
  });

  it("issues random keys per directory: another sandbox's keys, or the same principal's, are not derivable", () => {
    const role = arn.role("lab-glue-role");
    const first = new PrincipalDirectory(ACCOUNT);
    const second = new PrincipalDirectory(ACCOUNT);
    assert.notEqual(first.operator().credentials.accessKeyId, second.operator().credentials.accessKeyId);
    assert.notEqual(first.operator().credentials.secretAccessKey, second.operator().credentials.secretAccessKey);
    assert.notEqual(first.roleSession(role, "s").credentials.secretAccessKey, second.roleSession(role, "s").credentials.secretAccessKey);
    assert.equal(second.identityOf(first.operator().credentials.accessKeyId), undefined);
  });

  it("lists each role with the policies attached to it", () => {
    const listed = principalPolicies(model);
    const glue = listed.find((p) => p.roleName === "lab-glue-role");
    assert.equal(glue?.roleArn, arn.role("lab-glue-role"));
    assert.deepEqual(glue?.policies.map((p) => p.name), ["glue-data-access"]);
    assert.equal(listed.length, 6);
  });
});
