import * as assert from "node:assert/strict";
import { AccessDeniedError, AwsServiceError } from "../aws-error";
import { roles } from "../model-view";
import { ACCOUNT, arn, fixtureModel } from "../testing/fixture-model";
import { Authorizer } from "./authorizer";
import { iamProtocol } from "./iam-protocol";
import { IamService } from "./iam-service";
import { ModelPolicyStore } from "./policy-store";
import { PrincipalDirectory } from "./principals";

/** IAM API reference / botocore iam 2010-05-08: what each operation answers and refuses. */
describe("sandbox IAM API (roles and policies at run time)", () => {
  const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" }] });
  const FUNCTION = arn.fn("lab-check-file");
  const invoke = (resource: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: resource }] });

  function setUp() {
    const model = fixtureModel();
    const store = new ModelPolicyStore(model);
    const authorizer = new Authorizer(ACCOUNT, store);
    store.onChange(() => authorizer.forgetDecisions());
    const principals = new PrincipalDirectory(ACCOUNT);
    const programRoles = roles(model).map((r) => ({ roleName: r.name, roleArn: r.arn, assumeRolePolicy: r.assumeRolePolicy }));
    const iam = new IamService(ACCOUNT, programRoles, store, authorizer);
    return { iam, authorizer, principals, operator: principals.operator().principal };
  }

  const code = async (call: Promise<unknown>): Promise<string> => {
    try {
      await call;
    } catch (error) {
      if (error instanceof AwsServiceError) return error.code;
      throw error;
    }
    return "none";
  };

  it("a created role's inline policy is what the authorizer evaluates, and a change applies to the next decision", async () => {
    const { iam, authorizer, principals, operator } = setUp();
    const role = await iam.createRole(operator, { roleName: "made-at-run-time", assumeRolePolicyDocument: TRUST });
    assert.equal(role.arn, `arn:aws:iam::${ACCOUNT}:role/made-at-run-time`);
    const session = principals.roleSession(role.arn, "exec").principal;
    const request = { principal: session, action: "lambda:InvokeFunction", resourceArn: FUNCTION };
    await assert.rejects(authorizer.authorize(request), AccessDeniedError);
    await iam.putRolePolicy(operator, { roleName: role.roleName, policyName: "invoke", policyDocument: invoke(FUNCTION) });
    await authorizer.authorize(request);
    // PutRolePolicy with the same name replaces the policy: now it allows another function only.
    await iam.putRolePolicy(operator, { roleName: role.roleName, policyName: "invoke", policyDocument: invoke(arn.fn("other")) });
    await assert.rejects(authorizer.authorize(request), AccessDeniedError);
  });

  it("an attached customer managed policy applies too; AWS managed ARNs are NoSuchEntity naming CreatePolicy", async () => {
    const { iam, authorizer, principals, operator } = setUp();
    const role = await iam.createRole(operator, { roleName: "attached", assumeRolePolicyDocument: TRUST, path: "/lab/" });
    assert.equal(role.arn, `arn:aws:iam::${ACCOUNT}:role/lab/attached`);
    const policy = await iam.createPolicy(operator, { policyName: "invoke-check-file", policyDocument: invoke(FUNCTION) });
    assert.equal(policy.arn, `arn:aws:iam::${ACCOUNT}:policy/invoke-check-file`);
    await iam.attachRolePolicy(operator, { roleName: "attached", policyArn: policy.arn });
    assert.equal(policy.attachmentCount, 1);
    await authorizer.authorize({ principal: principals.roleSession(role.arn, "s").principal, action: "lambda:InvokeFunction", resourceArn: FUNCTION });
    await assert.rejects(iam.attachRolePolicy(operator, { roleName: "attached", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }), /NoSuchEntity|CreatePolicy/);
  });

  it("refuses as the model names it: EntityAlreadyExists (case-insensitive names), NoSuchEntity, DeleteConflict, MalformedPolicyDocument, ValidationError", async () => {
    const { iam, operator } = setUp();
    await iam.createRole(operator, { roleName: "Twice", assumeRolePolicyDocument: TRUST });
    assert.equal(await code(iam.createRole(operator, { roleName: "twice", assumeRolePolicyDocument: TRUST })), "EntityAlreadyExists");
    assert.equal(await code(iam.getRole(operator, "absent")), "NoSuchEntity");
    await iam.putRolePolicy(operator, { roleName: "Twice", policyName: "p", policyDocument: invoke(FUNCTION) });
    assert.equal(await code(iam.deleteRole(operator, "Twice")), "DeleteConflict");
    assert.equal(await code(iam.putRolePolicy(operator, { roleName: "Twice", policyName: "p", policyDocument: "{not json" })), "MalformedPolicyDocument");
    assert.equal(await code(iam.createRole(operator, { roleName: "has space", assumeRolePolicyDocument: TRUST })), "ValidationError");
    assert.equal(await code(iam.createRole(operator, { roleName: "r".repeat(65), assumeRolePolicyDocument: TRUST })), "ValidationError");
    assert.equal(await code(iam.createRole(operator, { roleName: "bad-path", assumeRolePolicyDocument: TRUST, path: "lab" })), "ValidationError");
    await iam.createRole(operator, { roleName: "bare", assumeRolePolicyDocument: TRUST });
    await iam.deleteRole(operator, "bare");
    assert.equal(await code(iam.getRole(operator, "bare")), "NoSuchEntity");
  });

  it("a service may assume a role only when it exists and its trust policy allows the service sts:AssumeRole", async () => {
    const { iam, operator } = setUp();
    const forStates = await iam.createRole(operator, { roleName: "for-states", assumeRolePolicyDocument: TRUST });
    const lambdaTrust = TRUST.replace("states.amazonaws.com", "lambda.amazonaws.com");
    const forLambda = await iam.createRole(operator, { roleName: "for-lambda", assumeRolePolicyDocument: lambdaTrust });
    assert.equal(iam.serviceMayAssume(forStates.arn, "states.amazonaws.com"), true);
    assert.equal(iam.serviceMayAssume(forLambda.arn, "states.amazonaws.com"), false);
    assert.equal(iam.serviceMayAssume(arn.role("never-created"), "states.amazonaws.com"), false);
    // The program's roles are judged by the trust policy the program gave them.
    assert.equal(iam.serviceMayAssume(arn.role("lab-run-job-role"), "states.amazonaws.com"), true);
    assert.equal(iam.serviceMayAssume(arn.role("lab-glue-role"), "states.amazonaws.com"), false);
    assert.deepEqual(JSON.parse((await iam.getRole(operator, "lab-glue-role")).assumeRolePolicyDocument ?? "null").Statement[0].Principal, { Service: "glue.amazonaws.com" });
  });

  it("CreateRole answers the Role shape in XML, and refuses a permissions boundary or tags it would not enforce", async () => {
    const { iam, operator } = setUp();
    const { CreateRole } = iamProtocol(iam).operations;
    const xml = await CreateRole(operator, new Map([["RoleName", "xml-role"], ["AssumeRolePolicyDocument", TRUST]]));
    assert.match(xml ?? "", new RegExp(`^<Role><Path>/</Path><RoleName>xml-role</RoleName><RoleId>AROA[A-Z2-7]{17}</RoleId><Arn>arn:aws:iam::${ACCOUNT}:role/xml-role</Arn><CreateDate>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ</CreateDate><AssumeRolePolicyDocument>%7B`));
    const boundary = new Map([["RoleName", "bounded"], ["AssumeRolePolicyDocument", TRUST], ["PermissionsBoundary", `arn:aws:iam::${ACCOUNT}:policy/b`]]);
    assert.equal(await code(CreateRole(operator, boundary)), "InvalidInput");
    const tagged = new Map([["RoleName", "tagged"], ["AssumeRolePolicyDocument", TRUST], ["Tags.member.1.Key", "team"], ["Tags.member.1.Value", "etl"]]);
    assert.equal(await code(CreateRole(operator, tagged)), "InvalidInput");
    assert.equal(await code(iam.getRole(operator, "tagged")), "NoSuchEntity");
  });

  it("the program's roles are readable but not changed through the API (UnmodifiableEntity)", async () => {
    const { iam, operator } = setUp();
    assert.equal((await iam.getRole(operator, "lab-run-job-role")).arn, arn.role("lab-run-job-role"));
    assert.equal(await code(iam.putRolePolicy(operator, { roleName: "lab-run-job-role", policyName: "p", policyDocument: invoke("*") })), "UnmodifiableEntity");
    assert.equal(await code(iam.deleteRole(operator, "lab-run-job-role")), "UnmodifiableEntity");
  });
});
