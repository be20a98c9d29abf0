"""What the conformance checks share: the sandbox's stack outputs and boto3 clients configured only by the
environment the runner (conformance.test.ts) sets, as any boto3 user would set it for the sandbox."""
import json
import os
import time

import boto3
from botocore.exceptions import ClientError

OUTPUTS = json.loads(os.environ["SANDBOX_OUTPUTS"])


def client(service):
    """A boto3 client with nothing but the environment: endpoint, keys and region come from AWS_* variables."""
    return boto3.client(service)


def error_code(call, *args, **kwargs):
    """The error code a call fails with (botocore's ClientError.response['Error']['Code']), or None."""
    try:
        call(*args, **kwargs)
    except ClientError as error:
        return error.response["Error"]["Code"]
    return None


def wait_for_execution(sfn, execution_arn, timeout=60):
    deadline = time.time() + timeout
    while True:
        described = sfn.describe_execution(executionArn=execution_arn)
        if described["status"] != "RUNNING" or time.time() > deadline:
            return described
        time.sleep(0.1)
