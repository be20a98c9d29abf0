"""ETL benchmark driver (stdlib only): times the Glue job's local mode against plain reads of the same file.

    python3 bench/etl_bench.py --input FILE --work DIR --schema JSON --filter JSON [--raw-repeats N]

Prints one JSON object on stdout:
    {"bytes", "raw_read_s", "csv_reader_s", "job_s", "job_peak_rss_kib", "input_rows", "kept"}
- raw_read_s: the baseline, a plain line-by-line read of the file (text, UTF-8), median of N runs;
- csv_reader_s: the same read through csv.reader and nothing else (the floor of any CSV filter);
- profile (with --profile): the job run in-process under cProfile, the functions with the most own time
  and their share of it (cProfile slows Python calls down, so shares are indicative);
- job_s: wall time of `python3 etl/glue_job.py --local_input FILE --local_out DIR ...`, the job as Glue
  runs it minus S3, interpreter start included; job_peak_rss_kib: that process's peak resident memory,
  from os.wait4 (Linux reports KiB).
- spark_s, spark_peak_rss_kib (with --spark-python PY): the same for `PY etl/spark_job.py ...` (the Spark
  engine, local mode, as the environment's PYSPARK_SUBMIT_ARGS sets it), JVM start included; its peak
  memory is the largest sum of the resident memory of the whole process tree (driver, JVM, Python
  workers), sampled from /proc every 50 ms. Its counts must equal the Python shell job's. With --rounds N,
  the Python shell job and the Spark job run N times in turns: job_s and spark_s are the medians, rounds the
  [job_s, spark_s] of each round, spark_peak_rss_kib the largest.
"""

import argparse
import cProfile
import csv
import json
import os
import pstats
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GLUE_JOB = os.path.join(HERE, "..", "etl", "glue_job.py")
SPARK_JOB = os.path.join(HERE, "..", "etl", "spark_job.py")


def raw_read_seconds(path):
    started = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as stream:
        for _line in stream:
            pass
    return time.perf_counter() - started


def csv_reader_seconds(path):
    started = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as stream:
        for _row in csv.reader(stream):
            pass
    return time.perf_counter() - started


def run_job(path, out_dir, schema, filt):
    command = [sys.executable, GLUE_JOB, "--local_input", path, "--local_out", out_dir,
               "--schema", schema, "--filter", filt, "--progress_every", "100000000"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8
    errors = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit("the Glue job failed (exit %d): %s" % (process.returncode, errors.strip()))
    with open(os.path.join(out_dir, "_manifest.json"), encoding="utf-8") as manifest_file:
        manifest = json.load(manifest_file)
    return elapsed, usage.ru_maxrss, manifest


def _children():
    """{parent pid: [child pids]} of every process, from /proc."""
    tree = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as stream:
                fields = stream.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def _tree_rss_kib(root):
    tree, total, pending = _children(), 0, [root]
    while pending:
        pid = pending.pop()
        pending.extend(tree.get(pid, []))
        try:
            with open("/proc/%d/status" % pid) as stream:
                for line in stream:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def run_spark_job(python, path, out_dir, schema, filt):
    """(seconds, peak RSS of the process tree in KiB, manifest) of the Spark job in local mode."""
    command = [python, SPARK_JOB, "--local_input", path, "--local_out", out_dir, "--schema", schema, "--filter", filt]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]

    def sample():
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kib(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    errors = process.stderr.read().decode("utf-8", "replace")
    process.wait()
    elapsed = time.perf_counter() - started
    sampler.join()
    if process.returncode != 0:
        raise SystemExit("the Spark job failed (exit %d): %s" % (process.returncode, errors.strip()[-2000:]))
    with open(os.path.join(out_dir, "_manifest.json"), encoding="utf-8") as manifest_file:
        manifest = json.load(manifest_file)
    return elapsed, peak[0], manifest


def profile_job(path, out_dir, schema, filt, top=8):
    """[[function, share of own time], ...] of the job's main() run in this process."""
    sys.path.insert(0, os.path.dirname(GLUE_JOB))
    import glue_job  # noqa: E402 (the job's folder is put on sys.path just above)

    profiler = cProfile.Profile()
    profiler.enable()
    status = glue_job.main(["--local_input", path, "--local_out", out_dir, "--schema", schema,
                            "--filter", filt, "--progress_every", "100000000"], log=lambda _m: None)
    profiler.disable()
    if status != 0:
        raise SystemExit("the Glue job failed under the profiler (exit %d)" % status)
    stats = pstats.Stats(profiler)
    own = [(value[2], key) for key, value in stats.stats.items()]  # value[2]: own (total) time
    total = sum(t for t, _ in own) or 1.0
    own.sort(reverse=True)
    named = []
    for seconds, (filename, line, function) in own[:top]:
        where = "%s:%d" % (os.path.basename(filename), line) if line else filename
        named.append(["%s %s" % (function, where), round(seconds / total, 3)])
    return named


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--work", required=True, help="folder for the job's output (emptied by the caller)")
    parser.add_argument("--schema", required=True)
    parser.add_argument("--filter", required=True)
    parser.add_argument("--raw-repeats", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="also profile the job in-process")
    parser.add_argument("--spark-python", help="also run the Spark job with this Python (pyspark installed)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="with --spark-python: rounds of the Python shell job then the Spark job, in turns "
                             "(job_s and spark_s are the medians)")
    args = parser.parse_args(argv)

    # Read once so the baseline and the job both find the file in the page cache.
    raw_read_seconds(args.input)
    raw = [raw_read_seconds(args.input) for _ in range(args.raw_repeats)]
    parsed = [csv_reader_seconds(args.input) for _ in range(max(1, args.raw_repeats // 2))]
    job_s, peak_kib, manifest = run_job(args.input, args.work, args.schema, args.filter)
    # A second baseline after the job: the median covers load that changed while the job ran.
    raw += [raw_read_seconds(args.input) for _ in range(args.raw_repeats)]
    profile = profile_job(args.input, args.work, args.schema, args.filter) if args.profile else None
    spark = {}
    if args.spark_python:
        # Rounds in turns, medians: load from elsewhere on a shared machine hits both engines alike.
        rounds = []
        for round_number in range(max(1, args.rounds)):
            if round_number > 0:
                job_again, _, _ = run_job(args.input, args.work, args.schema, args.filter)
            spark_s, spark_kib, spark_manifest = run_spark_job(args.spark_python, args.input,
                                                               os.path.join(args.work, "spark"), args.schema, args.filter)
            counts = ("input_rows", "kept", "filtered_out", "rejected")
            if [spark_manifest[k] for k in counts] != [manifest[k] for k in counts]:
                raise SystemExit("the Spark job's counts differ from the Python shell job's: %r != %r"
                                 % ([spark_manifest[k] for k in counts], [manifest[k] for k in counts]))
            rounds.append([job_s if round_number == 0 else job_again, spark_s, spark_kib])
        job_s = statistics.median(r[0] for r in rounds)
        spark = {"spark_s": statistics.median(r[1] for r in rounds), "spark_peak_rss_kib": max(r[2] for r in rounds),
                 "rounds": [[r[0], r[1]] for r in rounds]}
    print(json.dumps(dict(spark, **{
        "profile": profile,
        "bytes": os.path.getsize(args.input),
        "raw_read_s": statistics.median(raw),
        "csv_reader_s": statistics.median(parsed),
        "job_s": job_s,
        "job_peak_rss_kib": peak_kib,
        "input_rows": manifest["input_rows"],
        "kept": manifest["kept"],
    })))
    return 0


if __name__ == "__main__":
    sys.exit(main())
