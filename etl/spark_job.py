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
1. The driver cuts the file every --split_bytes bytes (default: equal ranges of at most 128 MiB,
   Spark's spark.sql.files.maxPartitionBytes, two or more per core; see default_split_bytes) and
   moves each cut forward to the next physical line start (after "\\n", "\\r\\n" or a lone "\\r",
   the line ends the transform reads), reading a few bytes at each cut.
2. The driver classifies ranges from the file's start itself, in a thread, while Spark starts (the
   JVM keeps about one core busy then, and the tasks cannot start before it is up): the first range,
   then the next and so on until Spark is up; Spark's tasks classify the rest of the file, the
   driver's ranges' size taken from this machine's core count and the others' from Spark's. Each
   range is classified with arrow_range.classify_range (transform.transform_range's output, most
   blocks read by Arrow) as if a record started at its first line, and its physical lines are
   counted as they are read. That holds when the range
   before ended between two records; when it ended inside one (a quoted field or an over-long
   record crossing the cut), the two ranges are read again as one range (and the later part is
   rewritten header-only), until none does.
3. A range's line numbers need the lines of every range before it: the first range's rejects have
   them from the start; a later range with rejects numbers them as if a provisional number of
   lines came before it and hands them to the driver, which renumbers and writes them once every
   range is counted (a range whose rejects are too long to hand over is read again instead,
   numbered by the lines before it).
Raw bytes are read (not Spark's text source, which decodes to UTF-8 with replacement), so bytes
that are not UTF-8 are rejected and shown exactly as the Python shell job shows them.

S3 is read and written with boto3 in the tasks and the driver, with the job role's credentials (Glue's executors
and driver have the role's credentials as the Python shell job does): ranged GetObject, PutObject.
Exit status as glue_job.py's: 0 done, 1 source unreadable or output unwritable, 2 wrong arguments.
"""

import csv
import io
import os
import re
import shutil
import sys
import tempfile
import threading

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from glue_job import (  # noqa: E402
    MANIFEST_FILE, JobError, UsageError, build_manifest, manifest_bytes, parse_job_args,
)
from arrow_range import LineEndCounter, classifier_description, classify_range  # noqa: E402
from transform import MAX_RECORD_CHARS, Counts, HeaderError  # noqa: E402

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
# The driver finds each cut's next line start itself: lines are short, so a small read usually holds it.
_CUT_READ = 64 * 1024
_LINE_END = re.compile(rb"\r\n|\n|\r")
# A range after the first is classified as if this many lines came before it (not 0: that would make
# its first line the header); its rejects are renumbered once the lines before it are counted.
PROVISIONAL_LINES_BEFORE = 10 ** 15
# Rejects of a range up to this long go back to the driver to be renumbered; longer ones are written by
# a second pass over their range (rare: a range of hostile rows), so the driver's memory stays small.
INLINE_REJECTS_CHARS = 1024 * 1024


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


def line_start_at_or_after(source, position, size, read_bytes=_READ_CHUNK):
    """The first physical line start >= position (size when none): after "\\n", "\\r\\n" or a lone "\\r"."""
    if position <= 0:
        return 0
    pos = position - 1  # a line end finishing just before position makes position a line start
    while pos < size:
        chunk = _read(source, pos, min(size, pos + read_bytes + 1))
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
    counter = LineEndCounter()
    with source.open_range(start, end) as stream:
        while True:
            chunk = stream.read(_READ_CHUNK)
            if not chunk:
                return counter.lines
            counter.feed(chunk)


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

    def put_text(self, text, key):
        os.makedirs(os.path.dirname(key), exist_ok=True)
        with open(key + ".partial", "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
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

    def put_text(self, text, key):
        try:
            self._client().put_object(Bucket=self.bucket, Key=key, Body=text.encode("utf-8"),
                                      ContentType="text/csv; charset=utf-8")
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
# The tasks (run on executors; everything they use is picklable)
# ---------------------------------------------------------------------------------------

def classify_task(source, sink, size, schema, filt, inline_rejects_chars=INLINE_REJECTS_CHARS):
    """Classify one group of ranges [first..last] read as one range; write part `first`, and
    header-only parts for the rest of the group. Returns (first, last, counts, ended_inside, lines,
    rejects): lines is the group's count of physical lines, read as it is classified.

    lines_before None: the lines before the group are not known yet. The first group holds the
    header, and its rejects carry their line numbers in the file. A later group is classified as if
    PROVISIONAL_LINES_BEFORE lines came before it: when it has rejects, their part is not written
    but returned (rejects: its text, for the driver to renumber and write), or, when longer than
    inline_rejects_chars, left for a second pass that knows lines_before (rejects: None)."""
    def task(group):
        first, last, start, end, lines_before = group
        provisional = lines_before is None and start > 0
        if lines_before is None:
            lines_before = PROVISIONAL_LINES_BEFORE if provisional else 0
        rejects = ""
        with tempfile.TemporaryDirectory(prefix="etl-spark-") as workdir:
            data_path = os.path.join(workdir, "data.csv")
            rejects_path = os.path.join(workdir, "rejects.csv")
            with io.BufferedReader(source.open_range(start, end), _READ_CHUNK) as binary, \
                    open(data_path, "w", encoding="utf-8", newline="") as data_stream, \
                    open(rejects_path, "w", encoding="utf-8", newline="") as rejects_stream:
                try:
                    outcome = classify_range(binary, data_stream, rejects_stream, schema, filt, lines_before)
                except HeaderError as err:
                    raise JobError("%s (source %s)" % (err, source.name))
            # Only a range that ends before the file does can end inside a record with more to come.
            ended_inside = outcome.ended_mid_record and end < size
            if not ended_inside:
                headers = [_first_line(data_path), _first_line(rejects_path)]
                sink.put(data_path, sink.key(DATA_DIR, first))
                if provisional and outcome.counts.rejected:
                    rejects = _text_if_short(rejects_path, inline_rejects_chars)
                else:
                    sink.put(rejects_path, sink.key(REJECTS_DIR, first))
                for index in range(first + 1, last + 1):
                    for folder, header in zip((DATA_DIR, REJECTS_DIR), headers):
                        empty = os.path.join(workdir, "empty.csv")
                        with open(empty, "w", encoding="utf-8", newline="") as stream:
                            stream.write(header)
                        sink.put(empty, sink.key(folder, index))
        return first, last, tuple(outcome.counts), ended_inside, outcome.lines, rejects
    return task


def _text_if_short(path, limit):
    """The text of the file at path, or None when it is longer than limit characters."""
    with open(path, "r", encoding="utf-8", newline="") as stream:
        text = stream.read(limit + 1)
    return text if len(text) <= limit else None


def renumber_rejects(in_stream, out_stream, shift):
    """Copy a rejects part (line_number,reason,raw rows, as the transform writes them), adding shift to
    every line number. The rows' text is copied as read, line by line: the csv module only finds where
    each row starts (a raw field may hold line breaks), so every other byte stays the transform's."""
    row_lines = []

    def lines():
        for line in in_stream:
            row_lines.append(line)
            yield line

    previous_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_RECORD_CHARS * 2 + 1024)  # an over-long record's raw text, escaped
    try:
        for position, _row in enumerate(csv.reader(lines(), strict=True)):
            if position > 0:  # the header stays as it is
                number, rest = row_lines[0].split(",", 1)
                row_lines[0] = "%d,%s" % (int(number) + shift, rest)
            out_stream.writelines(row_lines)
            del row_lines[:]
    finally:
        csv.field_size_limit(previous_limit)
    if row_lines:
        raise JobError("a rejects part ends inside a row (%d line(s) left)" % len(row_lines))


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


def run_spark_job(spark_context, source, sink, job_run_id, schema, filt, split_bytes=None, log=_log,
                  inline_rejects_chars=INLINE_REJECTS_CHARS):
    """Classifies the ranges, the first ones in the driver while Spark starts and the others on Spark;
    writes the parts, then the manifest. Returns the manifest. spark_context: a SparkContext, or a function that makes one,
    called while the driver classifies ranges from the file's start (its cores are idle while the JVM starts)."""
    size = source.size()
    # The driver's ranges are cut before Spark says how many cores it has: this machine's count stands in.
    head_split = split_bytes or default_split_bytes(size, os.cpu_count() or 1)
    classify = classify_task(source, sink, size, schema, filt, inline_rejects_chars)
    for endpoint in (source, sink):  # boto3 makes clients safely in one thread only: make them here, first
        make_client = getattr(endpoint, "_client", None)
        if make_client is not None:
            make_client()
    driver = _DriverRanges(classify, source, size, head_split)
    context = spark_context() if callable(spark_context) else spark_context
    driver.raise_if_failed()  # a wrong header: no need to start the other ranges
    _ship_modules(context)
    # Spark's first job on a new context waits for its Python workers to start and import the job's modules:
    # a job of one empty task per core starts them while the driver goes on classifying.
    parallelism = context.defaultParallelism
    context.parallelize(range(parallelism), parallelism).map(_worker_ready).collect()
    rest_start = driver.stop()
    driver.raise_if_failed()
    rest_split = split_bytes or default_split_bytes(size - rest_start, parallelism)
    cuts = [line_start_at_or_after(source, position, size, _CUT_READ) for position in range(rest_start, size, rest_split)]
    # (start, end) of each non-empty range: the driver's (the first always: the header), then Spark's.
    ranges = driver.ranges + [(start, end) for start, end in zip(cuts, cuts[1:] + [size]) if end > start]
    log("reading %s (%d bytes) in %d range(s), %s: %d (%d bytes) in the driver while Spark started, the others "
        "of up to %d bytes in Spark's tasks"
        % (source.name, size, len(ranges), classifier_description(), len(driver.ranges), rest_start, rest_split))
    groups = [(index, index) for index in range(len(ranges))]
    specs = [(index, index, start, end, None) for index, (start, end) in enumerate(ranges)
             if index >= len(driver.ranges)]
    try:
        found = context.parallelize(specs, len(specs)).map(classify).collect() if specs else []
    except Exception:
        driver.raise_if_failed(wait=True)  # the driver's ranges come first in the file: so do their errors
        raise
    results = {}
    for result in driver.results() + found:
        results[result[0]] = result[1:]
    while True:
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
        groups = merged
        if not to_run:
            break
        log("re-reading %d range(s) together with the next: a record crosses the cut" % len(to_run))
        specs = [(first, last, ranges[first][0], ranges[last][1], None) for first, last in to_run]
        for result in context.parallelize(specs, len(specs)).map(classify).collect():
            results[result[0]] = result[1:]
    totals = [0, 0, 0, 0]
    second_pass, lines_before = [], 0
    for first, last in groups:
        _, counts, _, lines, rejects = results[first]
        for position, value in enumerate(counts):
            totals[position] += value
        if first > 0 and counts[3]:  # rejected: numbered as if PROVISIONAL_LINES_BEFORE lines came before
            if rejects is None:
                second_pass.append((first, last, ranges[first][0], ranges[last][1], lines_before))
            else:
                renumbered = io.StringIO(newline="")
                renumber_rejects(io.StringIO(rejects, newline=""), renumbered, lines_before - PROVISIONAL_LINES_BEFORE)
                sink.put_text(renumbered.getvalue(), sink.key(REJECTS_DIR, first))
        lines_before += lines
    if second_pass:
        log("reading %d range(s) with many rejects again, numbered by the lines before them" % len(second_pass))
        context.parallelize(second_pass, len(second_pass)).map(classify).collect()
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


DRIVER_THREAD = "etl-driver-ranges"


class _DriverRanges(object):
    """The driver classifies ranges of split bytes from the file's start, in a thread, while Spark starts (the
    JVM keeps about one core busy then, and no task can start before it is up). The first range, which holds the
    header, is always the driver's; stop() ends the taking and says where the ranges taken end: the driver
    finishes the range it is on while Spark's tasks take the rest of the file."""

    def __init__(self, classify, source, size, split):
        self.ranges = [(0, line_start_at_or_after(source, min(size, split), size, _CUT_READ))]
        self._lock = threading.Lock()
        self._stopped = False
        self._results = []
        self._error = None
        self._thread = threading.Thread(target=self._run, args=(classify, source, size, split), name=DRIVER_THREAD,
                                        daemon=True)
        self._thread.start()

    def _run(self, classify, source, size, split):
        try:
            while True:
                index = len(self.ranges) - 1
                start, end = self.ranges[index]
                self._results.append(classify((index, index, start, end, None)))
                with self._lock:
                    if self._stopped or end >= size:
                        return
                    self.ranges.append((end, line_start_at_or_after(source, min(size, end + split), size, _CUT_READ)))
        except BaseException as err:  # handed to the main thread
            self._error = err

    def stop(self):
        """Take no more ranges; returns the end of the ranges taken."""
        with self._lock:
            self._stopped = True
            return self.ranges[-1][1]

    def raise_if_failed(self, wait=False):
        if wait:
            self._thread.join()
        if self._error is not None:
            raise self._error

    def results(self):
        """The classify results of the driver's ranges, in order, once it has finished them."""
        self.raise_if_failed(wait=True)
        return list(self._results)


def _worker_ready(_):
    """A task that only imports what the classifying tasks use (on a Spark worker)."""
    import arrow_range  # noqa: F401  (and pyarrow with it)

    return os.getpid()


def _ship_modules(context):
    """Put the modules the tasks use on the executors' path, as Glue does with --extra-py-files."""
    import arrow_range
    import glue_job
    import transform

    for path in (transform.__file__, arrow_range.__file__, glue_job.__file__, os.path.abspath(__file__)):
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
        run_spark_job(context or spark_context, source, sink, job.job_run_id, job.schema, job.filter,
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
