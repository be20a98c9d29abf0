"""The Spark job (spark_job.py) gives the Python shell job's output exactly, on every hostile input.

Each case of test_golden_output (the sample, the generated files with CRLF, CR and damaged lines,
the hand-made nasty files, the one-column file) runs through the Spark job in local mode, cut into
ranges so that cuts fall inside quoted multi-line fields, over-long records and the lone quote
that swallows the rest of the file. The parts' rows, concatenated, must hash to the output
recorded for the Python shell job (GOLDEN), and the manifest must give the same counts.

Needs pyspark (etl/spark-requirements.txt) and Java 17: `npm test` runs this file with the
project's Spark Python environment, which it creates first.
"""

import hashlib
import io
import json
import os
import re
import sys
import tempfile
import unittest
from contextlib import redirect_stderr

import spark_job
from test_golden_output import CASES, expected_output, input_bytes

HERE = os.path.dirname(os.path.abspath(__file__))


def spark_context():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark import SparkConf, SparkContext

    conf = (SparkConf().setMaster("local[2]").setAppName("test_spark_job")
            .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false"))
    context = SparkContext.getOrCreate(conf)
    context.setLogLevel("ERROR")
    return context


def concatenated(paths):
    """The parts' bytes as one file: the first part whole, the header line of the others dropped."""
    out = []
    for index, path in enumerate(paths):
        with open(path, "rb") as stream:
            data = stream.read()
        out.append(data if index == 0 else data[data.index(b"\n") + 1:])
    return b"".join(out)


class SparkJobTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.golden = expected_output()
        if cls.golden is None:
            raise AssertionError("GOLDEN is recorded for Python 3.9, 3.11 and 3.12; the Spark engine runs 3.11")
        cls.context = spark_context()
        cls.workdir = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.workdir.cleanup()

    def run_job(self, input_name, schema_text, filter_text, split_bytes):
        source = os.path.join(self.workdir.name, input_name + ".csv")
        if not os.path.exists(source):
            with open(source, "wb") as stream:
                stream.write(input_bytes(input_name))
        out_dir = os.path.join(self.workdir.name, "out")
        logged = []
        status = spark_job.main(
            ["--local_input", source, "--local_out", out_dir, "--schema", schema_text,
             "--filter", filter_text] + ([] if split_bytes is None else ["--split_bytes", str(split_bytes)]),
            context=self.context, log=logged.append)
        self.assertEqual(status, 0, logged)
        with open(os.path.join(out_dir, "_manifest.json"), encoding="utf-8") as stream:
            manifest = json.load(stream)
        return manifest, logged

    def case_file(self, name):
        """(path, schema, filter, size) of a golden case's input written to a file."""
        import transform

        input_name, schema_text, filter_text, _, _ = CASES[name]
        source = os.path.join(self.workdir.name, input_name + ".csv")
        with open(source, "wb") as stream:
            stream.write(input_bytes(input_name))
        schema = transform.parse_schema(schema_text)
        return source, schema, transform.parse_filter(filter_text, schema), os.path.getsize(source)

    def assert_matches_python_shell(self, name, split_bytes):
        input_name, schema_text, filter_text, _, limit = CASES[name]
        self.assertIsNone(limit)
        manifest, _ = self.run_job(input_name, schema_text, filter_text, split_bytes)
        golden = self.golden[name]
        self.assertEqual([manifest[k] for k in ("input_rows", "kept", "filtered_out", "rejected")], golden["counts"])
        self.assertEqual(manifest["engine"], "spark")
        self.assertEqual(len(manifest["data_keys"]), len(manifest["rejects_keys"]))
        self.assertEqual(hashlib.sha256(concatenated(manifest["data_keys"])).hexdigest(), golden["data"])
        self.assertEqual(hashlib.sha256(concatenated(manifest["rejects_keys"])).hexdigest(), golden["rejects"])
        return manifest

    def test_every_hostile_input_gives_the_python_shell_output(self):
        # About four ranges per file: on the nasty files the cuts fall inside the megabyte-long
        # quoted multi-line field and the lone quote's record, which must be read again whole.
        # Every hostile input once with the default filter, and the schemas that type the columns otherwise;
        # the other filters run the same classification (transform.py), which test_golden_output covers.
        names = sorted(name for name, case in CASES.items()
                       if case[4] is None and (name.endswith("/amount_ge") or name.endswith(("/strings", "/swapped", "/ge"))))
        self.assertEqual(sorted(set(CASES[name][0] for name in names)), sorted(set(case[0] for case in CASES.values())))
        for name in names:
            size = len(input_bytes(CASES[name][0]))
            with self.subTest(case=name):
                manifest = self.assert_matches_python_shell(name, size // 4 + 1)
                self.assertGreaterEqual(len(manifest["data_keys"]), 4 if size > 1000 else 1)

    def test_cuts_anywhere_give_the_same_output(self):
        # Tiny ranges: a cut before every few bytes, inside "\r\n", quoted fields and the header.
        for name, splits in (("one_column/ge", (1, 3, 5, 8, 13)), ("sample/amount_ge", (20000,)),
                             ("nasty_tail/amount_ge", (400000,)), ("generated_damaged/amount_ge", (600000,))):
            for split_bytes in splits:
                with self.subTest(case=name, split_bytes=split_bytes):
                    self.assert_matches_python_shell(name, split_bytes)

    def test_rejects_after_the_first_range_are_numbered_by_the_lines_before_them(self):
        # A later range's rejects are numbered provisionally and renumbered by the driver, or (when they are
        # longer than inline_rejects_chars) read again with the lines before them: both give the file's numbers.
        for name in ("generated_damaged/amount_ge", "nasty/amount_ge", "nasty_tail/amount_ge"):
            source, schema, filt, size = self.case_file(name)
            for inline in (10 ** 9, 0):  # every later range's rejects renumbered by the driver; none
                with self.subTest(case=name, inline_rejects_chars=inline):
                    out_dir = os.path.join(self.workdir.name, "renumbered-%d" % inline)
                    logged = []
                    manifest = spark_job.run_spark_job(
                        self.context, spark_job.LocalSource(source), spark_job.LocalSink(out_dir), "local",
                        schema, filt, size // 7 + 1, logged.append, inline_rejects_chars=inline)
                    later_rejects = [key for key in manifest["rejects_keys"][1:] if os.path.getsize(key) > 30]
                    self.assertTrue(later_rejects, "no range after the first has rejects: nothing renumbered")
                    self.assertEqual(any(line.startswith("reading") and "again" in line for line in logged), inline == 0,
                                     logged)
                    golden = self.golden[name]
                    self.assertEqual(hashlib.sha256(concatenated(manifest["rejects_keys"])).hexdigest(), golden["rejects"])
                    self.assertEqual(hashlib.sha256(concatenated(manifest["data_keys"])).hexdigest(), golden["data"])

    def test_when_the_driver_reads_the_whole_file_before_spark_is_up_the_parts_are_the_files(self):
        # Spark comes up only once the driver has classified every range: no task is left, and the parts are
        # still the file's, rejects numbered across the driver's ranges (the other tests leave Spark some ranges).
        import threading

        for name in ("generated_damaged/amount_ge", "nasty/amount_ge"):
            source, schema, filt, size = self.case_file(name)
            with self.subTest(case=name):
                def context_after_the_driver():
                    for thread in threading.enumerate():
                        if thread.name == spark_job.DRIVER_THREAD:
                            thread.join(120)
                    return self.context

                logged = []
                manifest = spark_job.run_spark_job(
                    context_after_the_driver, spark_job.LocalSource(source),
                    spark_job.LocalSink(os.path.join(self.workdir.name, "driver-only")), "local", schema, filt,
                    size // 10 + 1, logged.append)
                found = [re.search(r": (\d+) \(\d+ bytes\) in the driver", line) for line in logged]
                taken = [int(match.group(1)) for match in found if match]
                self.assertEqual(taken, [len(manifest["data_keys"])], logged)
                self.assertGreaterEqual(taken[0], 5)
                golden = self.golden[name]
                self.assertEqual([manifest[k] for k in ("input_rows", "kept", "filtered_out", "rejected")],
                                 golden["counts"])
                self.assertEqual(hashlib.sha256(concatenated(manifest["rejects_keys"])).hexdigest(), golden["rejects"])
                self.assertEqual(hashlib.sha256(concatenated(manifest["data_keys"])).hexdigest(), golden["data"])

    def test_a_record_crossing_a_cut_is_read_again_with_the_next_range(self):
        name = "nasty/amount_ge"
        _, logged = self.run_job(CASES[name][0], CASES[name][1], CASES[name][2], 1000000)
        self.assertTrue(any(line.startswith("re-reading") for line in logged), logged)

    def test_source_errors_are_the_python_shell_jobs(self):
        input_name, schema_text, filter_text, _, _ = CASES["sample/amount_ge"]
        missing = os.path.join(self.workdir.name, "missing.csv")
        wrong_header = os.path.join(self.workdir.name, "wrong-header.csv")
        with open(wrong_header, "wb") as stream:
            stream.write(b"a,b\n1,2\n")
        for path, expected in (
            (missing, "ERROR: input file %s not found\n" % missing),
            (wrong_header, "ERROR: header mismatch at line 1: expected order_id,order_date,customer_id,region,"
                           "product,quantity,unit_price,amount,status; got a,b (source %s)\n" % wrong_header),
        ):
            with self.subTest(path=path):
                errors = io.StringIO()
                with redirect_stderr(errors):
                    status = spark_job.main(["--local_input", path, "--local_out", os.path.join(self.workdir.name, "e"),
                                             "--schema", schema_text, "--filter", filter_text],
                                            context=self.context, log=lambda _: None)
                self.assertEqual(status, 1)
                # Spark and py4j may log before it; the job's own line is the last (Glue's ErrorMessage).
                self.assertEqual(errors.getvalue().strip().splitlines()[-1] + "\n", expected)

    def test_the_default_split_gives_every_core_equal_rounds_within_sparks_bounds(self):
        # Within Spark's split bounds (spark.sql.files.maxPartitionBytes 128 MiB, openCostInBytes 4 MiB), equal
        # ranges in whole rounds of one range per core, at least 2 rounds: no short last range read alone.
        mib = 1024 * 1024
        self.assertEqual(spark_job.default_split_bytes(1000 * mib, 2), 125 * mib)  # 8 ranges: 4 rounds of 2
        self.assertEqual(spark_job.default_split_bytes(100 * mib, 2), 25 * mib)  # 4 ranges: 2 rounds of 2
        self.assertEqual(spark_job.default_split_bytes(300 * 1000 * 1000, 2), 75 * 1000 * 1000)  # not 128+128+44 MiB
        self.assertEqual(spark_job.default_split_bytes(1 * mib, 8), 4 * mib)
        for size, cores in ((10 * 1024 * mib, 36), (1000 * 1000 * 1000, 2), (7 * mib + 3, 3), (4096 * mib, 4)):
            split = spark_job.default_split_bytes(size, cores)
            ranges = -(-size // split)
            with self.subTest(size=size, cores=cores):
                self.assertLessEqual(split, 128 * mib)
                self.assertGreaterEqual(split, 4 * mib)
                if split > 4 * mib:
                    self.assertEqual(ranges % cores, 0, (split, ranges))
                    self.assertGreaterEqual(ranges // cores, 2)
        manifest, logged = self.run_job("sample", CASES["sample/amount_ge"][1], CASES["sample/amount_ge"][2], None)
        self.assertEqual(len(manifest["data_keys"]), 1, logged)

    def test_wrong_split_bytes_is_a_usage_error(self):
        status = spark_job.main(["--split_bytes", "0"], context=self.context, log=lambda _: None)
        self.assertEqual(status, 2)


class DriverRangesTest(unittest.TestCase):
    def test_stop_leaves_the_range_in_progress_to_the_driver_and_the_rest_to_spark(self):
        import threading

        data = b"".join(b"line %03d\n" % number for number in range(100))
        with tempfile.NamedTemporaryFile(suffix=".csv") as stream:
            stream.write(data)
            stream.flush()
            source = spark_job.LocalSource(stream.name)
            on_range_3, release = threading.Event(), threading.Event()
            classified = []

            def classify(group):
                if group[0] == 3:
                    on_range_3.set()
                    release.wait(30)
                classified.append(group)
                return group

            driver = spark_job._DriverRanges(classify, source, len(data), 75)
            self.assertTrue(on_range_3.wait(30))
            end = driver.stop()
            release.set()
            results = driver.results()
        # Ranges of 75 bytes moved to the next line start (9 bytes a line): 0-81, 81-162, 162-243, 243-324.
        self.assertEqual(driver.ranges, [(0, 81), (81, 162), (162, 243), (243, 324)])
        self.assertEqual(end, 324)
        self.assertEqual([group[:4] for group in results], [(index, index) + driver.ranges[index] for index in range(4)])
        self.assertEqual(classified, results)


class LineCountTest(unittest.TestCase):
    """count_lines gives the physical lines the transform reads ("\\n", "\\r\\n", a lone "\\r"), whatever the
    read size: chunks that end between "\\r" and "\\n", on a lone "\\r", in files with and without "\\r"."""

    def test_counts_every_line_end_across_chunk_boundaries(self):
        import random
        import re

        rng = random.Random(15)
        with tempfile.TemporaryDirectory() as workdir:
            path = os.path.join(workdir, "lines.csv")
            for trial in range(200):
                alphabet = [b"a", b",", b"\n"] + ([b"\r", b"\r\n"] if trial % 2 else [])
                data = b"".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))
                with open(path, "wb") as stream:
                    stream.write(data)
                expected = len(re.findall(rb"\r\n|\n|\r", data))
                for chunk in (1, 2, 3, 7, 1024):
                    with self.subTest(data=data, chunk=chunk):
                        previous, spark_job._READ_CHUNK = spark_job._READ_CHUNK, chunk
                        try:
                            self.assertEqual(spark_job.count_lines(spark_job.LocalSource(path), 0, len(data)), expected)
                        finally:
                            spark_job._READ_CHUNK = previous


if __name__ == "__main__":
    unittest.main()
