"""Step Functions through boto3, each check naming the rule of botocore's stepfunctions/2016-11-23 model or the
Step Functions API reference it asserts."""
import json
import unittest

from conformance_env import OUTPUTS, client, error_code

RUN_JOB = OUTPUTS["stateMachineArns"]["run-job"]
CALLBACK = OUTPUTS["stateMachineArns"]["wait-for-callback"]
FINISHED = OUTPUTS["finishedExecutionArn"]


class StepFunctionsConformance(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sfn = client("stepfunctions")

    def test_start_execution_is_idempotent_for_running_standard(self):
        """API reference, StartExecution: same name and input as a running STANDARD execution returns it;
        a different input, or a closed execution, is ExecutionAlreadyExists."""
        request = dict(stateMachineArn=CALLBACK, name="boto3.idempotent", input='{"from":"boto3"}')
        first = self.sfn.start_execution(**request)
        again = self.sfn.start_execution(**request)
        self.assertEqual(again["executionArn"], first["executionArn"])
        self.assertEqual(again["startDate"], first["startDate"])
        self.assertEqual(error_code(self.sfn.start_execution, **{**request, "input": "{}"}), "ExecutionAlreadyExists")
        self.sfn.stop_execution(executionArn=first["executionArn"])
        self.assertEqual(error_code(self.sfn.start_execution, **request), "ExecutionAlreadyExists")

    def test_execution_name_rules(self):
        """API reference, StartExecution name: '.' is allowed; white space, brackets, wildcards and the listed
        special characters are InvalidName; model shape Name max 80 is ValidationException."""
        started = self.sfn.start_execution(stateMachineArn=CALLBACK, name="nightly.2026-12-01", input="{}")
        self.assertTrue(started["executionArn"].endswith(":nightly.2026-12-01"))
        self.sfn.stop_execution(executionArn=started["executionArn"])
        for name in ["two words", "a>b", "a}b", "a]b", "a?", "a|b", "a;b", "a$b", "a%b", "a\u0007b"]:
            with self.subTest(name=name):
                self.assertEqual(error_code(self.sfn.start_execution, stateMachineArn=CALLBACK, name=name, input="{}"), "InvalidName")
        self.assertEqual(error_code(self.sfn.start_execution, stateMachineArn=CALLBACK, name="n" * 81, input="{}"), "ValidationException")

    def test_history_without_execution_data(self):
        """API reference, GetExecutionHistory includeExecutionData: false leaves out the input and output of
        events; the default (true) includes them."""
        full = self.sfn.get_execution_history(executionArn=FINISHED, maxResults=1000)["events"]
        bare = self.sfn.get_execution_history(executionArn=FINISHED, maxResults=1000, includeExecutionData=False)["events"]
        self.assertEqual([e["type"] for e in bare], [e["type"] for e in full])
        self.assertEqual(full[0]["executionStartedEventDetails"]["input"], "{}")
        for event in bare:
            for key, details in event.items():
                if key.endswith("EventDetails"):
                    self.assertFalse({"input", "inputDetails", "output", "outputDetails", "parameters"} & set(details), f"{event['type']} {key}")

    def test_history_pages_in_order(self):
        """Model: GetExecutionHistory is paginated (paginators-1.json: nextToken, maxResults); ids run 1..n,
        each previousEventId the one before (the sandbox's documented simplification)."""
        pages = self.sfn.get_paginator("get_execution_history").paginate(executionArn=FINISHED, PaginationConfig={"PageSize": 3})
        events = [e for page in pages for e in page["events"]]
        self.assertEqual([e["id"] for e in events], list(range(1, len(events) + 1)))
        self.assertEqual(events[0]["type"], "ExecutionStarted")
        self.assertEqual(events[-1]["type"], "ExecutionSucceeded")

    def test_max_results_bounds(self):
        """Model shape PageSize: max 1000, so 1001 is ValidationException (boto3 checks only the minimum)."""
        self.assertEqual(error_code(self.sfn.get_execution_history, executionArn=FINISHED, maxResults=1001), "ValidationException")
        self.assertEqual(error_code(self.sfn.list_executions, stateMachineArn=RUN_JOB, maxResults=1001), "ValidationException")
        self.assertEqual(error_code(self.sfn.list_state_machines, maxResults=1001), "ValidationException")

    def test_pending_redrive_is_a_status_filter(self):
        """Model enum ExecutionStatus includes PENDING_REDRIVE: ListExecutions accepts it (no execution is pending
        a redrive here)."""
        self.assertEqual(self.sfn.list_executions(stateMachineArn=RUN_JOB, statusFilter="PENDING_REDRIVE")["executions"], [])
        succeeded = self.sfn.list_executions(stateMachineArn=RUN_JOB, statusFilter="SUCCEEDED")["executions"]
        self.assertIn(FINISHED, [e["executionArn"] for e in succeeded])

    def test_list_state_machines_pages(self):
        """Model: ListStateMachines takes maxResults/nextToken (paginated); a token it never issued is InvalidToken."""
        pages = list(self.sfn.get_paginator("list_state_machines").paginate(PaginationConfig={"PageSize": 1}))
        self.assertEqual(len(pages), len(OUTPUTS["stateMachineArns"]))
        self.assertEqual(sorted(m["stateMachineArn"] for p in pages for m in p["stateMachines"]), sorted(OUTPUTS["stateMachineArns"].values()))
        self.assertEqual(error_code(self.sfn.list_state_machines, nextToken="forged"), "InvalidToken")

    def test_describe_state_machine_logging_and_tracing(self):
        """Model DescribeStateMachineOutput: loggingConfiguration (level, includeExecutionData, destinations of
        cloudWatchLogsLogGroup.logGroupArn ending ':*') and tracingConfiguration, as the program set them (ALL,
        with execution data, X-Ray on)."""
        described = self.sfn.describe_state_machine(stateMachineArn=RUN_JOB)
        logging = described["loggingConfiguration"]
        self.assertEqual(logging["level"], "ALL")
        self.assertTrue(logging["includeExecutionData"])
        self.assertRegex(logging["destinations"][0]["cloudWatchLogsLogGroup"]["logGroupArn"], r"^arn:aws:logs:[\w-]+:\d{12}:log-group:/aws/vendedlogs/states/run-job-.+:\*$")
        self.assertEqual(described["tracingConfiguration"], {"enabled": True})
        self.assertEqual(json.loads(described["definition"])["StartAt"], "CheckFile")

    def test_describe_state_machine_for_execution(self):
        """Model DescribeStateMachineForExecutionOutput: stateMachineArn, name, definition, roleArn and updateDate
        are required; an unknown execution is ExecutionDoesNotExist."""
        described = self.sfn.describe_state_machine_for_execution(executionArn=FINISHED)
        machine = self.sfn.describe_state_machine(stateMachineArn=RUN_JOB)
        self.assertEqual(described["stateMachineArn"], RUN_JOB)
        for key in ["name", "definition", "roleArn", "loggingConfiguration", "tracingConfiguration"]:
            self.assertEqual(described[key], machine[key], key)
        self.assertIn("updateDate", described)
        missing = FINISHED.rsplit(":", 1)[0] + ":never-ran"
        self.assertEqual(error_code(self.sfn.describe_state_machine_for_execution, executionArn=missing), "ExecutionDoesNotExist")

    def test_list_tags_for_resource(self):
        """Model ListTagsForResourceOutput: tags as [{key, value}] (the program tags each machine with project,
        stack and pattern); errors ResourceNotFound and InvalidArn."""
        tags = {t["key"]: t["value"] for t in self.sfn.list_tags_for_resource(resourceArn=RUN_JOB)["tags"]}
        self.assertEqual(tags.get("pattern"), "run-job")
        self.assertEqual(tags.get("stack"), "dev")
        self.assertIn("project", tags)
        self.assertEqual(error_code(self.sfn.list_tags_for_resource, resourceArn=RUN_JOB + "-gone"), "ResourceNotFound")
        self.assertEqual(error_code(self.sfn.list_tags_for_resource, resourceArn="no-arn"), "InvalidArn")

    def test_unimplemented_operation(self):
        """Operations the sandbox does not implement answer UnknownOperationException (AWS JSON protocol error)."""
        self.assertEqual(error_code(self.sfn.list_activities), "UnknownOperationException")


if __name__ == "__main__":
    unittest.main()
