"""How fast can Spark filter the orders file on this machine? Measures, back to back on one file:

    python3 bench/spark_ceiling.py --input FILE --work DIR --spark-python PY [--repeat N]

(a) the Python shell job (etl/glue_job.py, as the ETL bench runs it),
(b) the Spark job (etl/spark_job.py, local mode, as the ETL bench runs it),
(c) native Spark pipelines for the same filter, no Python row loop: c_split (spark.read.text, split at
    commas, the amount cast and compared in Catalyst, kept lines written with the text writer) and
    c_csv (Spark's CSV source with an explicit schema, its CSV writer),
(d) the JVM and SparkSession start alone (start a session, stop it).
Prints one JSON object per repeat: seconds of each, and the ratios a/b, a/c, a/d.
Uses PYSPARK_SUBMIT_ARGS from the environment (the sandbox's local-mode settings) for (b), (c), (d).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ETL = os.path.join(HERE, "..", "etl")
SCHEMA = json.dumps([
    {"name": "order_id", "type": "string"}, {"name": "order_date", "type": "date"},
    {"name": "customer_id", "type": "string"}, {"name": "region", "type": "string"},
    {"name": "product", "type": "string"}, {"name": "quantity", "type": "int"},
    {"name": "unit_price", "type": "decimal"}, {"name": "amount", "type": "decimal"},
    {"name": "status", "type": "string"},
])
FILTER = json.dumps({"column": "amount", "operator": "ge", "value": "100"})

# (c) is a lower bound on what any exact native pipeline costs: it checks less than the contract asks
# (only the amount column, taken as the last field but one) and so runs faster than an exact one would.
NATIVE_SPLIT = r'''
import sys, time
from pyspark.sql import SparkSession, functions as F
started = time.perf_counter()
spark = SparkSession.builder.getOrCreate()
path, out = sys.argv[1], sys.argv[2]
lines = spark.read.text(path)
amount = F.element_at(F.split("value", ","), -2).cast("decimal(38,18)")
lines.where(amount >= F.lit(100).cast("decimal(38,18)")).write.mode("overwrite").text(out)
print(time.perf_counter() - started)
'''

# The same through Spark's CSV source with an explicit schema and its CSV writer (the date as text: Spark 3.5
# fails the whole read on 2025-02-30 rather than nulling it, even in PERMISSIVE mode).
NATIVE_CSV = r'''
import sys, time
from pyspark.sql import SparkSession, functions as F
started = time.perf_counter()
spark = SparkSession.builder.getOrCreate()
path, out = sys.argv[1], sys.argv[2]
schema = ("order_id STRING, order_date STRING, customer_id STRING, region STRING, product STRING, "
          "quantity INT, unit_price DECIMAL(38,18), amount DECIMAL(38,18), status STRING")
rows = spark.read.csv(path, schema=schema, header=True, mode="PERMISSIVE")
rows.where(F.col("amount") >= 100).write.mode("overwrite").csv(out, header=True)
print(time.perf_counter() - started)
'''

START_ONLY = r'''
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
spark.range(1).count()
spark.stop()
'''


def timed(command, env=None):
    started = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit("%s failed: %s" % (command[:2], result.stderr.decode()[-2000:]))
    return elapsed, result.stdout.decode()


def script(work, name, body):
    path = os.path.join(work, name)
    with open(path, "w") as stream:
        stream.write(body)
    return path


def count_rows(out):
    rows = 0
    for name in os.listdir(out):
        if name.startswith("part-"):
            with open(os.path.join(out, name), "rb") as stream:
                rows += sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--spark-python", required=True)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--skip", default="", help="comma-separated letters to skip (a,b,c,d)")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    skip = set(args.skip.split(","))
    natives = {"c_split": script(args.work, "native_split.py", NATIVE_SPLIT),
               "c_csv": script(args.work, "native_csv.py", NATIVE_CSV)}
    start_only = os.path.join(args.work, "start.py")
    with open(start_only, "w") as stream:
        stream.write(START_ONLY)
    for _ in range(args.repeat):
        figures = {}
        if "a" not in skip:
            out = os.path.join(args.work, "a")
            figures["a_python_shell_s"] = timed([sys.executable, os.path.join(ETL, "glue_job.py"), "--local_input", args.input,
                                                 "--local_out", out, "--schema", SCHEMA, "--filter", FILTER,
                                                 "--progress_every", "100000000"])[0]
            with open(os.path.join(out, "_manifest.json")) as stream:
                figures["kept"] = json.load(stream)["kept"]
        if "b" not in skip:
            figures["b_spark_job_s"] = timed([args.spark_python, os.path.join(ETL, "spark_job.py"), "--local_input", args.input,
                                              "--local_out", os.path.join(args.work, "b"), "--schema", SCHEMA,
                                              "--filter", FILTER])[0]
        if "c" not in skip:
            for name, native in natives.items():
                out = os.path.join(args.work, name)
                shutil.rmtree(out, ignore_errors=True)
                seconds, inside = timed([args.spark_python, native, args.input, out])
                figures[name + "_s"] = seconds
                figures[name + "_after_session_s"] = float(inside.strip().splitlines()[-1])
                figures[name + "_kept"] = count_rows(out)
        if "d" not in skip:
            figures["d_start_s"] = timed([args.spark_python, start_only])[0]
        a = figures.get("a_python_shell_s")
        for key in ("b_spark_job_s", "c_split_s", "c_csv_s", "d_start_s"):
            if a and key in figures:
                figures["a_over_" + key[:-2]] = round(a / figures[key], 3)
        figures["load"] = os.getloadavg()[0]
        print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
