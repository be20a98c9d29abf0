"""What every Python check against the sandbox shares: boto3 clients configured by the environment alone (the
runner sets endpoints, keys and region as any boto3 user would for the sandbox), the error a call fails with,
and waiting for an execution to end."""
import time

import boto3
from botocore.exceptions import ClientError


def client(service):
    """A boto3 client with nothing but the environment: endpoint, keys and region come from AWS_* variables."""
    return boto3.client(service)


def error_of(call, *args, **kwargs):
    """(code, message) a call fails with (botocore ClientError), or None when it succeeds."""
    try:
        call(*args, **kwargs)
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"]["Message"]
    return None


def error_code(call, *args, **kwargs):
    """The error code a call fails with, or None when it succeeds."""
    error = error_of(call, *args, **kwargs)
    return error[0] if error else None


def wait_for_execution(sfn, execution_arn, timeout=60):
    """The execution's description once it is no longer RUNNING (or when `timeout` seconds have passed)."""
    deadline = time.time() + timeout
    while True:
        described = sfn.describe_execution(executionArn=execution_arn)
        if described["status"] != "RUNNING" or time.time() > deadline:
            return described
        time.sleep(0.1)
