"""Tests of etl/generate_orders.py: reproducible sample data, realistic rows, the 4 broken rows."""

import contextlib
import csv
import datetime
import decimal
import io
import os
import tempfile
import unittest

import generate_orders
from generate_orders import HEADER, PRODUCTS, REGIONS, STATUSES, main, malformed_positions, write_orders
from test_transform import DEFAULT_FILTER_JSON, ORDERS_SCHEMA_JSON
from transform import parse_filter, parse_schema, transform

SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "orders.csv")


def generate(**options):
    stream = io.StringIO(newline="")
    write_orders(stream, **options)
    return stream.getvalue()


def filter_sample(text):
    schema = parse_schema(ORDERS_SCHEMA_JSON)
    rejects = io.StringIO(newline="")
    counts = transform(io.StringIO(text, newline=""), io.StringIO(newline=""), rejects, schema,
                       parse_filter(DEFAULT_FILTER_JSON, schema))
    return counts, list(csv.reader(io.StringIO(rejects.getvalue(), newline="")))[1:]


class CheckedInSampleTest(unittest.TestCase):
    def test_checked_in_sample_is_reproduced_byte_for_byte(self):
        with open(SAMPLE, "rb") as stream:
            checked_in = stream.read()
        self.assertEqual(generate(rows=2000).encode("utf-8"), checked_in)

    def test_cli_default_arguments_write_the_same_bytes(self):
        with tempfile.TemporaryDirectory() as workdir:
            out = os.path.join(workdir, "orders.csv")
            with contextlib.redirect_stderr(io.StringIO()) as stderr:
                self.assertEqual(main(["--out", out]), 0)
            self.assertEqual(stderr.getvalue(), "wrote 2000 rows to %s\n" % out)
            with open(out, "rb") as produced, open(SAMPLE, "rb") as checked_in:
                self.assertEqual(produced.read(), checked_in.read())

    def test_sample_has_exactly_the_four_documented_rejects(self):
        with open(SAMPLE, encoding="utf-8", newline="") as stream:
            counts, rejects = filter_sample(stream.read())
        self.assertEqual(counts.input_rows, 2000)
        self.assertEqual(counts.rejected, 4)
        self.assertEqual([(line, reason) for line, reason, _ in rejects], [
            ("401", "expected 9 fields, got 7"),
            ("801", "amount: not a decimal: '12O.50'"),
            ("1201", "order_date: not a date: '2025-02-30'"),
            ("1601", "quantity: not an int: 'three'"),
        ])
        self.assertGreater(counts.kept, 0)
        self.assertGreater(counts.filtered_out, 0)


class GeneratedRowsTest(unittest.TestCase):
    def test_rows_are_realistic_orders(self):
        rows = list(csv.reader(io.StringIO(generate(rows=600, clean=True), newline="")))
        self.assertEqual(tuple(rows[0]), HEADER)
        prices = dict(PRODUCTS)
        for row in rows[1:]:
            order_id, day, customer, region, product, quantity, unit_price, amount, status = row
            self.assertEqual(datetime.date.fromisoformat(day).year, 2025)
            self.assertIn(region, REGIONS)
            self.assertIn(status, STATUSES)
            self.assertEqual(prices[product], unit_price)
            self.assertTrue(1 <= int(quantity) <= 20)
            self.assertEqual(decimal.Decimal(amount), decimal.Decimal(unit_price) * int(quantity))
            self.assertRegex(amount, r"^[0-9]+\.[0-9]{2}$")
            self.assertRegex(customer, r"^CUST-[0-9]{5}$")
        self.assertEqual([row[0] for row in rows[1:4]], ["ORD-0000001", "ORD-0000002", "ORD-0000003"])
        self.assertTrue(any("," in row[4] for row in rows[1:]))
        self.assertEqual({row[3] for row in rows[1:]}, set(REGIONS))
        self.assertEqual({row[8] for row in rows[1:]}, set(STATUSES))

    def test_products_with_commas_are_quoted(self):
        text = generate(rows=200)
        self.assertIn('"USB-C Cable, 2 m"', text)

    def test_same_seed_same_bytes_other_seed_other_bytes(self):
        self.assertEqual(generate(rows=300, seed=7), generate(rows=300, seed=7))
        self.assertNotEqual(generate(rows=300, seed=7), generate(rows=300, seed=8))

    def test_broken_rows_replace_rows_without_shifting_the_others(self):
        broken = generate(rows=100).split("\n")
        clean = generate(rows=100, clean=True).split("\n")
        positions = malformed_positions(100)
        self.assertEqual(positions, (20, 40, 60, 80))
        differing = [n for n, (a, b) in enumerate(zip(broken, clean)) if a != b]
        self.assertEqual(differing, list(positions))  # line n holds data row n (line 0 is the header)
        counts, _ = filter_sample(generate(rows=100, clean=True))
        self.assertEqual(counts.rejected, 0)

    def test_bytes_mode_stops_just_past_the_target_size(self):
        target = 300 * 1024
        text = generate(target_bytes=target)
        size = len(text.encode("utf-8"))
        longest_row = max(len(line.encode("utf-8")) + 1 for line in text.split("\n"))
        self.assertGreaterEqual(size, target)
        self.assertLess(size, target + longest_row)
        counts, rejects = filter_sample(text)
        self.assertEqual(counts.rejected, 4)
        self.assertEqual([line for line, _, _ in rejects], ["401", "801", "1201", "1601"])

    def test_rows_or_bytes_not_both(self):
        with self.assertRaises(ValueError):
            write_orders(io.StringIO(), rows=1, target_bytes=10)
        with contextlib.redirect_stderr(io.StringIO()):
            with self.assertRaises(SystemExit):
                main(["--rows", "10", "--bytes", "100"])

    def test_default_output_is_the_checked_in_sample(self):
        self.assertEqual(os.path.abspath(generate_orders.DEFAULT_OUT), SAMPLE)


if __name__ == "__main__":
    unittest.main()
