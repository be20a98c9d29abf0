"""Raw ASL end to end with boto3: a role (IAM API), functions from zips (Lambda API, botocore lambda 2015-03-31),
a Glue job from a script in S3 (Glue API, botocore glue 2017-03-31), state machines from ASL text (Step Functions
API), executions run to each end state, IAM enforced on the role."""
import base64
import hashlib
import json
import unittest

import boto3
from botocore.config import Config

from raw_asl_env import GLUE_SCRIPT, NODE_APP, PYTHON_APP, client, error_of, glue_job_machine, invoke_machine, trust, wait_for_execution, zip_of


class RawAslWithBoto3(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.iam, cls.lam, cls.sfn = client("iam"), client("lambda"), client("stepfunctions")
        cls.fn_role = cls.iam.create_role(RoleName="b3-function-role", AssumeRolePolicyDocument=trust("lambda.amazonaws.com"))["Role"]["Arn"]
        cls.python_zip = zip_of({"app.py": PYTHON_APP})
        cls.python_fn = cls.lam.create_function(
            FunctionName="b3-greeter", Runtime="python3.12", Role=cls.fn_role, Handler="app.handler", Code={"ZipFile": cls.python_zip}, Timeout=30,
        )
        cls.node_fn = cls.lam.create_function(
            FunctionName="b3-orders", Runtime="nodejs22.x", Role=cls.fn_role, Handler="index.handler", Code={"ZipFile": zip_of({"index.js": NODE_APP})},
        )
        allowed = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction",
                   "Resource": [cls.python_fn["FunctionArn"], cls.node_fn["FunctionArn"]]}]}
        cls.may_invoke = cls.iam.create_role(RoleName="b3-may-invoke", AssumeRolePolicyDocument=trust("states.amazonaws.com"))["Role"]["Arn"]
        cls.iam.put_role_policy(RoleName="b3-may-invoke", PolicyName="invoke", PolicyDocument=json.dumps(allowed))
        cls.may_not_invoke = cls.iam.create_role(RoleName="b3-may-not-invoke", AssumeRolePolicyDocument=trust("states.amazonaws.com"))["Role"]["Arn"]

    def run_machine(self, name, function_arn, role, execution_input):
        arn = self.sfn.create_state_machine(name=name, definition=invoke_machine(function_arn), roleArn=role)["stateMachineArn"]
        self.addCleanup(self.sfn.delete_state_machine, stateMachineArn=arn)
        started = self.sfn.start_execution(stateMachineArn=arn, input=json.dumps(execution_input))
        return wait_for_execution(self.sfn, started["executionArn"])

    def test_create_function_answers_its_configuration(self):
        """CreateFunction answers FunctionConfiguration: the ARN arn:aws:lambda:<region>:<account>:function:<name>,
        CodeSha256 the base64 SHA-256 of the zip and CodeSize its bytes, State Active; GetFunction the same."""
        created = self.python_fn
        self.assertRegex(created["FunctionArn"], r"^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:b3-greeter$")
        self.assertEqual(created["CodeSha256"], base64.b64encode(hashlib.sha256(self.python_zip).digest()).decode())
        self.assertEqual((created["CodeSize"], created["Runtime"], created["Handler"], created["Timeout"], created["State"]),
                         (len(self.python_zip), "python3.12", "app.handler", 30, "Active"))
        # FunctionConfiguration.LastModified: "2019-09-24T18:45:01.000+0000" (API reference, CreateFunction example).
        self.assertRegex(created["LastModified"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$")
        got = self.lam.get_function(FunctionName="b3-greeter")["Configuration"]
        self.assertEqual((got["FunctionArn"], got["Role"], got["CodeSha256"]), (created["FunctionArn"], self.fn_role, created["CodeSha256"]))

    def test_invoke_answers_payload_or_function_error(self):
        """Invoke (RequestResponse): StatusCode 200, the handler's return value as Payload; a raised exception is
        FunctionError Unhandled with Python's error document {errorMessage, errorType, requestId, stackTrace}."""
        ok = self.lam.invoke(FunctionName="b3-greeter", Payload=json.dumps({"name": "Ada"}))
        self.assertEqual(ok["StatusCode"], 200)
        self.assertNotIn("FunctionError", ok)
        body = json.loads(ok["Payload"].read())
        self.assertEqual((body["greeting"], body["function"]), ("hello Ada", "b3-greeter"))
        failed = self.lam.invoke(FunctionName=self.python_fn["FunctionArn"], Payload=json.dumps({"fail": True}))
        self.assertEqual(failed["FunctionError"], "Unhandled")
        error = json.loads(failed["Payload"].read())
        self.assertEqual((error["errorType"], error["errorMessage"]), ("ValueError", "no name given"))
        self.assertIsInstance(error["stackTrace"], list)
        self.assertEqual(self.lam.invoke(FunctionName="b3-greeter", InvocationType="DryRun")["StatusCode"], 204)

    def test_invoke_log_tail_event_and_bad_payload(self):
        """Invoke LogType Tail: LogResult is the invocation's log, base64 (START ... what the handler printed ...
        REPORT); InvocationType Event answers 202; a payload that is not JSON is InvalidRequestContentException."""
        answer = self.lam.invoke(FunctionName="b3-orders", Payload=json.dumps({"amount": 5}), LogType="Tail")
        log = base64.b64decode(answer["LogResult"]).decode()
        self.assertRegex(log, r"^START RequestId: \S+ Version: \$LATEST\n")
        self.assertIn("REPORT RequestId:", log)
        self.assertEqual(json.loads(answer["Payload"].read()), {"accepted": 5})
        self.assertEqual(self.lam.invoke(FunctionName="b3-orders", InvocationType="Event", Payload=b"{}")["StatusCode"], 202)
        self.assertEqual(error_of(self.lam.invoke, FunctionName="b3-orders", Payload=b"{nope")[0], "InvalidRequestContentException")

    def test_created_function_logs_to_its_group(self):
        """A created function logs to Lambda's default group /aws/lambda/<name> (CloudWatch Logs FilterLogEvents)."""
        self.lam.invoke(FunctionName="b3-greeter", Payload=json.dumps({"name": "logs"}))
        events = client("logs").filter_log_events(logGroupName="/aws/lambda/b3-greeter", filterPattern="START")["events"]
        self.assertTrue(events and all(e["message"].startswith("START RequestId:") for e in events))

    def test_function_calls_with_its_role_credentials(self):
        """Lambda gives the function its execution role's session (AWS_ACCESS_KEY_ID...): a call its role does not
        allow is denied naming assumed-role/<role>/<function name>."""
        body = json.loads(self.lam.invoke(FunctionName="b3-greeter", Payload=json.dumps({"name": "x"}))["Payload"].read())
        self.assertIn("assumed-role/b3-function-role/b3-greeter", body["caller"])
        self.assertIn("states:ListStateMachines", body["caller"])

    def test_execution_succeeds(self):
        """A Task lambda:invoke on a role allowed lambda:InvokeFunction: SUCCEEDED, output the function's Payload."""
        ended = self.run_machine("b3-succeeds", self.python_fn["FunctionArn"], self.may_invoke, {"name": "Grace"})
        self.assertEqual(ended["status"], "SUCCEEDED", ended.get("cause"))
        self.assertEqual(json.loads(ended["output"])["greeting"], "hello Grace")

    def test_execution_fails_with_the_function_error(self):
        """A function error fails the Task, and with no Catch the execution, with the error's type as `error` and
        the error document as `cause` (Step Functions developer guide, "Handling errors in Lambda")."""
        ended = self.run_machine("b3-fails", self.node_fn["FunctionArn"], self.may_invoke, {"amount": 250})
        self.assertEqual((ended["status"], ended["error"]), ("FAILED", "OrderRejected"))
        self.assertEqual(json.loads(ended["cause"])["errorMessage"], "amount 250 is over the limit of 100")

    def test_execution_denied_without_invoke_permission(self):
        """The role may not lambda:InvokeFunction: the Task fails with Lambda.AWSLambdaException (Lambda's
        AccessDeniedException is not among its modelled errors) and the cause names the action and the role."""
        ended = self.run_machine("b3-denied", self.node_fn["FunctionArn"], self.may_not_invoke, {"amount": 1})
        self.assertEqual((ended["status"], ended["error"]), ("FAILED", "Lambda.AWSLambdaException"))
        self.assertIn("lambda:InvokeFunction", ended["cause"])
        self.assertIn("b3-may-not-invoke", ended["cause"])

    def test_create_function_refusals(self):
        """CreateFunction errors: a runtime past its deprecation and one the sandbox does not run are
        InvalidParameterValueException; a runtime outside the model's enum ValidationException; a role Lambda cannot
        assume InvalidParameterValueException "The role defined for the function cannot be assumed by Lambda."; a
        second function of a name ResourceConflictException; a file that is no zip InvalidParameterValueException."""
        zipped = {"ZipFile": zip_of({"index.js": NODE_APP})}
        states_role = self.may_not_invoke
        cases = [
            (dict(FunctionName="b3-old", Runtime="nodejs12.x", Role=self.fn_role, Handler="index.handler", Code=zipped), "InvalidParameterValueException", "no longer supported"),
            (dict(FunctionName="b3-java", Runtime="java21", Role=self.fn_role, Handler="a.B::h", Code=zipped), "InvalidParameterValueException", "java21"),
            (dict(FunctionName="b3-cobol", Runtime="cobol1.x", Role=self.fn_role, Handler="index.handler", Code=zipped), "ValidationException", "runtime"),
            (dict(FunctionName="b3-trust", Runtime="nodejs22.x", Role=states_role, Handler="index.handler", Code=zipped), "InvalidParameterValueException", "cannot be assumed by Lambda"),
            (dict(FunctionName="b3-orders", Runtime="nodejs22.x", Role=self.fn_role, Handler="index.handler", Code=zipped), "ResourceConflictException", "b3-orders"),
            (dict(FunctionName="b3-notzip", Runtime="nodejs22.x", Role=self.fn_role, Handler="index.handler", Code={"ZipFile": b"not a zip"}), "InvalidParameterValueException", "unzip"),
        ]
        for request, code, words in cases:
            with self.subTest(name=request["FunctionName"]):
                error = error_of(self.lam.create_function, **request)
                self.assertIsNotNone(error)
                self.assertEqual(error[0], code)
                self.assertIn(words, error[1])

    def test_delete_function(self):
        """DeleteFunction removes it: GetFunction and Invoke are then ResourceNotFoundException."""
        self.lam.create_function(FunctionName="b3-short-lived", Runtime="python3.11", Role=self.fn_role, Handler="app.handler", Code={"ZipFile": self.python_zip})
        self.lam.delete_function(FunctionName="b3-short-lived")
        self.assertEqual(error_of(self.lam.get_function, FunctionName="b3-short-lived")[0], "ResourceNotFoundException")
        self.assertEqual(error_of(self.lam.invoke, FunctionName="b3-short-lived")[0], "ResourceNotFoundException")


class RawGlueJobWithBoto3(unittest.TestCase):
    """A Glue job made as a user makes one: a role trusting Glue, the script uploaded to S3, CreateJob, and a
    machine with arn:aws:states:::glue:startJobRun.sync on it (Step Functions developer guide, "Run a Job")."""

    @classmethod
    def setUpClass(cls):
        cls.iam, cls.glue, cls.sfn = client("iam"), client("glue"), client("stepfunctions")
        cls.s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}))
        cls.s3.create_bucket(Bucket="b3-glue-scripts")
        cls.s3.put_object(Bucket="b3-glue-scripts", Key="jobs/job.py", Body=GLUE_SCRIPT.encode())
        cls.iam.create_role(RoleName="b3-glue-job-role", AssumeRolePolicyDocument=trust("glue.amazonaws.com"))
        read_script = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b3-glue-scripts/jobs/*"}]}
        cls.iam.put_role_policy(RoleName="b3-glue-job-role", PolicyName="read-script", PolicyDocument=json.dumps(read_script))
        cls.job = cls.glue.create_job(
            Name="b3-glue-job", Role="b3-glue-job-role", Command={"Name": "pythonshell", "ScriptLocation": "s3://b3-glue-scripts/jobs/job.py", "PythonVersion": "3.9"},
            DefaultArguments={"--mode": "succeed"}, Timeout=5,
        )
        account = cls.iam.get_role(RoleName="b3-glue-job-role")["Role"]["Arn"].split(":")[4]
        job_arn = "arn:aws:glue:%s:%s:job/b3-glue-job" % (cls.sfn.meta.region_name, account)
        # The .sync pattern's IAM (Step Functions developer guide, "IAM policies for calling AWS Glue"): start, poll, stop.
        runs = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"], "Resource": job_arn}]}
        cls.may_run = cls.iam.create_role(RoleName="b3-may-run-job", AssumeRolePolicyDocument=trust("states.amazonaws.com"))["Role"]["Arn"]
        cls.iam.put_role_policy(RoleName="b3-may-run-job", PolicyName="run-job", PolicyDocument=json.dumps(runs))
        cls.may_not_run = cls.iam.create_role(RoleName="b3-may-not-run-job", AssumeRolePolicyDocument=trust("states.amazonaws.com"))["Role"]["Arn"]

    def run_machine(self, name, role, execution_input):
        arn = self.sfn.create_state_machine(name=name, definition=glue_job_machine("b3-glue-job"), roleArn=role)["stateMachineArn"]
        self.addCleanup(self.sfn.delete_state_machine, stateMachineArn=arn)
        started = self.sfn.start_execution(stateMachineArn=arn, input=json.dumps(execution_input))
        return wait_for_execution(self.sfn, started["executionArn"], timeout=120)

    def test_create_job_answers_its_name_and_get_job_its_definition(self):
        """CreateJob answers {Name}; GetJob the definition as given (Role as a name), with Glue's defaults."""
        self.assertEqual(self.job["Name"], "b3-glue-job")
        job = self.glue.get_job(JobName="b3-glue-job")["Job"]
        self.assertEqual((job["Role"], job["Command"]["Name"], job["Command"]["ScriptLocation"], job["Timeout"], job["DefaultArguments"]),
                         ("b3-glue-job-role", "pythonshell", "s3://b3-glue-scripts/jobs/job.py", 5, {"--mode": "succeed"}))
        self.assertIn("b3-glue-job", self.glue.list_jobs()["JobNames"])
        self.assertEqual(error_of(self.glue.create_job, Name="b3-glue-job", Role="b3-glue-job-role", Command={"Name": "pythonshell", "ScriptLocation": "s3://b3-glue-scripts/jobs/job.py"})[0],
                         "AlreadyExistsException")

    def test_sync_job_run_succeeds(self):
        """startJobRun.sync waits for the run: SUCCEEDED, output the JobRun (JobRunState SUCCEEDED, the run's Arguments)."""
        ended = self.run_machine("b3-job-succeeds", self.may_run, {"mode": "succeed"})
        self.assertEqual(ended["status"], "SUCCEEDED", ended.get("cause"))
        run = json.loads(ended["output"])
        self.assertEqual((run["JobName"], run["JobRunState"], run["Arguments"]), ("b3-glue-job", "SUCCEEDED", {"--mode": "succeed"}))

    def test_sync_job_run_fails_with_the_script_error(self):
        """A failing script fails the run, and the Task with States.TaskFailed whose cause is the JobRun (FAILED,
        ErrorMessage the script's error)."""
        ended = self.run_machine("b3-job-fails", self.may_run, {"mode": "fail"})
        self.assertEqual((ended["status"], ended["error"]), ("FAILED", "States.TaskFailed"))
        run = json.loads(ended["cause"])
        self.assertEqual(run["JobRunState"], "FAILED")
        self.assertIn("the script was asked to fail", run["ErrorMessage"])

    def test_sync_job_run_denied_without_start_permission(self):
        """The machine's role may not glue:StartJobRun: the Task fails with Glue's AccessDeniedException naming the
        action and the role."""
        ended = self.run_machine("b3-job-denied", self.may_not_run, {"mode": "succeed"})
        self.assertEqual((ended["status"], ended["error"]), ("FAILED", "Glue.AccessDeniedException"))
        self.assertIn("glue:StartJobRun", ended["cause"])
        self.assertIn("b3-may-not-run-job", ended["cause"])

    def test_update_and_delete_job(self):
        """UpdateJob replaces the definition and answers {JobName}; DeleteJob answers {JobName}, for a job that no
        longer exists too ("If the job definition is not found, no exception is thrown")."""
        command = {"Name": "pythonshell", "ScriptLocation": "s3://b3-glue-scripts/jobs/job.py"}
        self.glue.create_job(Name="b3-short-job", Role="b3-glue-job-role", Command=command)
        self.assertEqual(self.glue.update_job(JobName="b3-short-job", JobUpdate={"Role": "b3-glue-job-role", "Command": command, "Timeout": 9})["JobName"], "b3-short-job")
        self.assertEqual(self.glue.get_job(JobName="b3-short-job")["Job"]["Timeout"], 9)
        self.assertEqual(self.glue.delete_job(JobName="b3-short-job")["JobName"], "b3-short-job")
        self.assertEqual(error_of(self.glue.get_job, JobName="b3-short-job")[0], "EntityNotFoundException")
        self.assertEqual(self.glue.delete_job(JobName="b3-short-job")["JobName"], "b3-short-job")
        self.assertEqual(error_of(self.glue.create_job, Name="b3-stream", Role="b3-glue-job-role", Command={"Name": "gluestreaming", "ScriptLocation": "s3://b3-glue-scripts/jobs/job.py"})[0],
                         "InvalidInputException")


if __name__ == "__main__":
    unittest.main()
