"""Raw ASL end to end with the AWS CLI (v1 or v2) and nothing but the sandbox's environment: `aws iam create-role`,
`aws lambda create-function --zip-file fileb://...`, `aws s3 cp` and `aws glue create-job`, `aws stepfunctions
create-state-machine --definition file://my.asl.json`, then start-execution to each end state."""
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from raw_asl_env import GLUE_SCRIPT, NODE_APP, PYTHON_APP, glue_job_machine, invoke_machine, trust, zip_of


def aws(*args, expect_error=False):
    done = subprocess.run(["aws", *args, "--output", "json"], capture_output=True, text=True, timeout=60)
    if expect_error:
        return done
    if done.returncode != 0:
        raise AssertionError(f"aws {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return json.loads(done.stdout) if done.stdout.strip() else {}


def run_asl(asl_file, definition, name, role_arn, execution_input, timeout=60):
    """Writes the ASL to a file, creates the machine from it, starts it and answers describe-execution once it ended."""
    with open(asl_file, "w") as f:
        f.write(definition)
    arn = aws("stepfunctions", "create-state-machine", "--name", name, "--role-arn", role_arn, "--definition", f"file://{asl_file}")["stateMachineArn"]
    execution = aws("stepfunctions", "start-execution", "--state-machine-arn", arn, "--input", json.dumps(execution_input))["executionArn"]
    deadline = time.time() + timeout
    while True:
        described = aws("stepfunctions", "describe-execution", "--execution-arn", execution)
        if described["status"] != "RUNNING" or time.time() > deadline:
            return described
        time.sleep(0.2)


@unittest.skipUnless(shutil.which("aws"), "the AWS CLI is not installed")
class RawAslWithTheAwsCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp()
        path = lambda name: os.path.join(cls.folder, name)
        for name, files in (("greeter.zip", {"app.py": PYTHON_APP}), ("orders.zip", {"index.js": NODE_APP})):
            with open(path(name), "wb") as f:
                f.write(zip_of(files))
        for name, service in (("lambda-trust.json", "lambda.amazonaws.com"), ("states-trust.json", "states.amazonaws.com")):
            with open(path(name), "w") as f:
                f.write(trust(service))
        fn_role = aws("iam", "create-role", "--role-name", "cli-function-role", "--assume-role-policy-document", f"file://{path('lambda-trust.json')}")["Role"]["Arn"]
        cls.greeter = aws("lambda", "create-function", "--function-name", "cli-greeter", "--runtime", "python3.13", "--handler", "app.handler",
                          "--role", fn_role, "--timeout", "30", "--zip-file", f"fileb://{path('greeter.zip')}")["FunctionArn"]
        cls.orders = aws("lambda", "create-function", "--function-name", "cli-orders", "--runtime", "nodejs20.x", "--handler", "index.handler",
                         "--role", fn_role, "--zip-file", f"fileb://{path('orders.zip')}")["FunctionArn"]
        for role, resources in (("cli-may-invoke", [cls.greeter, cls.orders]), ("cli-may-not-invoke", None)):
            aws("iam", "create-role", "--role-name", role, "--assume-role-policy-document", f"file://{path('states-trust.json')}")
            if resources:
                policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": resources}]}
                aws("iam", "put-role-policy", "--role-name", role, "--policy-name", "invoke", "--policy-document", json.dumps(policy))
        cls.roles = {role: aws("iam", "get-role", "--role-name", role)["Role"]["Arn"] for role in ("cli-may-invoke", "cli-may-not-invoke")}
        cls.path = staticmethod(path)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def run_machine(self, name, function_arn, role, execution_input):
        return run_asl(self.path(f"{name}.asl.json"), invoke_machine(function_arn), name, self.roles[role], execution_input)

    def test_invoke(self):
        """aws lambda invoke writes the handler's return value to the outfile; StatusCode 200. The payload is given as
        fileb:// (raw bytes in CLI v1 and v2 alike)."""
        out, event = self.path("out.json"), self.path("event.json")
        with open(event, "w") as f:
            f.write('{"name": "Linus"}')
        answer = aws("lambda", "invoke", "--function-name", "cli-greeter", "--payload", f"fileb://{event}", out)
        self.assertEqual(answer["StatusCode"], 200)
        with open(out) as f:
            self.assertEqual(json.load(f)["greeting"], "hello Linus")

    def test_succeeded(self):
        ended = self.run_machine("cli-succeeds", self.greeter, "cli-may-invoke", {"name": "Ada"})
        self.assertEqual(ended["status"], "SUCCEEDED", ended.get("cause"))
        self.assertEqual(json.loads(ended["output"])["greeting"], "hello Ada")

    def test_failed_with_error_and_cause(self):
        """The function's error type is the execution's error, its error document the cause."""
        ended = self.run_machine("cli-fails", self.orders, "cli-may-invoke", {"amount": 101})
        self.assertEqual((ended["status"], ended["error"]), ("FAILED", "OrderRejected"))
        self.assertEqual(json.loads(ended["cause"])["errorMessage"], "amount 101 is over the limit of 100")

    def test_denied(self):
        """A role without lambda:InvokeFunction: FAILED, Lambda.AWSLambdaException naming the action."""
        ended = self.run_machine("cli-denied", self.orders, "cli-may-not-invoke", {"amount": 1})
        self.assertEqual((ended["status"], ended["error"]), ("FAILED", "Lambda.AWSLambdaException"))
        self.assertIn("lambda:InvokeFunction", ended["cause"])

    def test_unsupported_runtime_is_refused(self):
        done = aws("lambda", "create-function", "--function-name", "cli-ruby", "--runtime", "ruby3.3", "--handler", "x.h",
                   "--role", self.roles["cli-may-invoke"].replace("cli-may-invoke", "cli-function-role"), "--zip-file", f"fileb://{self.path('orders.zip')}", expect_error=True)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("InvalidParameterValueException", done.stderr)


@unittest.skipUnless(shutil.which("aws"), "the AWS CLI is not installed")
class RawGlueJobWithTheAwsCli(unittest.TestCase):
    """`aws s3 cp` the script, `aws glue create-job` on a role trusting Glue, then a glue:startJobRun.sync machine."""

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp()
        path = lambda name: os.path.join(cls.folder, name)
        with open(path("job.py"), "w") as f:
            f.write(GLUE_SCRIPT)
        with open(path("glue-trust.json"), "w") as f:
            f.write(trust("glue.amazonaws.com"))
        with open(path("states-trust.json"), "w") as f:
            f.write(trust("states.amazonaws.com"))
        aws("s3api", "create-bucket", "--bucket", "cli-glue-scripts")
        # `aws s3 cp` prints a progress line, not JSON.
        copied = subprocess.run(["aws", "s3", "cp", path("job.py"), "s3://cli-glue-scripts/jobs/job.py"], capture_output=True, text=True, timeout=60)
        if copied.returncode != 0:
            raise AssertionError(f"aws s3 cp exited {copied.returncode}: {copied.stderr}")
        aws("iam", "create-role", "--role-name", "cli-glue-job-role", "--assume-role-policy-document", f"file://{path('glue-trust.json')}")
        read = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::cli-glue-scripts/jobs/*"}]}
        aws("iam", "put-role-policy", "--role-name", "cli-glue-job-role", "--policy-name", "read-script", "--policy-document", json.dumps(read))
        cls.created = aws("glue", "create-job", "--name", "cli-glue-job", "--role", "cli-glue-job-role",
                          "--command", "Name=pythonshell,ScriptLocation=s3://cli-glue-scripts/jobs/job.py,PythonVersion=3.9", "--timeout", "5")
        machine_role = aws("iam", "create-role", "--role-name", "cli-may-run-job", "--assume-role-policy-document", f"file://{path('states-trust.json')}")["Role"]["Arn"]
        job_arn = "arn:aws:glue:%s:%s:job/cli-glue-job" % (os.environ["AWS_DEFAULT_REGION"], machine_role.split(":")[4])
        runs = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"], "Resource": job_arn}]}
        aws("iam", "put-role-policy", "--role-name", "cli-may-run-job", "--policy-name", "run-job", "--policy-document", json.dumps(runs))
        cls.machine_role = machine_role
        cls.path = staticmethod(path)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def test_create_job_answers_its_name(self):
        self.assertEqual(self.created, {"Name": "cli-glue-job"})
        self.assertEqual(aws("glue", "get-job", "--job-name", "cli-glue-job")["Job"]["Command"]["ScriptLocation"], "s3://cli-glue-scripts/jobs/job.py")

    def test_sync_run_succeeded(self):
        ended = run_asl(self.path("ok.asl.json"), glue_job_machine("cli-glue-job"), "cli-job-succeeds", self.machine_role, {"mode": "succeed"}, timeout=120)
        self.assertEqual(ended["status"], "SUCCEEDED", ended.get("cause"))
        self.assertEqual(json.loads(ended["output"])["JobRunState"], "SUCCEEDED")

    def test_sync_run_failed_with_the_script_error(self):
        ended = run_asl(self.path("fail.asl.json"), glue_job_machine("cli-glue-job"), "cli-job-fails", self.machine_role, {"mode": "fail"}, timeout=120)
        self.assertEqual((ended["status"], ended["error"]), ("FAILED", "States.TaskFailed"))
        self.assertIn("the script was asked to fail", json.loads(ended["cause"])["ErrorMessage"])


if __name__ == "__main__":
    unittest.main()
