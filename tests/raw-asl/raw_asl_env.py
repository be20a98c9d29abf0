"""What the raw-ASL checks share: boto3 clients configured by the environment alone (the runner sets endpoints,
keys and region as any user would for the sandbox), the two functions' deployment packages as zips, roles."""
import io
import json
import os
import sys
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from sandbox_boto3 import client, error_code, error_of, wait_for_execution  # noqa: E402,F401


def trust(service):
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
    })


def zip_of(files):
    """A deployment package: a zip holding `files` (name -> text) at its root."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


# A Python handler: greets, and reports who it runs as by calling Step Functions with the credentials Lambda gave
# it (its role may not list machines, so the AccessDenied message names the caller).
PYTHON_APP = '''
import boto3
from botocore.exceptions import ClientError

def handler(event, context):
    if event.get("fail"):
        raise ValueError("no name given")
    try:
        boto3.client("stepfunctions").list_state_machines()
        caller = "allowed"
    except ClientError as error:
        caller = error.response["Error"]["Message"]
    return {"greeting": "hello " + event["name"], "function": context.function_name, "caller": caller}
'''

# A Node.js handler that rejects an order with its own error type.
NODE_APP = '''
class OrderRejected extends Error { constructor(m) { super(m); this.name = "OrderRejected"; } }
exports.handler = async (event) => {
  if (event.amount > 100) throw new OrderRejected(`amount ${event.amount} is over the limit of 100`);
  return { accepted: event.amount };
};
'''


def invoke_machine(function_arn):
    """A JSONPath machine: one lambda:invoke Task (optimized integration) whose output is the function's Payload."""
    return json.dumps({
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": function_arn, "Payload.$": "$"},
                "OutputPath": "$.Payload",
                "End": True,
            }
        },
    })



# A Python shell job's script: succeeds, or fails when its --mode argument says so.
GLUE_SCRIPT = '''
import sys
from awsglue.utils import getResolvedOptions

args = getResolvedOptions(sys.argv, ["mode"])
if args["mode"] == "fail":
    raise RuntimeError("the script was asked to fail")
print("mode", args["mode"])
'''


def glue_job_machine(job_name):
    """A JSONPath machine: one glue:startJobRun.sync Task (optimized integration) with the input's mode as --mode."""
    return json.dumps({
        "StartAt": "RunJob",
        "States": {
            "RunJob": {
                "Type": "Task",
                "Resource": "arn:aws:states:::glue:startJobRun.sync",
                "Parameters": {"JobName": job_name, "Arguments": {"--mode.$": "$.mode"}},
                "End": True,
            }
        },
    })
