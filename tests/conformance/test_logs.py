"""CloudWatch Logs through boto3, each check naming the rule of botocore's logs/2014-03-28 model or the
CloudWatch Logs API reference it asserts."""
import json
import time
import unittest

from conformance_env import OUTPUTS, client, error_code

FINISHED = OUTPUTS["finishedExecutionArn"]


class LogsConformance(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.logs = client("logs")
        cls.sfn = client("stepfunctions")
        cls.glue = client("glue")

    def group_names(self, **kwargs):
        pages = self.logs.get_paginator("describe_log_groups").paginate(**kwargs)
        return [g["logGroupName"] for page in pages for g in page["logGroups"]]

    def test_describe_log_groups(self):
        """API reference, DescribeLogGroups: the program's groups (one per lab function, one per state machine)
        and Glue's /aws-glue/python-jobs/output after a run; logGroupNamePrefix filters; paginated by limit."""
        self.assertEqual(len(self.group_names(logGroupNamePrefix="/aws/lambda/")), 3)
        self.assertEqual(len(self.group_names(logGroupNamePrefix="/aws/vendedlogs/states/")), 4)
        self.assertIn("/aws-glue/python-jobs/output", self.group_names())
        self.assertEqual(self.group_names(PaginationConfig={"PageSize": 1}), self.group_names())

    def test_limit_bounds(self):
        """Model shape DescribeLimit: max 50; EventsLimit: max 10000 (boto3 checks only minimums):
        InvalidParameterException beyond."""
        self.assertEqual(error_code(self.logs.describe_log_groups, limit=51), "InvalidParameterException")
        group = self.group_names(logGroupNamePrefix="/aws/lambda/")[0]
        self.assertEqual(error_code(self.logs.filter_log_events, logGroupName=group, limit=10001), "InvalidParameterException")

    def test_function_stream_and_events(self):
        """DescribeLogStreams / GetLogEvents: a function's stream named '<yyyy>/<mm>/<dd>/[$LATEST]<id>' as Lambda
        names them; startFromHead gives the first invocation's START line first."""
        group = self.group_names(logGroupNamePrefix="/aws/lambda/")[0]
        streams = self.logs.describe_log_streams(logGroupName=group)["logStreams"]
        self.assertEqual(len(streams), 1)
        self.assertRegex(streams[0]["logStreamName"], r"^\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}$")
        events = self.logs.get_log_events(logGroupName=group, logStreamName=streams[0]["logStreamName"], startFromHead=True)["events"]
        self.assertRegex(events[0]["message"], r"^START RequestId: \S+ Version: \$LATEST$")
        self.assertEqual(error_code(self.logs.describe_log_streams, logGroupName="/aws/lambda/none"), "ResourceNotFoundException")

    def test_filter_like_aws_logs_tail(self):
        """FilterLogEvents as `aws logs tail` calls it (startTime ten minutes back, interleaved, paginated):
        the events of the last minutes, in time order; a plain term filters case-sensitively."""
        group = self.group_names(logGroupNamePrefix="/aws/lambda/")[0]
        since = int((time.time() - 600) * 1000)
        pages = self.logs.get_paginator("filter_log_events").paginate(logGroupName=group, startTime=since, interleaved=True)
        events = [e for page in pages for e in page["events"]]
        self.assertTrue(events)
        self.assertEqual([e["timestamp"] for e in events], sorted(e["timestamp"] for e in events))
        reports = self.logs.filter_log_events(logGroupName=group, filterPattern="REPORT")["events"]
        self.assertTrue(reports and all("REPORT" in e["message"] for e in reports))
        self.assertEqual(self.logs.filter_log_events(logGroupName=group, filterPattern="rePORT")["events"], [])

    def test_unsupported_filter_pattern_is_refused(self):
        """Filter pattern syntax beyond plain terms (?OR, JSON, space-delimited, regex) is refused with
        InvalidParameterException (model: FilterLogEvents errors) instead of being evaluated differently."""
        group = self.group_names(logGroupNamePrefix="/aws/lambda/")[0]
        for pattern in ["?START ?END", '{ $.level = "INFO" }', "[a, b]", "%STAR.%"]:
            with self.subTest(pattern=pattern):
                self.assertEqual(error_code(self.logs.filter_log_events, logGroupName=group, filterPattern=pattern), "InvalidParameterException")

    def test_state_machine_execution_events(self):
        """A state machine logs its execution events to the group its loggingConfiguration names, as JSON with
        id, type, details, previous_event_id, event_timestamp and execution_arn (Step Functions log format)."""
        arn = self.sfn.describe_state_machine(stateMachineArn=OUTPUTS["stateMachineArns"]["run-job"])["loggingConfiguration"]["destinations"][0]["cloudWatchLogsLogGroup"]["logGroupArn"]
        events = self.logs.filter_log_events(logGroupIdentifier=arn, filterPattern=f'"{FINISHED}"')["events"]
        records = [json.loads(e["message"]) for e in events]
        self.assertEqual(records[0]["type"], "ExecutionStarted")
        self.assertEqual(records[-1]["type"], "ExecutionSucceeded")
        self.assertTrue(all(r["execution_arn"] == FINISHED and {"id", "details", "previous_event_id", "event_timestamp"} <= set(r) for r in records))

    def test_glue_run_streams(self):
        """Glue writes a run's output to /aws-glue/python-jobs/output in a stream named by its JobRunId."""
        runs = self.glue.get_job_runs(JobName=OUTPUTS["jobName"])["JobRuns"]
        succeeded = [r["Id"] for r in runs if r["JobRunState"] == "SUCCEEDED"]
        streams = [s["logStreamName"] for s in self.logs.describe_log_streams(logGroupName="/aws-glue/python-jobs/output")["logStreams"]]
        self.assertTrue(set(succeeded) <= set(streams), (succeeded, streams))


if __name__ == "__main__":
    unittest.main()
