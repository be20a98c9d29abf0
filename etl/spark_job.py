"""Glue 5.0 Spark job (glueetl, Spark 3.5, Python 3.11): the Python shell job's filter, run in parallel.

Same arguments, same data contract, same filter semantics as glue_job.py (whose argument parsing
and manifest it uses, with transform.py's classification), read as byte ranges by Spark tasks:

S3 mode (Glue adds --JOB_RUN_ID itself):
    spark_job.py --JOB_RUN_ID jr_... --source_bucket B --source_key K
                 --output_bucket B --output_prefix P --schema '<json>' --filter '<json>'
                 [--split_bytes N]
Local mode:
    spark_job.py --local_input FILE --local_out DIR --schema '<json>' --filter '<json>'
                 [--JOB_RUN_ID local] [--split_bytes N]

Output under <P>/<JOB_RUN_ID>/ (or DIR/): data/part-NNNNN.csv and rejects/part-NNNNN.csv, one pair
per range, in input order, each with its header (a CSV file of its own, as Spark writes parts), and
_manifest.json written LAST by the driver, when every part is written. The manifest is the Python
shell job's, with the lists "data_keys" and "rejects_keys" (the parts, in order) in place of
"data_key" and "rejects_key", and "engine": "spark". Concatenating the parts' rows gives exactly
the Python shell job's data.csv and rejects.csv rows.

How the ranges give the sequential result, exactly:
1. Stage 1 (parallel): the file is cut every --split_bytes bytes (default: equal ranges of at
   most 128 MiB, Spark's spark.sql.files.maxPartitionBytes, two or more per core; see
   default_split_bytes); each cut moves forward to the next physical line start
   (after "\\n", "\\r\\n" or a lone "\\r", the line ends the transform reads), and each task counts
   the physical lines of its range, so every range knows its first line's number in the file.
2. Stage 2 (parallel): each range is classified by transform.transform_range as if a record
   started at its first line. That holds when the range before ended between two records; when
   it ended inside one (a quoted field or an over-long record crossing the cut), the two ranges
   are read again as one range (and the later part is rewritten header-only), until none does.
Raw bytes are read (not Spark's text source, which decodes to UTF-8 with replacement), so bytes
that are not UTF-8 are rejected and shown exactly as the Python shell job shows them.

S3 is read and written with boto3 in the tasks, with the job role's credentials (Glue's executors
have the role's credentials as the Python shell job does): ranged GetObject, PutObject.
Exit status as glue_job.py's: 0 done, 1 source unreadable or output unwritable, 2 wrong arguments.
"""

import io
import os
import re
import shutil
import sys
import tempfile

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from glue_job import (  # noqa: E402
    MANIFEST_FILE, JobError, UsageError, build_manifest, manifest_bytes, parse_job_args,
)
from transform import Counts, HeaderError, open_text_input, transform_range  # noqa: E402

ENGINE = "spark"
DATA_DIR = "data"
REJECTS_DIR = "rejects"
# The bounds of Spark's file sources' splits (spark.sql.files.maxPartitionBytes 128 MiB,
# spark.sql.files.openCostInBytes 4 MiB), within which default_split_bytes spreads the file over
# the cores (spark.default.parallelism) in MIN_ROUNDS rounds or more.
MAX_SPLIT_BYTES = 128 * 1024 * 1024
MIN_SPLIT_BYTES = 4 * 1024 * 1024
MIN_ROUNDS = 2
_READ_CHUNK = 1024 * 1024
_LINE_END = re.compile(rb"\r\n|\n|\r")


def _log(message):
    print(message, flush=True)


def part_name(index):
    return "part-%05d.csv" % index


# ---------------------------------------------------------------------------------------
# Sources: a byte range of the input, read in a task
# ---------------------------------------------------------------------------------------

class LocalSource(object):
    def __init__(self, path):
        self.path = path
        self.name = path

    def size(self):
        if os.path.isdir(self.path):
            raise JobError("input %s is a directory, not a file" % self.path)
        try:
            return os.path.getsize(self.path)
        except FileNotFoundError:
            raise JobError("input file %s not found" % self.path)
        except OSError as err:
            raise JobError("cannot read input file %s: %s" % (self.path, err.strerror or err))

    def open_range(self, start, end):
        stream = open(self.path, "rb")
        stream.seek(start)
        return _Limited(stream, end - start)


class _S3Client(object):
    """A boto3 S3 client made on first use and left out when pickled: Spark ships sources and sinks to
    its executors by pickling, and a client made per read would cost more than the read."""

    def _client(self):
        client = self.__dict__.get("_boto3_client")
        if client is None:
            import boto3  # in the task's own process

            client = self.__dict__["_boto3_client"] = boto3.client("s3")
        return client

    def __getstate__(self):
        return {key: value for key, value in self.__dict__.items() if key != "_boto3_client"}


class S3Source(_S3Client):
    def __init__(self, bucket, key):
        self.bucket = bucket
        self.key = key
        self.name = "s3://%s/%s" % (bucket, key)

    def _fail(self, err):
        response = getattr(err, "response", None)
        code = str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""
        if code in ("NoSuchKey", "404", "NotFound"):
            return JobError("source object %s not found" % self.name)
        if code == "NoSuchBucket":
            return JobError("source bucket %s not found (reading %s)" % (self.bucket, self.name))
        if code in ("AccessDenied", "403", "Forbidden"):
            return JobError("access denied reading %s" % self.name)
        return JobError("cannot read %s: %s" % (self.name, err))

    def size(self):
        try:
            return int(self._client().head_object(Bucket=self.bucket, Key=self.key)["ContentLength"])
        except Exception as err:
            raise self._fail(err)

    def open_range(self, start, end):
        if end <= start:
            return io.BytesIO(b"")
        try:
            body = self._client().get_object(
                Bucket=self.bucket, Key=self.key, Range="bytes=%d-%d" % (start, end - 1))["Body"]
        except Exception as err:
            raise self._fail(err)
        return _Limited(body, end - start)


class _Limited(io.RawIOBase):
    """At most `remaining` bytes of a binary stream (a file or an S3 body)."""

    def __init__(self, stream, remaining):
        super(_Limited, self).__init__()
        self._stream = stream
        self._remaining = remaining

    def readable(self):
        return True

    def readinto(self, buffer):
        if self._remaining <= 0:
            return 0
        data = self._stream.read(min(len(buffer), self._remaining))
        buffer[:len(data)] = data
        self._remaining -= len(data)
        return len(data)

    def close(self):
        close_stream = getattr(self._stream, "close", None)
        if close_stream is not None:
            close_stream()
        super(_Limited, self).close()


def _read(source, start, end):
    with source.open_range(start, end) as stream:
        return stream.read()


def line_start_at_or_after(source, position, size):
    """The first physical line start >= position (size when none): after "\\n", "\\r\\n" or a lone "\\r"."""
    if position <= 0:
        return 0
    pos = position - 1  # a line end finishing just before position makes position a line start
    while pos < size:
        chunk = _read(source, pos, min(size, pos + _READ_CHUNK + 1))
        if not chunk:
            break
        match = _LINE_END.search(chunk)
        if match is None:
            pos += len(chunk)
            continue
        if match.group() == b"\r" and match.end() == len(chunk) and pos + len(chunk) < size:
            pos += match.start()  # "\r" at the chunk's end: read on to see whether "\n" follows
            continue
        return pos + match.end()
    return size


def count_lines(source, start, end):
    """Physical lines (line ends) in [start, end), which starts and ends at line starts."""
    lines = 0
    previous_cr = False
    with source.open_range(start, end) as stream:
        while True:
            chunk = stream.read(_READ_CHUNK)
            if not chunk:
                return lines
            lines += chunk.count(b"\n")
            if b"\r" in chunk:  # a quick scan: most files hold no "\r", and counting it twice more costs 3x
                lines += chunk.count(b"\r") - chunk.count(b"\r\n")
            if previous_cr and chunk.startswith(b"\n"):
                lines -= 1  # a "\r\n" split between two reads is one line end
            previous_cr = chunk.endswith(b"\r")


# ---------------------------------------------------------------------------------------
# Sinks: where a task's parts go
# ---------------------------------------------------------------------------------------

class LocalSink(object):
    def __init__(self, out_dir):
        self.out_dir = out_dir

    def key(self, folder, index):
        return os.path.join(self.out_dir, folder, part_name(index))

    def put(self, path, key):
        """Move the finished file at path to key (a rename when both are on one file system)."""
        os.makedirs(os.path.dirname(key), exist_ok=True)
        shutil.move(path, key + ".partial")
        os.replace(key + ".partial", key)

    def put_manifest(self, body):
        path = os.path.join(self.out_dir, MANIFEST_FILE)
        with open(path + ".partial", "wb") as stream:
            stream.write(body)
        os.replace(path + ".partial", path)
        return path


class S3Sink(_S3Client):
    def __init__(self, bucket, run_prefix):
        self.bucket = bucket
        self.run_prefix = run_prefix

    def key(self, folder, index):
        return "%s/%s/%s" % (self.run_prefix, folder, part_name(index))

    def put(self, path, key):
        try:
            self._client().upload_file(Filename=path, Bucket=self.bucket, Key=key,
                                       ExtraArgs={"ContentType": "text/csv; charset=utf-8"})
        except Exception as err:
            raise JobError("writing s3://%s/%s failed: %s" % (self.bucket, key, err))

    def put_manifest(self, body):
        key = "%s/%s" % (self.run_prefix, MANIFEST_FILE)
        try:
            self._client().put_object(Bucket=self.bucket, Key=key, Body=body, ContentType="application/json")
        except Exception as err:
            raise JobError("writing s3://%s/%s failed: %s" % (self.bucket, key, err))
        return "s3://%s/%s" % (self.bucket, key)


# ---------------------------------------------------------------------------------------
# The two stages' tasks (run on executors; everything they use is picklable)
# ---------------------------------------------------------------------------------------

def range_bounds_task(source, size, split_bytes):
    def task(index):
        start = line_start_at_or_after(source, index * split_bytes, size)
        end = line_start_at_or_after(source, (index + 1) * split_bytes, size)
        return index, start, end, count_lines(source, start, end) if end > start else 0
    return task


def classify_task(source, sink, size, schema, filt):
    """Classify one group of ranges [first..last] read as one range; write part `first`, and
    header-only parts for the rest of the group. Returns (first, last, counts, ended_inside)."""
    def task(group):
        first, last, start, end, lines_before = group
        with tempfile.TemporaryDirectory(prefix="etl-spark-") as workdir:
            data_path = os.path.join(workdir, "data.csv")
            rejects_path = os.path.join(workdir, "rejects.csv")
            with open_text_input(io.BufferedReader(source.open_range(start, end), _READ_CHUNK)) as text, \
                    open(data_path, "w", encoding="utf-8", newline="") as data_stream, \
                    open(rejects_path, "w", encoding="utf-8", newline="") as rejects_stream:
                try:
                    outcome = transform_range(text, data_stream, rejects_stream, schema, filt, lines_before)
                except HeaderError as err:
                    raise JobError("%s (source %s)" % (err, source.name))
            # Only a range that ends before the file does can end inside a record with more to come.
            ended_inside = outcome.ended_mid_record and end < size
            if not ended_inside:
                headers = [_first_line(data_path), _first_line(rejects_path)]
                sink.put(data_path, sink.key(DATA_DIR, first))
                sink.put(rejects_path, sink.key(REJECTS_DIR, first))
                for index in range(first + 1, last + 1):
                    for folder, header in zip((DATA_DIR, REJECTS_DIR), headers):
                        empty = os.path.join(workdir, "empty.csv")
                        with open(empty, "w", encoding="utf-8", newline="") as stream:
                            stream.write(header)
                        sink.put(empty, sink.key(folder, index))
        return first, last, tuple(outcome.counts), ended_inside
    return task


def _first_line(path):
    with open(path, "r", encoding="utf-8", newline="") as stream:
        return stream.readline()


# ---------------------------------------------------------------------------------------
# The driver
# ---------------------------------------------------------------------------------------

def default_split_bytes(size, parallelism):
    """The range size for a file of size bytes over parallelism cores: equal ranges of at most
    MAX_SPLIT_BYTES (and at least MIN_SPLIT_BYTES), a whole number of rounds of one range per core,
    and at least MIN_ROUNDS rounds. Spark's own rule (FilePartition.maxSplitBytes: min(128 MiB,
    max(4 MiB, bytes per core))) leaves a short last range that one core reads while the others
    wait (300 MB on 2 cores: 128 + 128 + 44 MiB, so 172 MiB in a row instead of 150); several
    equal rounds keep every core busy to the end, and let a core that is held up (by other work
    on the machine) take fewer ranges."""
    cores = max(1, parallelism)
    rounds = max(MIN_ROUNDS, -(-size // (cores * MAX_SPLIT_BYTES)))
    return max(MIN_SPLIT_BYTES, -(-size // (cores * rounds)))


def run_spark_job(spark_context, source, sink, job_run_id, schema, filt, split_bytes=None, log=_log):
    """Both stages on spark_context; writes the parts, then the manifest. Returns the manifest."""
    size = source.size()
    if split_bytes is None:
        split_bytes = default_split_bytes(size, spark_context.defaultParallelism)
    _ship_modules(spark_context)
    splits = max(1, -(-size // split_bytes))
    log("reading %s (%d bytes) in %d range(s) of up to %d bytes" % (source.name, size, splits, split_bytes))
    bounds = spark_context.parallelize(range(splits), splits).map(range_bounds_task(source, size, split_bytes)).collect()
    ranges = []  # (start, end, lines_before) of each non-empty range; the first always (the header)
    lines_before = 0
    for index, start, end, lines in sorted(bounds):
        if index == 0 or end > start:
            ranges.append((start, end, lines_before))
        lines_before += lines
    groups = [(index, index) for index in range(len(ranges))]
    results = {}
    to_run = groups
    while to_run:
        specs = [(first, last, ranges[first][0], ranges[last][1], ranges[first][2]) for first, last in to_run]
        for first, last, counts, ended_inside in spark_context.parallelize(specs, len(specs)).map(
                classify_task(source, sink, size, schema, filt)).collect():
            results[first] = (last, Counts(*counts), ended_inside)
        # A group that ended inside a record is read again together with the group after it.
        merged, to_run, position = [], [], 0
        while position < len(groups):
            first, last = groups[position]
            if results[first][2] and position + 1 < len(groups):
                group = (first, groups[position + 1][1])
                to_run.append(group)
                merged.append(group)
                position += 2
            else:
                merged.append((first, last))
                position += 1
        if to_run:
            log("re-reading %d range(s) together with the next: a record crosses the cut" % len(to_run))
        groups = merged
    totals = [0, 0, 0, 0]
    for first, _ in groups:
        for position, value in enumerate(results[first][1]):
            totals[position] += value
    counts = Counts(*totals)
    log("done: input_rows=%d kept=%d filtered_out=%d rejected=%d" % counts)
    data_keys = [sink.key(DATA_DIR, index) for index in range(len(ranges))]
    rejects_keys = [sink.key(REJECTS_DIR, index) for index in range(len(ranges))]
    manifest = build_manifest(job_run_id, source.name, counts, schema, filt, None, None)
    del manifest["data_key"], manifest["rejects_key"]
    manifest.update({"engine": ENGINE, "data_keys": data_keys, "rejects_keys": rejects_keys})
    log("wrote %d data and %d rejects part(s)" % (len(data_keys), len(rejects_keys)))
    log("wrote %s" % sink.put_manifest(manifest_bytes(manifest)))
    return manifest


def _ship_modules(context):
    """Put the modules the tasks use on the executors' path, as Glue does with --extra-py-files."""
    import glue_job
    import transform

    for path in (transform.__file__, glue_job.__file__, os.path.abspath(__file__)):
        context.addPyFile(path)


def _split_bytes_arg(args):
    """--split_bytes N (or =N) out of args: (split_bytes, the other args)."""
    rest, split_bytes, position = [], None, 0
    while position < len(args):
        arg = args[position]
        if arg == "--split_bytes" or arg.startswith("--split_bytes="):
            if "=" in arg:
                text = arg.split("=", 1)[1]
            elif position + 1 < len(args):
                position += 1
                text = args[position]
            else:
                raise UsageError("--split_bytes needs a value")
            try:
                split_bytes = int(text)
            except ValueError:
                raise UsageError("--split_bytes must be a whole number of bytes, got %r" % text)
            if split_bytes < 1:
                raise UsageError("--split_bytes must be >= 1, got %d" % split_bytes)
        else:
            rest.append(arg)
        position += 1
    return split_bytes, rest


def spark_context():
    """The run's SparkContext, as Glue provides one to a glueetl script."""
    from pyspark import SparkContext

    return SparkContext.getOrCreate()


def main(args=None, context=None, log=_log):
    """Run the job; returns the exit status. args excludes the program name."""
    if args is None:
        args = sys.argv[1:]
    try:
        split_bytes, rest = _split_bytes_arg(args)
        job = parse_job_args(rest)
        if job.mode == "local":
            source, sink = LocalSource(job.local_input), LocalSink(job.local_out)
            source.size()  # a missing input fails before the output folder is touched
            _prepare_local_out(job.local_out)
        else:
            source = S3Source(job.source_bucket, job.source_key)
            sink = S3Sink(job.output_bucket, "%s/%s" % (job.output_prefix, job.job_run_id))
        run_spark_job(context or spark_context(), source, sink, job.job_run_id, job.schema, job.filter,
                      split_bytes, log)
    except JobError as err:
        print("ERROR: %s" % err, file=sys.stderr, flush=True)
        return err.exit_status
    except Exception as err:  # a task's JobError arrives wrapped by Spark: show its own line
        line = _task_error_line(err)
        if line is None:
            raise
        print(line, file=sys.stderr, flush=True)
        return 1
    return 0


def _task_error_line(err):
    """'ERROR: ...' for a JobError raised in a Spark task (Spark wraps it in its own exception)."""
    match = re.search(r"(?:glue_job\.)?JobError: (.+)", str(err))
    return "ERROR: %s" % match.group(1).strip() if match else None


def _prepare_local_out(out_dir):
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise JobError("output %s exists and is not a directory" % out_dir)
    os.makedirs(out_dir, exist_ok=True)
    # A manifest or parts left by an earlier run would mix with this run's: remove them first.
    stale = os.path.join(out_dir, MANIFEST_FILE)
    if os.path.exists(stale):
        os.remove(stale)
    for folder in (DATA_DIR, REJECTS_DIR):
        shutil.rmtree(os.path.join(out_dir, folder), ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
