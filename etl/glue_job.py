"""Glue Python shell job (Python 3.9): filter one CSV object from S3 into a per-run output prefix.

S3 mode (how Glue runs it; Glue adds --JOB_RUN_ID itself):
    glue_job.py --JOB_RUN_ID jr_... --source_bucket B --source_key K
                --output_bucket B --output_prefix P --schema '<json>' --filter '<json>'
    writes s3://<output_bucket>/<P>/<JOB_RUN_ID>/data.csv, rejects.csv, then _manifest.json LAST.

Local mode (same code path, local files instead of S3 objects):
    glue_job.py --local_input FILE --local_out DIR --schema '<json>' --filter '<json>'
                [--JOB_RUN_ID local]
    writes DIR/data.csv, DIR/rejects.csv, then DIR/_manifest.json LAST.

Both modes also accept --progress_every N (a progress line every N input rows; default 100000)
when the arguments are parsed without awsglue.

Arguments are read with awsglue.utils.getResolvedOptions when awsglue is importable (on Glue),
otherwise with argparse under the same option names. Progress goes to stdout (Glue's output log).
Exit status: 0 when the source could be read (malformed rows are rejected, not fatal);
1 with one "ERROR: ..." line on stderr when the source cannot be read (missing, not a file,
wrong header) or the output cannot be written; 2 for wrong arguments, schema or filter.

The manifest (_manifest.json), written after both data files so that its presence means the run
finished its output:
    {"job_run_id", "source", "input_rows", "kept", "filtered_out", "rejected",
     "header": [names], "filter": {column, operator, value}, "data_key", "rejects_key"}
with source "s3://B/K" and keys relative to the output bucket in S3 mode, and source = the input
path and data_key/rejects_key = the written file paths in local mode.

transform.py ships next to this script (Glue --extra-py-files); this script's own folder is put
on sys.path so that it also runs when both files simply sit in one folder. boto3 is imported only
in S3 mode, and only when no client is injected: the I/O functions take the client as an argument.
boto3 itself honours AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL for a custom S3 endpoint.
"""

import argparse
import collections
import io
import json
import os
import sys
import tempfile

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from transform import HeaderError, open_text_input, parse_filter, parse_schema, transform  # noqa: E402

S3_OPTIONS = ("source_bucket", "source_key", "output_bucket", "output_prefix", "schema", "filter")
LOCAL_OPTIONS = ("local_input", "local_out", "schema", "filter")
DATA_FILE = "data.csv"
REJECTS_FILE = "rejects.csv"
MANIFEST_FILE = "_manifest.json"
DEFAULT_LOCAL_RUN_ID = "local"
PROGRESS_EVERY = 100000
_READ_BUFFER_BYTES = 1024 * 1024

JobArgs = collections.namedtuple(
    "JobArgs",
    ["mode", "job_run_id", "source_bucket", "source_key", "output_bucket", "output_prefix",
     "local_input", "local_out", "schema", "filter", "progress_every"],
)


class JobError(Exception):
    """A failure reported as one "ERROR: ..." line with exit status 1."""

    exit_status = 1


class UsageError(JobError):
    """Wrong arguments, schema or filter: exit status 2."""

    exit_status = 2


def _log(message):
    print(message, flush=True)


# ---------------------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------------------

class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _argparse_options(args):
    parser = _ArgumentParser(prog="glue_job.py", allow_abbrev=False, add_help=False)
    for name in ("JOB_RUN_ID",) + S3_OPTIONS + ("local_input", "local_out"):
        parser.add_argument("--" + name)
    parser.add_argument("--progress_every", type=int, default=PROGRESS_EVERY)
    parsed, unknown = parser.parse_known_args(args)
    if unknown:
        # Tolerated like Glue tolerates its own extra arguments (--JOB_NAME, --TempDir...).
        print("note: ignoring arguments this job does not use: %s" % " ".join(unknown),
              file=sys.stderr)
    return vars(parsed)


def _glue_options(args):
    """getResolvedOptions, or None when awsglue is not importable (not on Glue)."""
    try:
        from awsglue.utils import getResolvedOptions
    except ImportError:
        return None
    try:
        # JOB_RUN_ID is reserved by awsglue: naming it raises; it is always parsed anyway.
        return getResolvedOptions([sys.argv[0]] + list(args), list(S3_OPTIONS))
    except Exception as err:  # awsglue raises its own GlueArgumentError or RuntimeError
        raise UsageError(str(err))


def parse_job_args(args):
    """Parse the job's arguments (without the program name) into JobArgs."""
    local = any(arg == "--local_input" or arg.startswith("--local_input=") for arg in args)
    options = None if local else _glue_options(args)
    if options is None:
        options = _argparse_options(args)
    mode = "local" if local else "s3"
    required = LOCAL_OPTIONS if local else S3_OPTIONS + ("JOB_RUN_ID",)
    missing = ["--" + name for name in required if not options.get(name)]
    if missing:
        raise UsageError("missing %s (%s mode)" % (", ".join(missing), mode))
    if local:
        mixed = ["--" + name for name in S3_OPTIONS if name not in LOCAL_OPTIONS and options.get(name)]
        if mixed:
            raise UsageError("--local_input cannot be combined with %s" % ", ".join(mixed))
    job_run_id = options.get("JOB_RUN_ID") or DEFAULT_LOCAL_RUN_ID
    if "/" in job_run_id:
        raise UsageError("--JOB_RUN_ID must not contain '/': %r" % job_run_id)
    prefix = options.get("output_prefix")
    if prefix is not None and (prefix.startswith("/") or prefix.endswith("/")):
        raise UsageError("--output_prefix must not start or end with '/': %r" % prefix)
    progress_every = options.get("progress_every") or PROGRESS_EVERY
    if progress_every < 1:
        raise UsageError("--progress_every must be >= 1, got %d" % progress_every)
    try:
        schema = parse_schema(options["schema"])
    except ValueError as err:
        raise UsageError(str(err))  # names the schema entry
    try:
        filt = parse_filter(options["filter"], schema)
    except ValueError as err:
        raise UsageError(str(err))  # names the filter field
    return JobArgs(
        mode, job_run_id, options.get("source_bucket"), options.get("source_key"),
        options.get("output_bucket"), prefix, options.get("local_input"),
        options.get("local_out"), schema, filt, progress_every,
    )


# ---------------------------------------------------------------------------------------
# Shared core
# ---------------------------------------------------------------------------------------

def build_manifest(job_run_id, source, counts, schema, filt, data_key, rejects_key):
    """The _manifest.json content (see the module docstring)."""
    return {
        "job_run_id": job_run_id,
        "source": source,
        "input_rows": counts.input_rows,
        "kept": counts.kept,
        "filtered_out": counts.filtered_out,
        "rejected": counts.rejected,
        "header": [name for name, _ in schema],
        "filter": dict(filt.spec),
        "data_key": data_key,
        "rejects_key": rejects_key,
    }


def manifest_bytes(manifest):
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _transform_to_files(text_stream, source, data_path, rejects_path, schema, filt,
                        log, progress_every):
    def progress(counts):
        log("progress: %d rows read (kept %d, filtered_out %d, rejected %d)" % counts)

    log("reading %s" % source)
    try:
        with open(data_path, "w", encoding="utf-8", newline="") as data_stream, \
                open(rejects_path, "w", encoding="utf-8", newline="") as rejects_stream:
            counts = transform(text_stream, data_stream, rejects_stream, schema, filt,
                               progress=progress, progress_every=progress_every)
    except HeaderError as err:
        raise JobError("%s (source %s)" % (err, source))
    log("done: input_rows=%d kept=%d filtered_out=%d rejected=%d" % counts)
    return counts


# ---------------------------------------------------------------------------------------
# S3 mode
# ---------------------------------------------------------------------------------------

def make_s3_client():
    import boto3  # imported here: local mode and the tests run without boto3

    return boto3.client("s3")


def _error_code(err):
    response = getattr(err, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


class _S3BodyReader(io.RawIOBase):
    """A raw binary stream over a get_object Body, read piece by piece (never all at once)."""

    def __init__(self, body, source):
        super(_S3BodyReader, self).__init__()
        self._body = body
        self._source = source

    def readable(self):
        return True

    def readinto(self, buffer):
        try:
            data = self._body.read(len(buffer))
        except Exception as err:  # botocore read/timeout errors: name the object
            raise JobError("reading %s failed: %s" % (self._source, err))
        buffer[:len(data)] = data
        return len(data)

    def close(self):
        close_body = getattr(self._body, "close", None)
        if close_body is not None:
            close_body()
        super(_S3BodyReader, self).close()


def open_s3_text(client, bucket, key):
    """get_object as a streaming text stream for transform; JobError when unreadable."""
    source = "s3://%s/%s" % (bucket, key)
    try:
        response = client.get_object(Bucket=bucket, Key=key)
    except Exception as err:
        code = _error_code(err)
        if code in ("NoSuchKey", "404", "NotFound"):
            raise JobError("source object %s not found" % source)
        if code == "NoSuchBucket":
            raise JobError("source bucket %s not found (reading %s)" % (bucket, source))
        if code in ("AccessDenied", "403", "Forbidden"):
            raise JobError("access denied reading %s" % source)
        raise JobError("cannot read %s: %s" % (source, err))
    raw = _S3BodyReader(response["Body"], source)
    return open_text_input(io.BufferedReader(raw, buffer_size=_READ_BUFFER_BYTES))


def _upload(client, path, bucket, key, content_type):
    try:
        client.upload_file(Filename=path, Bucket=bucket, Key=key,
                           ExtraArgs={"ContentType": content_type})
    except Exception as err:
        raise JobError("writing s3://%s/%s failed: %s" % (bucket, key, err))


def run_s3_job(client, job_run_id, source_bucket, source_key, output_bucket, output_prefix,
               schema, filt, log=_log, progress_every=PROGRESS_EVERY):
    """Stream s3://source_bucket/source_key through transform; upload data, rejects, manifest.

    client is a boto3 S3 client or any object with get_object, upload_file and put_object.
    Returns the manifest. Raises JobError when the source cannot be read or output written;
    nothing is uploaded when the source cannot be read.
    """
    source = "s3://%s/%s" % (source_bucket, source_key)
    run_prefix = "%s/%s" % (output_prefix, job_run_id)
    data_key = run_prefix + "/" + DATA_FILE
    rejects_key = run_prefix + "/" + REJECTS_FILE
    manifest_key = run_prefix + "/" + MANIFEST_FILE
    with tempfile.TemporaryDirectory(prefix="etl-") as workdir:
        data_path = os.path.join(workdir, DATA_FILE)
        rejects_path = os.path.join(workdir, REJECTS_FILE)
        with open_s3_text(client, source_bucket, source_key) as text_stream:
            counts = _transform_to_files(text_stream, source, data_path, rejects_path,
                                         schema, filt, log, progress_every)
        _upload(client, data_path, output_bucket, data_key, "text/csv; charset=utf-8")
        log("wrote s3://%s/%s" % (output_bucket, data_key))
        _upload(client, rejects_path, output_bucket, rejects_key, "text/csv; charset=utf-8")
        log("wrote s3://%s/%s" % (output_bucket, rejects_key))
    manifest = build_manifest(job_run_id, source, counts, schema, filt, data_key, rejects_key)
    try:
        client.put_object(Bucket=output_bucket, Key=manifest_key, Body=manifest_bytes(manifest),
                          ContentType="application/json")
    except Exception as err:
        raise JobError("writing s3://%s/%s failed: %s" % (output_bucket, manifest_key, err))
    log("wrote s3://%s/%s" % (output_bucket, manifest_key))
    return manifest


# ---------------------------------------------------------------------------------------
# Local mode
# ---------------------------------------------------------------------------------------

def _open_local_input(path):
    if os.path.isdir(path):
        raise JobError("input %s is a directory, not a file" % path)
    try:
        return open_text_input(open(path, "rb"))
    except FileNotFoundError:
        raise JobError("input file %s not found" % path)
    except PermissionError:
        raise JobError("cannot read input file %s: permission denied" % path)
    except OSError as err:
        raise JobError("cannot read input file %s: %s" % (path, err.strerror or err))


def _prepare_out_dir(out_dir):
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise JobError("output %s exists and is not a directory" % out_dir)
    try:
        os.makedirs(out_dir, exist_ok=True)
        # A manifest left by an earlier run would claim this run finished: remove it first.
        stale = os.path.join(out_dir, MANIFEST_FILE)
        if os.path.exists(stale):
            os.remove(stale)
    except OSError as err:
        raise JobError("cannot write to output directory %s: %s" % (out_dir, err.strerror or err))


def run_local_job(input_path, out_dir, job_run_id, schema, filt, log=_log,
                  progress_every=PROGRESS_EVERY):
    """The S3 job's path with local files: DIR/data.csv, DIR/rejects.csv, DIR/_manifest.json."""
    text_stream = _open_local_input(input_path)
    with text_stream:
        _prepare_out_dir(out_dir)
        data_path = os.path.join(out_dir, DATA_FILE)
        rejects_path = os.path.join(out_dir, REJECTS_FILE)
        partial = ".partial"
        try:
            counts = _transform_to_files(text_stream, input_path, data_path + partial,
                                         rejects_path + partial, schema, filt, log,
                                         progress_every)
        except BaseException:
            for path in (data_path + partial, rejects_path + partial):
                if os.path.exists(path):
                    os.remove(path)
            raise
    os.replace(data_path + partial, data_path)
    log("wrote %s" % data_path)
    os.replace(rejects_path + partial, rejects_path)
    log("wrote %s" % rejects_path)
    manifest = build_manifest(job_run_id, input_path, counts, schema, filt, data_path, rejects_path)
    manifest_path = os.path.join(out_dir, MANIFEST_FILE)
    with open(manifest_path + partial, "wb") as stream:
        stream.write(manifest_bytes(manifest))
    os.replace(manifest_path + partial, manifest_path)
    log("wrote %s" % manifest_path)
    return manifest


# ---------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------

def main(args=None, s3_client=None, log=_log):
    """Run the job; returns the exit status. args excludes the program name."""
    if args is None:
        args = sys.argv[1:]
    try:
        job = parse_job_args(args)
        if job.mode == "local":
            run_local_job(job.local_input, job.local_out, job.job_run_id, job.schema,
                          job.filter, log, job.progress_every)
        else:
            client = s3_client if s3_client is not None else make_s3_client()
            run_s3_job(client, job.job_run_id, job.source_bucket, job.source_key,
                       job.output_bucket, job.output_prefix, job.schema, job.filter,
                       log, job.progress_every)
    except JobError as err:
        print("ERROR: %s" % err, file=sys.stderr, flush=True)
        return err.exit_status
    return 0


if __name__ == "__main__":
    sys.exit(main())
