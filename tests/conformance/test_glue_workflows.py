"""Glue workflows and triggers through boto3, each check naming the rule of botocore's glue/2017-03-31 model (or the
Glue developer guide page) it asserts. Workflows and triggers are created through the API over the lab's job."""
import time
import unittest
import uuid

from conformance_env import OUTPUTS, client, error_code

JOB = OUTPUTS["jobName"]
RUN_STATUSES = {"RUNNING", "COMPLETED", "STOPPING", "STOPPED", "ERROR"}


def unique(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:8])


class GlueWorkflowConformance(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.glue = client("glue")

    def workflow_with_job(self, **workflow):
        """A workflow whose on-demand start trigger runs the lab's job once."""
        name = unique("wf")
        self.assertEqual(self.glue.create_workflow(Name=name, **workflow)["Name"], name)
        self.glue.create_trigger(Name=name + "-start", WorkflowName=name, Type="ON_DEMAND", Actions=[{"JobName": JOB}])
        return name

    def wait_for_run(self, name, run_id, timeout=60):
        deadline = time.time() + timeout
        while True:
            run = self.glue.get_workflow_run(Name=name, RunId=run_id)["Run"]
            self.assertIn(run["Status"], RUN_STATUSES)
            if run["Status"] not in {"RUNNING", "STOPPING"} or time.time() > deadline:
                return run
            time.sleep(0.1)

    def test_workflow_run_completes_with_statistics(self):
        """StartWorkflowRunResponse.RunId; WorkflowRun.Status ends COMPLETED with StartedOn <= CompletedOn and
        WorkflowRunStatistics counting the job run as succeeded; its job run carries --WORKFLOW_NAME/--WORKFLOW_RUN_ID
        ("Getting and setting workflow run properties") and the trigger's name (JobRun.TriggerName)."""
        name = self.workflow_with_job(DefaultRunProperties={"target": "a"})
        run_id = self.glue.start_workflow_run(Name=name, RunProperties={"day": "1"})["RunId"]
        run = self.wait_for_run(name, run_id)
        self.assertEqual(run["Status"], "COMPLETED")
        self.assertLessEqual(run["StartedOn"], run["CompletedOn"])
        self.assertEqual(run["Statistics"]["TotalActions"], 1)
        self.assertEqual(run["Statistics"]["SucceededActions"], 1)
        self.assertEqual(run["Statistics"]["RunningActions"], 0)
        self.assertEqual(run["WorkflowRunProperties"], {"target": "a", "day": "1"})
        runs = self.glue.get_job_runs(JobName=JOB)["JobRuns"]
        mine = [r for r in runs if r["Arguments"].get("--WORKFLOW_RUN_ID") == run_id]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["Arguments"]["--WORKFLOW_NAME"], name)
        self.assertEqual(mine[0]["TriggerName"], name + "-start")
        listed = self.glue.get_workflow_runs(Name=name)["Runs"]
        self.assertEqual([r["WorkflowRunId"] for r in listed], [run_id])

    def test_run_properties(self):
        """PutWorkflowRunProperties: "If a property already exists ... it overrides the value otherwise adds the
        property"; GetWorkflowRunPropertiesResponse.RunProperties."""
        name = self.workflow_with_job(DefaultRunProperties={"format": "csv"})
        run_id = self.glue.start_workflow_run(Name=name)["RunId"]
        self.glue.put_workflow_run_properties(Name=name, RunId=run_id, RunProperties={"format": "json", "extra": "1"})
        self.assertEqual(self.glue.get_workflow_run_properties(Name=name, RunId=run_id)["RunProperties"], {"format": "json", "extra": "1"})
        self.wait_for_run(name, run_id)

    def test_stop_and_max_concurrent_runs(self):
        """MaxConcurrentRuns bounds running runs (StartWorkflowRun: ConcurrentRunsExceededException); StopWorkflowRun
        ends the run STOPPED ("Stopping a workflow run"); stopping it again is IllegalWorkflowStateException."""
        name = self.workflow_with_job(MaxConcurrentRuns=1)
        run_id = self.glue.start_workflow_run(Name=name)["RunId"]
        self.assertEqual(error_code(self.glue.start_workflow_run, Name=name), "ConcurrentRunsExceededException")
        self.glue.stop_workflow_run(Name=name, RunId=run_id)
        run = self.wait_for_run(name, run_id)
        self.assertEqual(run["Status"], "STOPPED")
        self.assertEqual(error_code(self.glue.stop_workflow_run, Name=name, RunId=run_id), "IllegalWorkflowStateException")

    def test_triggers(self):
        """CreateTrigger/GetTrigger: Trigger.Type and State (on-demand triggers stay CREATED, StartOnCreation activates
        a conditional one, StopTrigger deactivates it); AlreadyExistsException; DeleteTrigger of an unknown name is no
        error; GetTrigger of it is EntityNotFoundException."""
        name = self.workflow_with_job()
        conditional = name + "-after"
        self.glue.create_trigger(
            Name=conditional, WorkflowName=name, Type="CONDITIONAL", StartOnCreation=True,
            Predicate={"Logical": "ANY", "Conditions": [{"LogicalOperator": "EQUALS", "JobName": JOB, "State": "FAILED"}]},
            Actions=[{"JobName": JOB}],
        )
        self.assertEqual(self.glue.get_trigger(Name=name + "-start")["Trigger"]["State"], "CREATED")
        trigger = self.glue.get_trigger(Name=conditional)["Trigger"]
        self.assertEqual((trigger["Type"], trigger["State"], trigger["WorkflowName"]), ("CONDITIONAL", "ACTIVATED", name))
        self.glue.stop_trigger(Name=conditional)
        self.assertEqual(self.glue.get_trigger(Name=conditional)["Trigger"]["State"], "DEACTIVATED")
        self.assertEqual(error_code(self.glue.create_trigger, Name=conditional, Type="ON_DEMAND", Actions=[{"JobName": JOB}]), "AlreadyExistsException")
        self.glue.delete_trigger(Name=conditional)
        self.glue.delete_trigger(Name=conditional)
        self.assertEqual(error_code(self.glue.get_trigger, Name=conditional), "EntityNotFoundException")

    def test_errors(self):
        """EntityNotFoundException for unknown workflows, runs and jobs; the sandbox refuses SCHEDULED triggers (it has
        no clock) with InvalidInputException naming why."""
        self.assertEqual(error_code(self.glue.get_workflow, Name="no-such-workflow"), "EntityNotFoundException")
        self.assertEqual(error_code(self.glue.start_workflow_run, Name="no-such-workflow"), "EntityNotFoundException")
        name = self.workflow_with_job()
        self.assertEqual(error_code(self.glue.get_workflow_run, Name=name, RunId="wr_none"), "EntityNotFoundException")
        self.assertEqual(error_code(self.glue.create_trigger, Name=unique("t"), Type="ON_DEMAND", Actions=[{"JobName": "no-such-job"}]), "EntityNotFoundException")
        try:
            self.glue.create_trigger(Name=unique("t"), Type="SCHEDULED", Schedule="cron(0 2 * * ? *)", Actions=[{"JobName": JOB}])
            self.fail("a SCHEDULED trigger was created")
        except self.glue.exceptions.InvalidInputException as error:
            self.assertIn("does not run SCHEDULED triggers", str(error))


if __name__ == "__main__":
    unittest.main()
