"""Tests of etl/glue_job.py: the S3 path with a fake client, argument parsing (argparse and
awsglue), and local mode end to end in a child process."""

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import types
import unittest
from unittest import mock

import glue_job
from glue_job import JobError, main, parse_job_args, run_local_job, run_s3_job
from transform import parse_filter, parse_schema

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "glue_job.py")
SAMPLE = os.path.join(HERE, "data", "orders.csv")

COLUMNS = ["order_id", "order_date", "customer_id", "region", "product", "quantity",
           "unit_price", "amount", "status"]
TYPES = ["string", "date", "string", "string", "string", "int", "decimal", "decimal", "string"]
SCHEMA_JSON = json.dumps([{"name": n, "type": t} for n, t in zip(COLUMNS, TYPES)])
FILTER_JSON = '{"column":"amount","operator":"ge","value":"100"}'
HEADER = ",".join(COLUMNS)
CSV_BYTES = (
    HEADER + "\r\n"
    "O-1,2025-01-05,C-1,NA,\"Cable, USB-C\",2,60.00,120.00,SHIPPED\r\n"
    "O-2,2025-01-06,C-2,EU,Mouse,1,24.50,24.50,PENDING\r\n"
    "O-3,2025-02-30,C-3,EU,Mouse,1,24.50,24.50,PENDING\r\n"
).encode("utf-8")
MANIFEST_KEYS = {"job_run_id", "source", "input_rows", "kept", "filtered_out", "rejected",
                 "header", "filter", "data_key", "rejects_key"}
S3_ARGS = ["--JOB_RUN_ID", "jr_abc", "--source_bucket", "data-bucket", "--source_key", "in/orders.csv",
           "--output_bucket", "out-bucket", "--output_prefix", "output",
           "--schema", SCHEMA_JSON, "--filter", FILTER_JSON]


class FakeClientError(Exception):
    """Shaped like botocore's ClientError: the error code is in response["Error"]["Code"]."""

    def __init__(self, code):
        super(FakeClientError, self).__init__("An error occurred (%s)" % code)
        self.response = {"Error": {"Code": code, "Message": code}}


class FakeBody(object):
    """A get_object Body that only allows bounded reads, like a stream that cannot be slurped."""

    MAX_READ = 1024 * 1024

    def __init__(self, data, fail_after=None):
        self._stream = io.BytesIO(data)
        self._fail_after = fail_after
        self.read_sizes = []
        self.closed = False

    def read(self, amt=None):
        if amt is None or amt < 0 or amt > self.MAX_READ:
            raise AssertionError("Body.read(%r): the job must stream, not read everything" % amt)
        self.read_sizes.append(amt)
        if self._fail_after is not None and self._stream.tell() >= self._fail_after:
            raise IOError("Connection broken: IncompleteRead")
        return self._stream.read(amt)

    def close(self):
        self.closed = True


class FakeS3(object):
    """The three S3 client calls the job makes, recorded in order."""

    def __init__(self, objects=None, get_error=None, fail_upload_key=None, body_fail_after=None):
        self.objects = dict(objects or {})
        self.get_error = get_error
        self.fail_upload_key = fail_upload_key
        self.body_fail_after = body_fail_after
        self.calls = []
        self.written = {}
        self.bodies = []

    def get_object(self, Bucket, Key):
        self.calls.append(("get_object", Bucket, Key))
        if self.get_error:
            raise FakeClientError(self.get_error)
        if (Bucket, Key) not in self.objects:
            raise FakeClientError("NoSuchKey")
        body = FakeBody(self.objects[(Bucket, Key)], self.body_fail_after)
        self.bodies.append(body)
        return {"Body": body}

    def upload_file(self, Filename, Bucket, Key, ExtraArgs=None):
        self.calls.append(("upload_file", Bucket, Key))
        if Key == self.fail_upload_key:
            raise FakeClientError("AccessDenied")
        with open(Filename, "rb") as stream:
            self.written[(Bucket, Key)] = (stream.read(), (ExtraArgs or {}).get("ContentType"))

    def put_object(self, Bucket, Key, Body, ContentType=None):
        self.calls.append(("put_object", Bucket, Key))
        self.written[(Bucket, Key)] = (Body, ContentType)


def quiet(_message):
    pass


def parsed():
    schema = parse_schema(SCHEMA_JSON)
    return schema, parse_filter(FILTER_JSON, schema)


class S3JobTest(unittest.TestCase):
    def run_job(self, client, key="in/orders.csv", log=quiet):
        schema, filt = parsed()
        return run_s3_job(client, "jr_abc", "data-bucket", key, "out-bucket", "output",
                          schema, filt, log=log)

    def test_outputs_and_manifest_written_last(self):
        client = FakeS3({("data-bucket", "in/orders.csv"): CSV_BYTES})
        manifest = self.run_job(client)
        self.assertEqual(client.calls, [
            ("get_object", "data-bucket", "in/orders.csv"),
            ("upload_file", "out-bucket", "output/jr_abc/data.csv"),
            ("upload_file", "out-bucket", "output/jr_abc/rejects.csv"),
            ("put_object", "out-bucket", "output/jr_abc/_manifest.json"),
        ])
        data, data_type = client.written[("out-bucket", "output/jr_abc/data.csv")]
        self.assertEqual(data.decode(), HEADER + '\nO-1,2025-01-05,C-1,NA,"Cable, USB-C",2,60.00,120.00,SHIPPED\n')
        self.assertTrue(data_type.startswith("text/csv"))
        rejects, _ = client.written[("out-bucket", "output/jr_abc/rejects.csv")]
        self.assertEqual(rejects.decode(), "line_number,reason,raw\n"
                         "4,order_date: not a date: '2025-02-30',"
                         "\"O-3,2025-02-30,C-3,EU,Mouse,1,24.50,24.50,PENDING\"\n")
        body, content_type = client.written[("out-bucket", "output/jr_abc/_manifest.json")]
        self.assertEqual(content_type, "application/json")
        written_manifest = json.loads(body.decode("utf-8"))
        self.assertEqual(written_manifest, manifest)
        self.assertEqual(set(written_manifest), MANIFEST_KEYS)
        self.assertEqual(written_manifest, {
            "job_run_id": "jr_abc",
            "source": "s3://data-bucket/in/orders.csv",
            "input_rows": 3, "kept": 1, "filtered_out": 1, "rejected": 1,
            "header": COLUMNS,
            "filter": {"column": "amount", "operator": "ge", "value": "100"},
            "data_key": "output/jr_abc/data.csv",
            "rejects_key": "output/jr_abc/rejects.csv",
        })

    def test_body_is_streamed_in_bounded_reads_and_closed(self):
        client = FakeS3({("data-bucket", "in/orders.csv"): CSV_BYTES * 1})
        self.run_job(client)
        body = client.bodies[0]
        self.assertTrue(body.read_sizes)
        self.assertLessEqual(max(body.read_sizes), FakeBody.MAX_READ)
        self.assertTrue(body.closed)

    def test_progress_and_final_counts_are_logged(self):
        lines = []
        client = FakeS3({("data-bucket", "in/orders.csv"): CSV_BYTES})
        schema, filt = parsed()
        run_s3_job(client, "jr_abc", "data-bucket", "in/orders.csv", "out-bucket", "output",
                   schema, filt, log=lines.append, progress_every=2)
        self.assertIn("progress: 2 rows read (kept 1, filtered_out 1, rejected 0)", lines)
        self.assertIn("done: input_rows=3 kept=1 filtered_out=1 rejected=1", lines)
        self.assertEqual(lines[-1], "wrote s3://out-bucket/output/jr_abc/_manifest.json")

    def test_unreadable_source_is_a_clear_error_and_writes_nothing(self):
        cases = [
            (FakeS3(), "source object s3://data-bucket/in/orders.csv not found"),
            (FakeS3(get_error="NoSuchBucket"),
             "source bucket data-bucket not found (reading s3://data-bucket/in/orders.csv)"),
            (FakeS3(get_error="AccessDenied"), "access denied reading s3://data-bucket/in/orders.csv"),
            (FakeS3(get_error="SlowDown"), "cannot read s3://data-bucket/in/orders.csv: An error occurred (SlowDown)"),
        ]
        for client, message in cases:
            with self.subTest(message=message):
                with self.assertRaises(JobError) as caught:
                    self.run_job(client)
                self.assertEqual(str(caught.exception), message)
                self.assertEqual(client.written, {})

    def test_header_mismatch_writes_nothing(self):
        client = FakeS3({("data-bucket", "in/orders.csv"): b"id,amount\n1,2\n"})
        with self.assertRaises(JobError) as caught:
            self.run_job(client)
        self.assertEqual(str(caught.exception),
                         "header mismatch at line 1: expected %s; got id,amount "
                         "(source s3://data-bucket/in/orders.csv)" % HEADER)
        self.assertEqual(client.written, {})

    def test_read_failure_mid_stream_names_the_object_and_writes_nothing(self):
        big = CSV_BYTES + b"O-9,2025-01-05,C-1,NA,Mouse,2,60.00,120.00,SHIPPED\n" * 20000
        client = FakeS3({("data-bucket", "in/orders.csv"): big}, body_fail_after=100000)
        with self.assertRaises(JobError) as caught:
            self.run_job(client)
        self.assertEqual(str(caught.exception),
                         "reading s3://data-bucket/in/orders.csv failed: Connection broken: IncompleteRead")
        self.assertEqual(client.written, {})

    def test_failed_upload_leaves_no_manifest(self):
        client = FakeS3({("data-bucket", "in/orders.csv"): CSV_BYTES},
                        fail_upload_key="output/jr_abc/rejects.csv")
        with self.assertRaises(JobError) as caught:
            self.run_job(client)
        self.assertIn("writing s3://out-bucket/output/jr_abc/rejects.csv failed", str(caught.exception))
        self.assertNotIn(("out-bucket", "output/jr_abc/_manifest.json"), client.written)


class MainTest(unittest.TestCase):
    def call_main(self, args, client):
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            status = main(args, s3_client=client, log=quiet)
        return status, stderr.getvalue()

    def test_s3_mode_success(self):
        client = FakeS3({("data-bucket", "in/orders.csv"): CSV_BYTES})
        status, stderr = self.call_main(S3_ARGS, client)
        self.assertEqual((status, stderr), (0, ""))
        self.assertEqual(client.calls[-1], ("put_object", "out-bucket", "output/jr_abc/_manifest.json"))

    def test_missing_source_exits_1_with_one_line(self):
        status, stderr = self.call_main(S3_ARGS, FakeS3())
        self.assertEqual(status, 1)
        self.assertEqual(stderr, "ERROR: source object s3://data-bucket/in/orders.csv not found\n")

    def test_usage_errors_exit_2(self):
        without_key = S3_ARGS[:4] + S3_ARGS[6:]
        cases = [
            (without_key, "ERROR: missing --source_key (s3 mode)\n"),
            (S3_ARGS[2:], "ERROR: missing --JOB_RUN_ID (s3 mode)\n"),
            (S3_ARGS[:9] + ["/output/"] + S3_ARGS[10:],
             "ERROR: --output_prefix must not start or end with '/': '/output/'\n"),
            (S3_ARGS[:-1] + ['{"column":"amount","operator":"between","value":"1"}'],
             "ERROR: filter: unknown operator 'between'; valid operators: eq, ne, gt, ge, lt, le, in\n"),
            (S3_ARGS[:11] + ["[{]"] + S3_ARGS[12:], "ERROR: schema is not valid JSON"),
            (["--local_input", "x.csv", "--local_out", "o", "--source_bucket", "b",
              "--schema", SCHEMA_JSON, "--filter", FILTER_JSON],
             "ERROR: --local_input cannot be combined with --source_bucket\n"),
        ]
        for args, message in cases:
            with self.subTest(message=message):
                client = FakeS3({("data-bucket", "in/orders.csv"): CSV_BYTES})
                status, stderr = self.call_main(args, client)
                self.assertEqual(status, 2)
                self.assertTrue(stderr.startswith(message), stderr)
                self.assertEqual(client.calls, [])


class ArgumentsTest(unittest.TestCase):
    def test_argparse_fallback_reads_every_option(self):
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            job = parse_job_args(S3_ARGS + ["--JOB_NAME", "etl", "--TempDir", "s3://t/"])
        self.assertEqual(stderr.getvalue(),
                         "note: ignoring arguments this job does not use: --JOB_NAME etl --TempDir s3://t/\n")
        self.assertEqual(
            (job.mode, job.job_run_id, job.source_bucket, job.source_key, job.output_bucket,
             job.output_prefix),
            ("s3", "jr_abc", "data-bucket", "in/orders.csv", "out-bucket", "output"))
        self.assertEqual(job.filter.spec, json.loads(FILTER_JSON))
        self.assertEqual([name for name, _ in job.schema], COLUMNS)

    def test_local_mode_defaults_the_run_id(self):
        job = parse_job_args(["--local_input", "in.csv", "--local_out", "out",
                              "--schema", SCHEMA_JSON, "--filter", FILTER_JSON])
        self.assertEqual((job.mode, job.job_run_id, job.local_input, job.local_out),
                         ("local", "local", "in.csv", "out"))

    def test_uses_glue_get_resolved_options_when_awsglue_is_importable(self):
        calls = []

        def get_resolved_options(argv, options):
            # Like awsglue: JOB_RUN_ID is reserved (naming it raises) but always parsed.
            if "JOB_RUN_ID" in options:
                raise RuntimeError("Using reserved arguments --JOB_RUN_ID")
            calls.append(list(options))
            values = dict(zip(argv[1::2], argv[2::2]))
            resolved = {name: values["--" + name] for name in options}
            resolved["JOB_RUN_ID"] = values.get("--JOB_RUN_ID")
            return resolved

        awsglue = types.ModuleType("awsglue")
        utils = types.ModuleType("awsglue.utils")
        utils.getResolvedOptions = get_resolved_options
        awsglue.utils = utils
        with mock.patch.dict(sys.modules, {"awsglue": awsglue, "awsglue.utils": utils}):
            job = parse_job_args(S3_ARGS)
        self.assertEqual(calls, [list(glue_job.S3_OPTIONS)])
        self.assertEqual((job.job_run_id, job.source_key), ("jr_abc", "in/orders.csv"))


class LocalJobTest(unittest.TestCase):
    def setUp(self):
        self.workdir = tempfile.mkdtemp(prefix="etl-test-")
        self.addCleanup(shutil.rmtree, self.workdir)
        self.out = os.path.join(self.workdir, "out")

    def write_input(self, data, name="in.csv"):
        path = os.path.join(self.workdir, name)
        with open(path, "wb") as stream:
            stream.write(data)
        return path

    def run_script(self, *args, **kwargs):
        command = kwargs.pop("command", [sys.executable, SCRIPT])
        return subprocess.run(command + list(args), capture_output=True, text=True,
                              timeout=120, **kwargs)

    def local_args(self, input_path, *extra):
        return ["--local_input", input_path, "--local_out", self.out,
                "--schema", SCHEMA_JSON, "--filter", FILTER_JSON] + list(extra)

    def test_sample_file_end_to_end(self):
        done = self.run_script(*self.local_args(SAMPLE, "--JOB_RUN_ID", "jr_local_1"))
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stderr, "")
        self.assertIn("done: input_rows=2000 kept=1400 filtered_out=596 rejected=4", done.stdout)
        with open(os.path.join(self.out, "_manifest.json"), encoding="utf-8") as stream:
            manifest = json.load(stream)
        self.assertEqual(manifest, {
            "job_run_id": "jr_local_1", "source": SAMPLE,
            "input_rows": 2000, "kept": 1400, "filtered_out": 596, "rejected": 4,
            "header": COLUMNS, "filter": json.loads(FILTER_JSON),
            "data_key": os.path.join(self.out, "data.csv"),
            "rejects_key": os.path.join(self.out, "rejects.csv"),
        })
        with open(os.path.join(self.out, "data.csv"), encoding="utf-8", newline="") as stream:
            data_lines = stream.read().split("\n")
        self.assertEqual(data_lines[0], HEADER)
        self.assertEqual(len(data_lines), 1 + 1400 + 1)  # header, kept rows, final ""
        self.assertEqual(sorted(os.listdir(self.out)), ["_manifest.json", "data.csv", "rejects.csv"])

    def test_malformed_rows_still_exit_0(self):
        path = self.write_input(HEADER.encode() + b"\nshort,row\n\xff\n")
        done = self.run_script(*self.local_args(path))
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(os.path.join(self.out, "rejects.csv"), encoding="utf-8") as stream:
            self.assertEqual(stream.read(), "line_number,reason,raw\n"
                             "2,\"expected 9 fields, got 2\",\"short,row\"\n"
                             "3,not valid UTF-8,\\xff\n")

    def test_unreadable_inputs_exit_1_with_one_clear_line(self):
        missing = os.path.join(self.workdir, "missing.csv")
        wrong_header = self.write_input(b"id,amount\n1,2\n", "wrong.csv")
        cases = [
            (missing, "ERROR: input file %s not found\n" % missing),
            (self.workdir, "ERROR: input %s is a directory, not a file\n" % self.workdir),
            (wrong_header, "ERROR: header mismatch at line 1: expected %s; got id,amount (source %s)\n"
             % (HEADER, wrong_header)),
        ]
        for path, message in cases:
            with self.subTest(path=path):
                done = self.run_script(*self.local_args(path))
                self.assertEqual(done.returncode, 1)
                self.assertEqual(done.stderr, message)
                self.assertFalse(os.path.exists(os.path.join(self.out, "_manifest.json")))

    def test_missing_options_exit_2(self):
        done = self.run_script("--local_input", SAMPLE)
        self.assertEqual(done.returncode, 2)
        self.assertEqual(done.stderr, "ERROR: missing --local_out, --schema, --filter (local mode)\n")

    def test_failed_run_removes_a_stale_manifest(self):
        os.makedirs(self.out)
        with open(os.path.join(self.out, "_manifest.json"), "w") as stream:
            stream.write("{}")
        wrong_header = self.write_input(b"id\n")
        schema, filt = parsed()
        with self.assertRaises(JobError):
            run_local_job(wrong_header, self.out, "local", schema, filt, log=quiet)
        self.assertEqual(os.listdir(self.out), [])

    def test_manifest_is_the_last_file_put_in_place(self):
        placed = []
        real_replace = os.replace

        def recording_replace(source, target):
            placed.append(os.path.basename(target))
            return real_replace(source, target)

        schema, filt = parsed()
        with mock.patch.object(glue_job.os, "replace", recording_replace):
            run_local_job(self.write_input(CSV_BYTES), self.out, "local", schema, filt, log=quiet)
        self.assertEqual(placed, ["data.csv", "rejects.csv", "_manifest.json"])

    def test_runs_with_transform_beside_it_from_any_working_directory(self):
        # Like Glue's launcher: the script is executed by path, its folder not on sys.path.
        bundle = os.path.join(self.workdir, "bundle")
        os.makedirs(bundle)
        for name in ("glue_job.py", "transform.py"):
            shutil.copy(os.path.join(HERE, name), bundle)
        launcher = ("import runpy, sys; sys.argv = [%r] + sys.argv[1:]; "
                    "runpy.run_path(%r, run_name='__main__')"
                    % (os.path.join(bundle, "glue_job.py"), os.path.join(bundle, "glue_job.py")))
        done = self.run_script(*self.local_args(self.write_input(CSV_BYTES)),
                               command=[sys.executable, "-I", "-c", launcher], cwd=self.workdir)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("done: input_rows=3 kept=1 filtered_out=1 rejected=1", done.stdout)


if __name__ == "__main__":
    unittest.main()
