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


    def test_put_object_returns_a_version_id_and_get_object_serves_each_version(self):
        """PutObject output VersionId (header x-amz-version-id); GetObject / HeadObject input VersionId
        (query versionId) return that version, output VersionId names it (service-2.json; S3 user guide,
        "Using versioning in S3 buckets": each PUT to a versioning-enabled bucket adds a version)."""
        key = self.prefix + "versions/object.txt"
        first = self.s3.put_object(Bucket=self.bucket, Key=key, Body=b"first")
        second = self.s3.put_object(Bucket=self.bucket, Key=key, Body=b"second!")
        self.assertNotEqual(first["VersionId"], second["VersionId"])
        old = self.s3.get_object(Bucket=self.bucket, Key=key, VersionId=first["VersionId"])
        self.assertEqual((old["Body"].read(), old["VersionId"]), (b"first", first["VersionId"]))
        latest = self.s3.get_object(Bucket=self.bucket, Key=key)
        self.assertEqual((latest["Body"].read(), latest["VersionId"]), (b"second!", second["VersionId"]))
        head = self.s3.head_object(Bucket=self.bucket, Key=key, VersionId=first["VersionId"])
        self.assertEqual((head["ContentLength"], head["ETag"]), (5, first["ETag"]))

    def test_get_object_of_an_unknown_version_is_no_such_version(self):
        """GetObject with a VersionId the key does not have: 404 NoSuchVersion (S3 API reference,
        "Error responses": NoSuchVersion, "The version ID specified in the request does not match an
        existing version")."""
        key = self.prefix + "versions/unknown.txt"
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=b"x")
        with self.assertRaises(ClientError) as raised:
            self.s3.get_object(Bucket=self.bucket, Key=key, VersionId="3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY")
        self.assertEqual(_error(raised.exception), ("NoSuchVersion", 404))

    def test_list_object_versions_pages_newest_first_with_is_latest(self):
        """ListObjectVersions (service-2.json ListObjectVersionsOutput: Versions[].Key, VersionId,
        IsLatest, ETag, Size, LastModified; paginators-1.json: input_token KeyMarker, VersionIdMarker,
        output_token NextKeyMarker, NextVersionIdMarker, limit_key MaxKeys). Versions of a key come
        newest first; keys in ascending order."""
        key_a, key_b = self.prefix + "versions/list/a", self.prefix + "versions/list/b"
        a1 = self.s3.put_object(Bucket=self.bucket, Key=key_a, Body=b"1")["VersionId"]
        a2 = self.s3.put_object(Bucket=self.bucket, Key=key_a, Body=b"22")["VersionId"]
        b1 = self.s3.put_object(Bucket=self.bucket, Key=key_b, Body=b"333")["VersionId"]
        pages = list(self.s3.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix=self.prefix + "versions/list/", PaginationConfig={"PageSize": 2}))
        self.assertEqual([page["IsTruncated"] for page in pages], [True, False])
        versions = [v for page in pages for v in page.get("Versions", [])]
        self.assertEqual([(v["Key"], v["VersionId"], v["IsLatest"], v["Size"]) for v in versions], [(key_a, a2, True, 2), (key_a, a1, False, 1), (key_b, b1, True, 3)])
        self.assertTrue(all("LastModified" in v and v["ETag"].startswith('"') for v in versions))

    def test_delete_without_version_adds_a_delete_marker(self):
        """DeleteObject on a versioning-enabled bucket without VersionId: output DeleteMarker true and
        the marker's VersionId; GetObject then 404 NoSuchKey with x-amz-delete-marker (S3 user guide,
        "Working with delete markers"); the earlier version stays readable by id; DeleteObject with the
        marker's VersionId removes it and the object is current again."""
        key = self.prefix + "versions/deleted.txt"
        put = self.s3.put_object(Bucket=self.bucket, Key=key, Body=b"keep")
        deleted = self.s3.delete_object(Bucket=self.bucket, Key=key)
        self.assertTrue(deleted["DeleteMarker"])
        with self.assertRaises(ClientError) as raised:
            self.s3.get_object(Bucket=self.bucket, Key=key)
        self.assertEqual(_error(raised.exception), ("NoSuchKey", 404))
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPHeaders"].get("x-amz-delete-marker"), "true")
        listed = self.s3.list_object_versions(Bucket=self.bucket, Prefix=key)
        self.assertEqual([(m["VersionId"], m["IsLatest"]) for m in listed["DeleteMarkers"]], [(deleted["VersionId"], True)])
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key=key, VersionId=put["VersionId"])["Body"].read(), b"keep")
        self.s3.delete_object(Bucket=self.bucket, Key=key, VersionId=deleted["VersionId"])
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read(), b"keep")

    def test_delete_with_version_removes_that_version(self):
        """DeleteObject with VersionId deletes that version permanently (S3 user guide, "Deleting object
        versions"); the previous version becomes current; reading the deleted one is NoSuchVersion."""
        key = self.prefix + "versions/undo.txt"
        older = self.s3.put_object(Bucket=self.bucket, Key=key, Body=b"older")["VersionId"]
        newer = self.s3.put_object(Bucket=self.bucket, Key=key, Body=b"newer")["VersionId"]
        self.assertEqual(self.s3.delete_object(Bucket=self.bucket, Key=key, VersionId=newer)["VersionId"], newer)
        current = self.s3.get_object(Bucket=self.bucket, Key=key)
        self.assertEqual((current["Body"].read(), current["VersionId"]), (b"older", older))
        with self.assertRaises(ClientError) as raised:
            self.s3.get_object(Bucket=self.bucket, Key=key, VersionId=newer)
        self.assertEqual(_error(raised.exception), ("NoSuchVersion", 404))

    def test_delete_objects_on_a_versioned_bucket_adds_markers_or_removes_versions(self):
        """DeleteObjects (service-2.json DeleteObjectsOutput.Deleted[]: Key, VersionId, DeleteMarker,
        DeleteMarkerVersionId): an object named without VersionId gets a delete marker, one named with
        a VersionId loses that version (S3 API reference, DeleteObjects)."""
        marked, trimmed = self.prefix + "versions/many/a", self.prefix + "versions/many/b"
        self.s3.put_object(Bucket=self.bucket, Key=marked, Body=b"a")
        keep = self.s3.put_object(Bucket=self.bucket, Key=trimmed, Body=b"b1")["VersionId"]
        drop = self.s3.put_object(Bucket=self.bucket, Key=trimmed, Body=b"b2")["VersionId"]
        result = self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [{"Key": marked}, {"Key": trimmed, "VersionId": drop}]})
        self.assertEqual(result.get("Errors", []), [])
        deleted = {d["Key"]: d for d in result["Deleted"]}
        self.assertTrue(deleted[marked]["DeleteMarker"])
        self.assertIn("DeleteMarkerVersionId", deleted[marked])
        self.assertEqual(deleted[trimmed]["VersionId"], drop)
        current = self.s3.get_object(Bucket=self.bucket, Key=trimmed)
        self.assertEqual((current["Body"].read(), current["VersionId"]), (b"b1", keep))

if __name__ == "__main__":
    unittest.main()
