"""The AWS CLI, when installed, with nothing but the environment the runner sets: the same answers as boto3.
Skipped when `aws` is not on PATH (the CLI is not a dependency of the project)."""
import json
import os
import shutil
import subprocess
import unittest

from conformance_env import OUTPUTS


def aws(*args):
    done = subprocess.run(["aws", *args, "--output", "json"], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise AssertionError(f"aws {' '.join(args)} exited {done.returncode}: {done.stderr}")
    # Operations without output (put-item) print nothing.
    return json.loads(done.stdout) if done.stdout.strip() else {}


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

    def test_sqs(self):
        """aws sqs create-queue / send-message / receive-message (botocore sqs, JSON protocol): the body comes back.
        AWS CLI v1 puts SQS on its legacy queue.amazonaws.com names unless --endpoint-url is given (its
        overridesslcommonname customization ignores AWS_ENDPOINT_URL_SQS), so the endpoint is passed explicitly."""
        sqs = lambda *args: aws("sqs", *args, "--endpoint-url", os.environ["AWS_ENDPOINT_URL_SQS"])
        url = sqs("create-queue", "--queue-name", "cli-queue")["QueueUrl"]
        sent = sqs("send-message", "--queue-url", url, "--message-body", "from the CLI")
        received = sqs("receive-message", "--queue-url", url, "--wait-time-seconds", "1")["Messages"]
        self.assertEqual([(m["MessageId"], m["Body"]) for m in received], [(sent["MessageId"], "from the CLI")])

    def test_sns(self):
        """aws sns create-topic / list-topics (botocore sns, query protocol)."""
        arn = aws("sns", "create-topic", "--name", "cli-topic")["TopicArn"]
        self.assertIn(arn, [t["TopicArn"] for t in aws("sns", "list-topics")["Topics"]])

    def test_dynamodb(self):
        """aws dynamodb create-table / put-item / get-item (botocore dynamodb 2012-08-10)."""
        aws("dynamodb", "create-table", "--table-name", "cli-table", "--attribute-definitions", "AttributeName=pk,AttributeType=S",
            "--key-schema", "AttributeName=pk,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST")
        aws("dynamodb", "put-item", "--table-name", "cli-table", "--item", json.dumps({"pk": {"S": "a"}, "v": {"N": "1"}}))
        got = aws("dynamodb", "get-item", "--table-name", "cli-table", "--key", json.dumps({"pk": {"S": "a"}}))
        self.assertEqual(got["Item"], {"pk": {"S": "a"}, "v": {"N": "1"}})


if __name__ == "__main__":
    unittest.main()
