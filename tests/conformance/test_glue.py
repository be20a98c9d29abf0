"""Glue through boto3, each check naming the rule of botocore's glue/2017-03-31 model it asserts."""
import time
import unittest

from conformance_env import OUTPUTS, client, error_code

JOB = OUTPUTS["jobName"]
RUN_STATES = {"STARTING", "RUNNING", "STOPPING", "STOPPED", "SUCCEEDED", "FAILED", "TIMEOUT", "ERROR", "WAITING", "EXPIRED"}


class GlueConformance(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.glue = client("glue")

    def test_get_job(self):
        """Model GetJobResponse.Job: Name, Role, Command (Name pythonshell, PythonVersion 3.9, ScriptLocation in the
        lab's bucket); an unknown job is EntityNotFoundException."""
        job = self.glue.get_job(JobName=JOB)["Job"]
        self.assertEqual(job["Name"], JOB)
        self.assertEqual(job["Command"]["Name"], "pythonshell")
        self.assertEqual(job["Command"]["PythonVersion"], "3.9")
        self.assertTrue(job["Command"]["ScriptLocation"].startswith(f"s3://{OUTPUTS['bucketName']}/"))
        self.assertEqual(error_code(self.glue.get_job, JobName="no-such-job"), "EntityNotFoundException")

    def test_job_run_lifecycle(self):
        """Model StartJobRunResponse.JobRunId; GetJobRun's JobRunState is one of the model's enum values, and the
        run ends SUCCEEDED with StartedOn and CompletedOn; unknown run ids are EntityNotFoundException."""
        run_id = self.glue.start_job_run(JobName=JOB)["JobRunId"]
        deadline = time.time() + 60
        seen = []
        while time.time() < deadline:
            run = self.glue.get_job_run(JobName=JOB, RunId=run_id)["JobRun"]
            seen.append(run["JobRunState"])
            if run["JobRunState"] in {"SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR"}:
                break
            time.sleep(0.1)
        self.assertTrue(set(seen) <= RUN_STATES, seen)
        self.assertEqual(run["JobRunState"], "SUCCEEDED", run.get("ErrorMessage"))
        self.assertLessEqual(run["StartedOn"], run["CompletedOn"])
        self.assertIn(run_id, [r["Id"] for r in self.glue.get_job_runs(JobName=JOB)["JobRuns"]])
        self.assertEqual(error_code(self.glue.get_job_run, JobName=JOB, RunId="jr_unknown"), "EntityNotFoundException")

    def test_start_unknown_job(self):
        """Model StartJobRun errors: EntityNotFoundException for a job that does not exist."""
        self.assertEqual(error_code(self.glue.start_job_run, JobName="no-such-job"), "EntityNotFoundException")


if __name__ == "__main__":
    unittest.main()
