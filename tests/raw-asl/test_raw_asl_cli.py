"""Raw ASL end to end with the AWS CLI (v1 or v2) and nothing but the sandbox's environment: `aws iam create-role`,
`aws lambda create-function --zip-file fileb://...`, `aws stepfunctions create-state-machine --definition
file://my.asl.json`, then start-execution to each end state."""
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from raw_asl_env import NODE_APP, PYTHON_APP, invoke_machine, trust, zip_of


def aws(*args, expect_error=False):
    done = subprocess.run(["aws", *args, "--output", "json"], capture_output=True, text=True, timeout=60)
    if expect_error:
        return done
    if done.returncode != 0:
        raise AssertionError(f"aws {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return json.loads(done.stdout) if done.stdout.strip() else {}


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
        asl = self.path(f"{name}.asl.json")
        with open(asl, "w") as f:
            f.write(invoke_machine(function_arn))
        arn = aws("stepfunctions", "create-state-machine", "--name", name, "--role-arn", self.roles[role], "--definition", f"file://{asl}")["stateMachineArn"]
        execution = aws("stepfunctions", "start-execution", "--state-machine-arn", arn, "--input", json.dumps(execution_input))["executionArn"]
        deadline = time.time() + 60
        while True:
            described = aws("stepfunctions", "describe-execution", "--execution-arn", execution)
            if described["status"] != "RUNNING" or time.time() > deadline:
                return described
            time.sleep(0.2)

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


if __name__ == "__main__":
    unittest.main()
