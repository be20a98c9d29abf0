"""What the conformance checks share: the sandbox's stack outputs and boto3 clients configured only by the
environment the runner (conformance.test.ts) sets, as any boto3 user would set it for the sandbox."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from sandbox_boto3 import client, error_code, error_of, wait_for_execution  # noqa: E402,F401

OUTPUTS = json.loads(os.environ["SANDBOX_OUTPUTS"])
