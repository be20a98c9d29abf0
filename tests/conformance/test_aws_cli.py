"""The AWS CLI, when installed, with nothing but the environment the runner sets: the same answers as boto3.
Skipped when `aws` is not on PATH (the CLI is not a dependency of the project)."""
import json
import shutil
import subprocess
import unittest

from conformance_env import OUTPUTS


def aws(*args):
    done = subprocess.run(["aws", *args, "--output", "json"], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise AssertionError(f"aws {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return json.loads(done.stdout)


@unittest.skipUnless(shutil.which("aws"), "the AWS CLI is not installed")
class AwsCliConformance(unittest.TestCase):
    def test_stepfunctions(self):
        """aws stepfunctions list-state-machines / describe-state-machine (model DescribeStateMachineOutput)."""
        machines = aws("stepfunctions", "list-state-machines")["stateMachines"]
        self.assertEqual(sorted(m["stateMachineArn"] for m in machines), sorted(OUTPUTS["stateMachineArns"].values()))
        described = aws("stepfunctions", "describe-state-machine", "--state-machine-arn", OUTPUTS["stateMachineArns"]["run-job"])
        self.assertEqual(described["loggingConfiguration"]["level"], "ALL")

    def test_logs(self):
        """aws logs describe-log-groups and filter-log-events (what `aws logs tail` calls)."""
        groups = aws("logs", "describe-log-groups", "--log-group-name-prefix", "/aws/lambda/")["logGroups"]
        self.assertEqual(len(groups), 3)  # check-file, validate-output, event-callback
        events = aws("logs", "filter-log-events", "--log-group-name", groups[0]["logGroupName"], "--filter-pattern", "START")["events"]
        self.assertTrue(events and all("START" in e["message"] for e in events))

    def test_glue(self):
        """aws glue get-job (model GetJobResponse)."""
        self.assertEqual(aws("glue", "get-job", "--job-name", OUTPUTS["jobName"])["Job"]["Name"], OUTPUTS["jobName"])


if __name__ == "__main__":
    unittest.main()
