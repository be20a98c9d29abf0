"""Raw ASL through the AWS APIs with boto3: an IAM role made with the IAM API (botocore iam 2010-05-08), a state
machine created from ASL text (botocore stepfunctions 2016-11-23, CreateStateMachine), started and run on that
role, IAM enforced on what the role's policies allow. Each check names the model or API reference rule."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from conformance_env import OUTPUTS, client, error_code, wait_for_execution

TRUST = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}],
})


def invoke_definition(function_arn):
    """A JSONPath machine with one lambda:invoke Task on the function (optimized integration, Payload.$)."""
    return json.dumps({
        "StartAt": "CheckFile",
        "States": {
            "CheckFile": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": function_arn, "Payload.$": "$"},
                "OutputPath": "$.Payload",
                "End": True,
            }
        },
    })


class CreateStateMachineConformance(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.iam = client("iam")
        cls.sfn = client("stepfunctions")
        account = cls.sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"].split(":")[4]
        region = cls.sfn.meta.region_name
        cls.function_arn = f"arn:aws:lambda:{region}:{account}:function:{OUTPUTS['functionNames']['checkFile']}"

    def create(self, **request):
        """CreateStateMachine, deleted again after the check: the other checks list the program's machines only."""
        created = self.sfn.create_state_machine(**request)
        self.addCleanup(self.sfn.delete_state_machine, stateMachineArn=created["stateMachineArn"])
        return created

    def role(self, name, actions):
        """CreateRole, then PutRolePolicy allowing `actions` on the check-file function (none: no policy)."""
        role = self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)["Role"]
        if actions:
            document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": self.function_arn}]}
            self.iam.put_role_policy(RoleName=name, PolicyName="invoke-check-file", PolicyDocument=json.dumps(document))
        return role

    def test_role_is_created_and_read_back(self):
        """IAM CreateRole answers Role {RoleName, Arn arn:aws:iam::<account>:role/<path><name>, RoleId AROA...};
        GetRole returns it with the trust policy (botocore decodes the URL-encoded document); a second CreateRole of
        the name is EntityAlreadyExists; GetRole of an unknown name is NoSuchEntity."""
        created = self.iam.create_role(RoleName="boto3-readback", Path="/lab/", AssumeRolePolicyDocument=TRUST)["Role"]
        self.assertRegex(created["Arn"], r"^arn:aws:iam::\d{12}:role/lab/boto3-readback$")
        self.assertTrue(created["RoleId"].startswith("AROA"))
        got = self.iam.get_role(RoleName="boto3-readback")["Role"]
        self.assertEqual(got["Arn"], created["Arn"])
        self.assertEqual(got["AssumeRolePolicyDocument"], json.loads(TRUST))
        self.assertEqual(error_code(self.iam.create_role, RoleName="boto3-readback", AssumeRolePolicyDocument=TRUST), "EntityAlreadyExists")
        self.assertEqual(error_code(self.iam.get_role, RoleName="no-such-role"), "NoSuchEntity")

    def test_iam_signature_errors(self):
        """AWS API reference, Common Errors, as the query protocol answers them: an access key the service never
        issued is InvalidClientTokenId (403); a signature made with another secret is SignatureDoesNotMatch (403)."""
        import boto3

        stranger = boto3.client("iam", aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="x" * 40)
        self.assertEqual(error_code(stranger.get_role, RoleName="any"), "InvalidClientTokenId")
        wrong_secret = boto3.client("iam", aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key="y" * 40)
        self.assertEqual(error_code(wrong_secret.get_role, RoleName="any"), "SignatureDoesNotMatch")

    def test_delete_role_needs_its_policies_gone(self):
        """DeleteRole: a role with an inline policy is DeleteConflict; without policies it is deleted (then NoSuchEntity)."""
        self.role("boto3-deleted", ["lambda:InvokeFunction"])
        self.assertEqual(error_code(self.iam.delete_role, RoleName="boto3-deleted"), "DeleteConflict")
        self.iam.create_role(RoleName="boto3-bare", AssumeRolePolicyDocument=TRUST)
        self.iam.delete_role(RoleName="boto3-bare")
        self.assertEqual(error_code(self.iam.get_role, RoleName="boto3-bare"), "NoSuchEntity")

    def test_machine_from_raw_asl_runs_on_its_role(self):
        """CreateStateMachine from ASL text on a role allowed lambda:InvokeFunction on check-file: the execution
        invokes it as the role and SUCCEEDS; DescribeStateMachine returns the definition as given."""
        role = self.role("boto3-may-invoke", ["lambda:InvokeFunction"])
        definition = invoke_definition(self.function_arn)
        created = self.create(name="boto3-raw-asl", definition=definition, roleArn=role["Arn"])
        self.assertTrue(created["stateMachineArn"].endswith(":stateMachine:boto3-raw-asl"))
        described = self.sfn.describe_state_machine(stateMachineArn=created["stateMachineArn"])
        self.assertEqual((described["definition"], described["roleArn"], described["type"]), (definition, role["Arn"], "STANDARD"))
        started = self.sfn.start_execution(stateMachineArn=created["stateMachineArn"], input="{}")
        finished = wait_for_execution(self.sfn, started["executionArn"])
        self.assertEqual(finished["status"], "SUCCEEDED", finished.get("cause"))

    def test_machine_whose_role_may_not_invoke_fails_at_that_state(self):
        """A role without lambda:InvokeFunction: the Task fails with Lambda.AWSLambdaException (Lambda's
        AccessDeniedException is not among its modelled errors), the cause naming the action, in state CheckFile."""
        role = self.role("boto3-may-not-invoke", [])
        created = self.create(name="boto3-denied", definition=invoke_definition(self.function_arn), roleArn=role["Arn"])
        started = self.sfn.start_execution(stateMachineArn=created["stateMachineArn"], input="{}")
        finished = wait_for_execution(self.sfn, started["executionArn"])
        self.assertEqual(finished["status"], "FAILED")
        self.assertEqual(finished["error"], "Lambda.AWSLambdaException")
        self.assertIn("lambda:InvokeFunction", finished["cause"])
        events = self.sfn.get_execution_history(executionArn=started["executionArn"])["events"]
        failed = [e for e in events if e["type"] == "TaskFailed"]
        entered = [e["stateEnteredEventDetails"]["name"] for e in events if e["type"] == "TaskStateEntered"]
        self.assertEqual(entered, ["CheckFile"])
        self.assertEqual(len(failed), 1)

    def test_policy_added_later_is_enforced(self):
        """CreatePolicy + AttachRolePolicy on a role that was denied: the next execution is allowed (IAM changes
        apply to later requests)."""
        role = self.role("boto3-attached-later", [])
        arn = self.create(name="boto3-attached-later", definition=invoke_definition(self.function_arn), roleArn=role["Arn"])["stateMachineArn"]
        first = wait_for_execution(self.sfn, self.sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"])
        self.assertEqual(first["status"], "FAILED")
        document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": self.function_arn}]}
        policy = self.iam.create_policy(PolicyName="boto3-invoke-check-file", PolicyDocument=json.dumps(document))["Policy"]
        self.assertRegex(policy["Arn"], r"^arn:aws:iam::\d{12}:policy/boto3-invoke-check-file$")
        self.iam.attach_role_policy(RoleName="boto3-attached-later", PolicyArn=policy["Arn"])
        second = wait_for_execution(self.sfn, self.sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"])
        self.assertEqual(second["status"], "SUCCEEDED", second.get("cause"))

    def test_create_state_machine_validation(self):
        """CreateStateMachine errors (model): InvalidName for a forbidden character, ValidationException for a name
        over 80 (shape Name), InvalidArn for a roleArn that is no role ARN, InvalidDefinition for ASL that does not
        validate, StateMachineAlreadyExists for the same name with another definition, InvalidLoggingConfiguration
        for a level other than OFF without destination, AccessDeniedException for a role Step Functions cannot assume."""
        role = self.role("boto3-validation", ["lambda:InvokeFunction"])["Arn"]
        good = invoke_definition(self.function_arn)
        cases = [
            (dict(name="a b", definition=good, roleArn=role), "InvalidName"),
            (dict(name="n" * 81, definition=good, roleArn=role), "ValidationException"),
            (dict(name="bad-role", definition=good, roleArn="arn:aws:iam::123456789012:user/x"), "InvalidArn"),
            (dict(name="bad-asl", definition='{"StartAt":"Missing","States":{}}', roleArn=role), "InvalidDefinition"),
            (dict(name="bad-logging", definition=good, roleArn=role, loggingConfiguration={"level": "ALL"}), "InvalidLoggingConfiguration"),
        ]
        lambda_only = self.iam.create_role(RoleName="boto3-trusts-lambda", AssumeRolePolicyDocument=TRUST.replace("states.amazonaws.com", "lambda.amazonaws.com"))["Role"]["Arn"]
        # Step Functions assumes the role: a role that does not exist, or does not trust states.amazonaws.com, is
        # AccessDeniedException ("Neither the global service principal states.amazonaws.com, nor the regional one...").
        cases += [
            (dict(name="no-role", definition=good, roleArn=role.replace("boto3-validation", "never-created")), "AccessDeniedException"),
            (dict(name="lambda-role", definition=good, roleArn=lambda_only), "AccessDeniedException"),
        ]
        for request, code in cases:
            with self.subTest(code=code, name=request["name"][:20]):
                self.assertEqual(error_code(self.sfn.create_state_machine, **request), code)
        self.create(name="boto3-once", definition=good, roleArn=role)
        # "CreateStateMachine is an idempotent API": the same request again answers the same machine.
        self.sfn.create_state_machine(name="boto3-once", definition=good, roleArn=role)
        other = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})
        self.assertEqual(error_code(self.sfn.create_state_machine, name="boto3-once", definition=other, roleArn=role), "StateMachineAlreadyExists")

    def test_update_tag_and_delete(self):
        """UpdateStateMachine replaces the definition (DescribeStateMachine shows it); TagResource/UntagResource
        change ListTagsForResource; DeleteStateMachine removes it: DescribeStateMachine is StateMachineDoesNotExist."""
        role = self.role("boto3-lifecycle", [])["Arn"]
        arn = self.sfn.create_state_machine(
            name="boto3-lifecycle", definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}), roleArn=role,
            tags=[{"key": "team", "value": "etl"}],
        )["stateMachineArn"]
        updated = json.dumps({"StartAt": "B", "States": {"B": {"Type": "Succeed"}}})
        self.sfn.update_state_machine(stateMachineArn=arn, definition=updated)
        self.assertEqual(self.sfn.describe_state_machine(stateMachineArn=arn)["definition"], updated)
        self.assertEqual(error_code(self.sfn.update_state_machine, stateMachineArn=arn), "MissingRequiredParameter")
        self.sfn.tag_resource(resourceArn=arn, tags=[{"key": "stage", "value": "dev"}])
        self.sfn.untag_resource(resourceArn=arn, tagKeys=["team"])
        self.assertEqual(self.sfn.list_tags_for_resource(resourceArn=arn)["tags"], [{"key": "stage", "value": "dev"}])
        self.sfn.delete_state_machine(stateMachineArn=arn)
        self.assertEqual(error_code(self.sfn.describe_state_machine, stateMachineArn=arn), "StateMachineDoesNotExist")

    def test_deleting_a_machine_ends_its_running_executions(self):
        """DeleteStateMachine API reference: "the state machine's executions are terminated"; they fail with
        States.Runtime "State machine <name> has been deleted." (AWS re:Post, state machine stuck deleting)."""
        role = self.role("boto3-deleted-while-running", [])["Arn"]
        waiting = json.dumps({"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 3600, "End": True}}})
        arn = self.sfn.create_state_machine(name="boto3-deleted-while-running", definition=waiting, roleArn=role)["stateMachineArn"]
        execution = self.sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
        self.sfn.delete_state_machine(stateMachineArn=arn)
        ended = wait_for_execution(self.sfn, execution, timeout=10)
        self.assertEqual((ended["status"], ended.get("error"), ended.get("cause")), ("FAILED", "States.Runtime", "State machine boto3-deleted-while-running has been deleted."))
        # A new machine of the same name starts afresh: the deleted one's executions are not its executions.
        again = self.create(name="boto3-deleted-while-running", definition=waiting, roleArn=role)["stateMachineArn"]
        self.assertEqual(self.sfn.list_executions(stateMachineArn=again)["executions"], [])

    def test_validate_state_machine_definition(self):
        """ValidateStateMachineDefinition: result OK with no ERROR diagnostics for a valid machine; FAIL with an
        ERROR diagnostic {severity, code, message, location} for a Next naming no state."""
        ok = self.sfn.validate_state_machine_definition(definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}))
        self.assertEqual((ok["result"], ok["diagnostics"]), ("OK", []))
        bad = self.sfn.validate_state_machine_definition(
            definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}})
        )
        self.assertEqual(bad["result"], "FAIL")
        self.assertTrue(bad["diagnostics"])
        self.assertEqual({d["severity"] for d in bad["diagnostics"]}, {"ERROR"})
        self.assertTrue(all(d["code"] and d["message"] for d in bad["diagnostics"]))

    @unittest.skipIf(shutil.which("aws") is None, "the AWS CLI is not on PATH: create-state-machine through the CLI not checked")
    def test_aws_cli_create_state_machine_from_file(self):
        """`aws stepfunctions create-state-machine --definition file://...` then start-execution: SUCCEEDED."""
        role = self.role("cli-may-invoke", ["lambda:InvokeFunction"])["Arn"]
        with tempfile.TemporaryDirectory() as folder:
            asl = os.path.join(folder, "machine.asl.json")
            with open(asl, "w") as f:
                f.write(invoke_definition(self.function_arn))
            run = lambda *args: json.loads(subprocess.run(["aws", *args, "--output", "json"], check=True, capture_output=True, text=True).stdout)
            created = run("stepfunctions", "create-state-machine", "--name", "cli-raw-asl", "--role-arn", role, "--definition", f"file://{asl}")
            self.addCleanup(self.sfn.delete_state_machine, stateMachineArn=created["stateMachineArn"])
            started = run("stepfunctions", "start-execution", "--state-machine-arn", created["stateMachineArn"], "--input", "{}")
        self.assertEqual(wait_for_execution(self.sfn, started["executionArn"])["status"], "SUCCEEDED")


if __name__ == "__main__":
    unittest.main()
