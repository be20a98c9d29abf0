"""S3 conformance of the sandbox, checked with boto3 as any user would call it.

The connection comes from the environment only: AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, and SANDBOX_OUTPUTS (the stack outputs as JSON:
bucketName, dataKey, outputPrefix, jobName, stateMachineArns, functionNames). Each test's docstring
names the botocore model rule (botocore/data/s3/2006-03-01/service-2.json, paginators-1.json) or the
S3 API reference page it asserts.
"""

import hashlib
import http.client
import io
import json
import os
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import uuid

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError


def _outputs():
    return json.loads(os.environ["SANDBOX_OUTPUTS"])


def _client(**overrides):
    session = boto3.session.Session()
    options = {"config": Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}), **overrides}
    return session.client("s3", **options)


def _error(error):
    return error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]


class S3Conformance(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.outputs = _outputs()
        cls.bucket = cls.outputs["bucketName"]
        cls.s3 = _client()
        # Every test writes under its own prefix inside the program's output prefix.
        cls.prefix = "%s/conformance-%s/" % (cls.outputs["outputPrefix"], uuid.uuid4().hex[:12])

    def test_put_then_get_returns_the_bytes_and_an_md5_etag(self):
        """PutObject / GetObject (service-2.json): Body round-trips; the ETag of a single-part upload is
        the object's MD5 in quotes (S3 API reference, "Common Response Headers": ETag)."""
        body = b"id,amount\n1,100\n" * 100
        key = self.prefix + "roundtrip.csv"
        put = self.s3.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType="text/csv")
        self.assertEqual(put["ETag"], '"%s"' % hashlib.md5(body).hexdigest())
        got = self.s3.get_object(Bucket=self.bucket, Key=key)
        self.assertEqual(got["Body"].read(), body)
        self.assertEqual(got["ContentType"], "text/csv")
        self.assertEqual(got["ContentLength"], len(body))

    def test_list_objects_v2_pages_with_continuation_tokens(self):
        """paginators-1.json ListObjectsV2: input_token ContinuationToken, output_token
        NextContinuationToken, limit_key MaxKeys, more_results IsTruncated: what `aws s3 ls --page-size 2`
        does. Keys come back in UTF-8 binary order (ListObjectsV2: "returned in ascending order")."""
        keys = [self.prefix + "page/%s" % name for name in ["e", "a", "d", "c", "b"]]
        for key in keys:
            self.s3.put_object(Bucket=self.bucket, Key=key, Body=b"x")
        pages = list(self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix + "page/", PaginationConfig={"PageSize": 2}))
        self.assertEqual([page["KeyCount"] for page in pages], [2, 2, 1])
        self.assertEqual([page["IsTruncated"] for page in pages], [True, True, False])
        self.assertTrue(all("NextContinuationToken" in page for page in pages[:2]))
        self.assertEqual([o["Key"] for page in pages for o in page["Contents"]], sorted(keys))

    def test_list_objects_v2_groups_common_prefixes(self):
        """ListObjectsV2 with Delimiter (service-2.json CommonPrefixes): keys sharing the part up to the
        delimiter are rolled up into one CommonPrefixes entry."""
        for name in ["one/a", "one/b", "two/c", "top"]:
            self.s3.put_object(Bucket=self.bucket, Key=self.prefix + "tree/" + name, Body=b"x")
        listed = self.s3.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix + "tree/", Delimiter="/")
        self.assertEqual([p["Prefix"] for p in listed["CommonPrefixes"]], [self.prefix + "tree/one/", self.prefix + "tree/two/"])
        self.assertEqual([o["Key"] for o in listed["Contents"]], [self.prefix + "tree/top"])

    def test_a_dot_dot_key_is_a_key_of_its_own(self):
        """Object keys are opaque UTF-8 strings (S3 user guide, "Naming Amazon S3 objects"): ".." is not a
        path step, so "<prefix>x/../y" names a different object than "<prefix>y"."""
        literal = self.prefix + "x/../y.txt"
        self.s3.put_object(Bucket=self.bucket, Key=literal, Body=b"literal")
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key=literal)["Body"].read(), b"literal")
        with self.assertRaises(ClientError) as raised:
            self.s3.head_object(Bucket=self.bucket, Key=self.prefix + "y.txt")
        self.assertEqual(_error(raised.exception)[1], 404)
        listed = self.s3.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix + "x/")
        self.assertEqual([o["Key"] for o in listed["Contents"]], [literal])

    def test_malformed_percent_encoding_is_a_400(self):
        """A request URI that does not percent-decode is S3's 400 InvalidURI ("Couldn't parse the
        specified URI.", S3 API reference, "Error responses"), never a 500."""
        endpoint = urllib.parse.urlparse(os.environ["AWS_ENDPOINT_URL_S3"])
        connection = http.client.HTTPConnection(endpoint.hostname, endpoint.port, timeout=10)
        connection.request("GET", "/%s/bad%%zzkey" % self.bucket)
        response = connection.getresponse()
        body = response.read().decode("utf-8")
        connection.close()
        self.assertEqual(response.status, 400)
        self.assertIn("<Code>InvalidURI</Code>", body)

    def test_a_wrong_secret_is_signature_does_not_match(self):
        """SigV4 (S3 API reference, "Authenticating Requests"): a signature made with another secret is
        403 SignatureDoesNotMatch; an access key never issued is 403 InvalidAccessKeyId."""
        wrong = _client(aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key="x" * 40)
        with self.assertRaises(ClientError) as raised:
            wrong.get_object(Bucket=self.bucket, Key=self.outputs["dataKey"])
        self.assertEqual(_error(raised.exception), ("SignatureDoesNotMatch", 403))
        stranger = _client(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="x" * 40)
        with self.assertRaises(ClientError) as raised:
            stranger.get_object(Bucket=self.bucket, Key=self.outputs["dataKey"])
        self.assertEqual(_error(raised.exception), ("InvalidAccessKeyId", 403))

    def test_presigned_urls_work_until_they_expire(self):
        """Query-string authentication (S3 API reference, "Authenticating Requests: Using Query
        Parameters"): a SigV4 presigned GET needs no other credentials; past X-Amz-Expires it is 403
        AccessDenied "Request has expired". Signature Version 2 (boto3's default presign without
        signature_version="s3v4") is 400 InvalidRequest, as for buckets created since June 2020."""
        params = {"Bucket": self.bucket, "Key": self.outputs["dataKey"]}
        with self.assertRaises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(_client(config=Config(signature_version="s3", s3={"addressing_style": "path"})).generate_presigned_url("get_object", Params=params), timeout=10)
        self.assertEqual(raised.exception.code, 400)
        self.assertIn("Please use AWS4-HMAC-SHA256", raised.exception.read().decode("utf-8"))
        v4 = _client(config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
        expected = self.s3.get_object(Bucket=self.bucket, Key=self.outputs["dataKey"])["Body"].read()
        url = v4.generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": self.outputs["dataKey"]}, ExpiresIn=60)
        with urllib.request.urlopen(url, timeout=10) as response:
            self.assertEqual(response.read(), expected)
        short = v4.generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": self.outputs["dataKey"]}, ExpiresIn=1)
        time.sleep(2.2)
        with self.assertRaises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(short, timeout=10)
        self.assertEqual(raised.exception.code, 403)
        self.assertIn("Request has expired", raised.exception.read().decode("utf-8"))

    def test_managed_multipart_upload_assembles_the_parts(self):
        """CreateMultipartUpload / UploadPart / CompleteMultipartUpload (service-2.json), driven by
        boto3's transfer manager as `aws s3 cp` does: the object is the parts in order."""
        body = os.urandom(11 * 1024 * 1024)
        key = self.prefix + "multipart.bin"
        config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024, use_threads=False)
        self.s3.upload_fileobj(io.BytesIO(body), self.bucket, key, Config=config)
        got = self.s3.get_object(Bucket=self.bucket, Key=key)
        self.assertEqual(got["ContentLength"], len(body))
        self.assertEqual(hashlib.sha256(got["Body"].read()).hexdigest(), hashlib.sha256(body).hexdigest())

    def test_bucket_configuration_is_what_the_program_set(self):
        """GetBucketVersioning, GetBucketEncryption, GetPublicAccessBlock, GetBucketOwnershipControls,
        GetBucketPolicy (service-2.json): the lab's bucket is versioned, SSE-S3 encrypted, blocks all
        public access, is owner-enforced and denies insecure transport."""
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=self.bucket)["Status"], "Enabled")
        rules = self.s3.get_bucket_encryption(Bucket=self.bucket)["ServerSideEncryptionConfiguration"]["Rules"]
        self.assertEqual(rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "AES256")
        block = self.s3.get_public_access_block(Bucket=self.bucket)["PublicAccessBlockConfiguration"]
        self.assertEqual(block, {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
        ownership = self.s3.get_bucket_ownership_controls(Bucket=self.bucket)["OwnershipControls"]["Rules"]
        self.assertEqual(ownership, [{"ObjectOwnership": "BucketOwnerEnforced"}])
        policy = json.loads(self.s3.get_bucket_policy(Bucket=self.bucket)["Policy"])
        conditions = [json.dumps(s.get("Condition", {})) for s in policy["Statement"] if s["Effect"] == "Deny"]
        self.assertTrue(any("aws:SecureTransport" in c for c in conditions), policy)


if __name__ == "__main__":
    unittest.main()
