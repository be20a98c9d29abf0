"""Tests of what the transform's fast path relies on: csv.writer leaves plain fields alone,
the line feed serves lines exactly as the text stream's readline would, and the fast path
and the csv module read the same fields. The output itself is pinned by test_golden_output."""

import csv
import io
import random
import unittest

from transform import (
    _LineFeed,
    _PLAIN_FIELDS_UNCHANGED,
    parse_filter,
    parse_schema,
    transform,
)
from test_transform import DEFAULT_FILTER_JSON, ORDERS_HEADER, ORDERS_SCHEMA_JSON, order


def text_stream(text):
    return io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8", newline="")


def random_text(rng, length):
    pieces = ["a", "b", ",", '"', "\r", "\n", "\r\n", "\u00e9", "\U0001f4e6", "xyz" * 7]
    return "".join(rng.choice(pieces) for _ in range(length))


class CsvWriterTest(unittest.TestCase):
    def test_fields_without_comma_quote_line_end_or_nul_are_written_as_they_are(self):
        # A kept line without quotes is written as read, which is what csv.writer writes
        # when it quotes none of its fields (NUL goes to the csv path: Python 3.9 quotes it).
        fields = [chr(code) for code in range(1, 0x110000) if chr(code) not in ',"\r\n']
        fields += ["", " a ", "a b", "x\ty"]
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\n").writerow(fields)
        self.assertEqual(buffer.getvalue(), ",".join(fields) + "\n")
        self.assertTrue(_PLAIN_FIELDS_UNCHANGED)


class LineFeedTest(unittest.TestCase):
    """After any block, the feed's readline(limit) gives what the stream's own would."""

    def assert_same_lines(self, text, feed, rng):
        reference = text_stream(text)
        while True:
            limit = rng.choice((1, 2, 3, 5, 8, 40, 1000))
            expected = reference.readline(limit)
            self.assertEqual(feed.readline(limit), expected, (text, limit))
            if not expected:
                return

    def test_lines_kept_whole_then_the_stream(self):
        rng = random.Random(11)
        for _ in range(400):
            text = random_text(rng, rng.randrange(0, 60))
            block_chars = rng.choice((1, 2, 5, 20, 100))
            # line_limit above every line: the job's lines longer than it are over-long records
            # whichever way they are cut (test_golden_output covers those).
            feed = _LineFeed(text_stream(text), block_chars, 1000)
            block = feed.read_block()
            lines = io.StringIO(block, newline="").readlines()
            tail = lines.pop() if lines and not lines[-1].endswith(("\n", "\r")) else ""
            feed.start_block(iter(lines), "", tail)
            self.assert_same_lines(text, feed, rng)

    def test_lines_without_their_line_ends_and_a_pushed_back_line(self):
        rng = random.Random(12)
        for _ in range(400):
            line_end = rng.choice(("\n", "\r\n"))
            lines = [random_text(rng, rng.randrange(0, 8)).replace("\r", "").replace("\n", "")
                     for _ in range(rng.randrange(1, 6))]
            text = line_end.join(lines) + rng.choice(("", line_end, line_end + "end"))
            feed = _LineFeed(text_stream(text), rng.choice((1, 4, 30, 500)), 1000)
            block = feed.read_block()
            split = block.replace("\r\n", "\n").split("\n")
            tail = split.pop()
            rows = iter(split)
            feed.start_block(rows, line_end, tail)
            first = next(rows, None)
            if first is not None:
                feed.push_line(first)  # what the fast path does with a line it cannot read
            self.assert_same_lines(text, feed, rng)


class FastPathFieldsTest(unittest.TestCase):
    """Rows the fast path reads (plain, one quoted field, several) give the csv module's output."""

    def run_rows(self, rows):
        schema = parse_schema(ORDERS_SCHEMA_JSON)
        filt = parse_filter(DEFAULT_FILTER_JSON, schema)
        text = "\n".join([ORDERS_HEADER] + rows) + "\n"
        out, rejects = io.StringIO(newline=""), io.StringIO(newline="")
        counts = transform(io.StringIO(text, newline=""), out, rejects, schema, filt)
        return counts, out.getvalue(), rejects.getvalue()

    def expected_data(self, rows):
        kept = [r for r in csv.reader(rows) if len(r) == 9 and float(r[7]) >= 100]
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(ORDERS_HEADER.split(","))
        writer.writerows(kept)
        return buffer.getvalue()

    def test_quoted_fields_read_and_written_as_the_csv_module_does(self):
        rows = [
            order("O-1", product='"Lamp, LED"'),
            order("O-2", product='"Lamp"'),            # quotes not needed: written without
            order("O-3", product='""'),                # an empty quoted field
            order("O-4", product='"a ""b"" c"'),       # escaped quotes: csv module
            order('"O-5"', product='"x,y"'),           # two quoted fields: csv module
            order("O-6", amount='"150.00"'),           # a quoted typed field
            '"O-7",2025-03-01,C-1,EU,"Desk, big",2,60.00,"120.00",SHIPPED',
            order("O-8", product='Pro"duct'),          # a quote inside an unquoted field
            order("O-9", product='x"y,z"'),            # two unquoted fields with a quote each
        ]
        counts, data, rejects = self.run_rows(rows)
        self.assertEqual(data, self.expected_data(rows))
        self.assertEqual((counts.input_rows, counts.rejected), (9, 1))
        self.assertIn('10,"expected 9 fields, got 10","O-9,', rejects)

    def test_bad_quoting_is_rejected_with_the_csv_module_message(self):
        counts, _, rejects = self.run_rows([order("O-1", product='"Desk"x'), order("O-2")])
        self.assertEqual((counts.kept, counts.rejected), (1, 1))
        self.assertIn("2,\"malformed CSV: ',' expected after '\"\"'\"", rejects)

    def test_progress_every_must_be_positive(self):
        schema = parse_schema(ORDERS_SCHEMA_JSON)
        filt = parse_filter(DEFAULT_FILTER_JSON, schema)
        with self.assertRaisesRegex(ValueError, "progress_every must be a number of records >= 1, got 0"):
            transform(io.StringIO(""), io.StringIO(), io.StringIO(), schema, filt,
                      progress=print, progress_every=0)


if __name__ == "__main__":
    unittest.main()
