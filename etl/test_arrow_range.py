"""arrow_range.classify_range against transform.transform_range, the classification it must reproduce byte for
byte: on the golden tests' inputs (the lab's sample, generated orders, CRLF and CR line ends, damaged bytes,
the hostile file), on random CSV-like bytes, in blocks from one line to many, as a file's first range and as a
later one. The blocks must also go the way the module's docstring says: most by Arrow on clean orders, none on
what Arrow may not read."""

import io
import random
import unittest
from unittest import mock

import arrow_range
from arrow_range import LineEndCounter, classify_range, whole_quoted_fields
from test_golden_output import CASES, input_bytes
from transform import open_text_input, parse_filter, parse_schema, transform_range


def exact(data, schema, filt, lines_before, max_record_chars):
    out, rejects = io.StringIO(newline=""), io.StringIO(newline="")
    outcome = transform_range(open_text_input(io.BytesIO(data)), out, rejects, schema, filt, lines_before,
                              max_record_chars)
    return outcome, out.getvalue(), rejects.getvalue()


def by_blocks(data, schema, filt, lines_before, max_record_chars, block_bytes, line_limit=None):
    out, rejects = io.StringIO(newline=""), io.StringIO(newline="")
    ways = {}
    with mock.patch.object(arrow_range, "BLOCK_BYTES", block_bytes), \
            mock.patch.object(arrow_range, "LINE_LIMIT_BYTES", line_limit or arrow_range.LINE_LIMIT_BYTES):
        outcome = classify_range(io.BufferedReader(io.BytesIO(data)), out, rejects, schema, filt, lines_before,
                                 max_record_chars, ways=ways)
    return (outcome, out.getvalue(), rejects.getvalue()), ways


def later_range(data):
    """(bytes after the first few lines, how many lines they are): a range that is not the file's first."""
    lines = data.split(b"\n")
    skipped = min(3, len(lines) - 1)
    return b"\n".join(lines[skipped:]), skipped


class ClassifyRangeTest(unittest.TestCase):
    def assert_same(self, data, schema, filt, lines_before, limit, block_bytes, line_limit=None):
        expected = exact(data, schema, filt, lines_before, limit)
        got, ways = by_blocks(data, schema, filt, lines_before, limit, block_bytes, line_limit)
        self.assertEqual(got[0].counts, expected[0].counts)
        self.assertEqual(got[0].ended_mid_record, expected[0].ended_mid_record)
        counter = LineEndCounter()
        counter.feed(data)
        self.assertEqual(got[0].lines, counter.lines)
        self.assertEqual(got[1], expected[1])
        self.assertEqual(got[2], expected[2])
        return ways

    def test_every_golden_input_gives_transform_ranges_output_in_blocks_of_any_size(self):
        self.assertTrue(arrow_range.arrow_available(), "the Spark engine's environment has pyarrow")
        # Every input with the default filter and the schemas that type the columns otherwise, and record limits
        # below a block's size (the other filters run the same classification, which test_golden_output covers).
        names = sorted(name for name in CASES if name.endswith(("/amount_ge", "/strings", "/swapped", "/ge"))) + [
            "generated/limit_100", "nasty/limit_1000", "one_column/limit_7"]
        self.assertEqual(set(CASES[name][0] for name in names), set(case[0] for case in CASES.values()))
        for name in names:
            input_name, schema_text, filter_text, _, limit = CASES[name]
            schema = parse_schema(schema_text)
            filt = parse_filter(filter_text, schema)
            limit = limit or arrow_range.MAX_RECORD_CHARS
            data = input_bytes(input_name)
            for first in (True, False):
                text, lines_before = (data, 0) if first else later_range(data)
                # Small inputs in blocks from one line up; the 3 to 5 MB ones in 64 KiB blocks (the random test
                # below cuts blocks anywhere).
                for block_bytes in ((1, 97, 4096) if len(data) < 200000 else (65536,)):
                    with self.subTest(case=name, first_range=first, block_bytes=block_bytes):
                        self.assert_same(text, schema, filt, lines_before, limit, block_bytes, line_limit=300)

    def test_clean_orders_go_by_arrow_and_hostile_bytes_by_the_row_loop(self):
        schema_text, filter_text = CASES["generated/amount_ge"][1:3]
        schema = parse_schema(schema_text)
        filt = parse_filter(filter_text, schema)
        generated = input_bytes("generated")
        ways = self.assert_same(generated, schema, filt, 0, arrow_range.MAX_RECORD_CHARS, 4096)
        # The first block (the header) and the blocks with the generator's four broken rows go alone.
        self.assertGreater(ways.get("arrow", 0), 10 * ways.get("alone", 0), ways)
        self.assertNotIn("to_end", ways)
        # "\r\n" line ends, a lone "\r": every block to transform_range (the first sends the rest of the range).
        for name in ("generated_crlf", "generated_cr"):
            ways = self.assert_same(input_bytes(name), schema, filt, 0, arrow_range.MAX_RECORD_CHARS, 4096)
            self.assertEqual(ways, {"to_end": 1}, name)
        # A quoted field over several lines is a record crossing blocks: the rest of the range goes to transform.
        ways = self.assert_same(input_bytes("nasty"), schema, filt, 0, arrow_range.MAX_RECORD_CHARS, 4096)
        self.assertEqual(ways.get("to_end"), 1, ways)

    def test_random_csv_like_bytes_give_transform_ranges_output(self):
        rng = random.Random(15)
        schema = parse_schema('[{"name":"s","type":"string"},{"name":"n","type":"int"},'
                              '{"name":"d","type":"date"},{"name":"x","type":"decimal"}]')
        filters = [parse_filter(text, schema) for text in (
            '{"column":"n","operator":"ge","value":"5"}', '{"column":"s","operator":"in","value":"a|b,c"}',
            '{"column":"x","operator":"lt","value":"2.5"}', '{"column":"d","operator":"eq","value":"2025-01-31"}')]
        # Rows of the schema's four fields, most of them valid, so that many blocks go by Arrow; now and then a
        # field Arrow and the csv module might read apart, a row too short or too long, or a hostile byte.
        columns = [
            ["a", "b", '"b,c"', '"a"', '""', "\u00e9", '"\u00e9, \u00fc"', '"x""y"', "\ufeffa", " a", 'p"q', '"p"q'],
            ["7", "12", "-3", "+4", "5", '"7"', "x", ""],
            ["2025-01-31", "2025-03-01", "2025-02-30", "2025-1-1", '"2025-01-31"'],
            ["2.5", "1.25", "3", "0.1", '"2,5"', "2."],
        ]
        weights = [[12, 12, 10, 2, 1, 5, 5, 1, 1, 1, 1, 1], [10, 10, 5, 2, 10, 1, 1, 1], [10, 10, 1, 1, 1],
                   [10, 10, 10, 10, 1, 1]]
        hostile = ["\r\n", "\r", "\0", "\xff", "\n", '"', "\ufeff"]
        ways_seen = {}
        for round_number in range(300):
            lines = ["s,n,d,x"] if rng.random() < 0.5 else []
            for _ in range(rng.randrange(0, 40)):
                row = [rng.choices(values, weights=weight)[0] for values, weight in zip(columns, weights)]
                damage = rng.random()
                if damage < 0.03:
                    row.pop(rng.randrange(len(row)))
                elif damage < 0.06:
                    row.append("7")
                elif damage < 0.09:
                    position = rng.randrange(len(row))
                    row[position] += rng.choice(hostile)
                lines.append(",".join(row) if rng.random() > 0.02 else "")
            ending = rng.choice(("\n", "\n", "\n", ""))
            data = ("\n".join(lines) + (ending if lines else "")).encode("utf-8").replace(
                "\xff".encode("utf-8"), b"\xff")
            lines_before = 0 if data.startswith(b"s,n,d,x") else rng.choice((1, 10 ** 15))
            filt = rng.choice(filters)
            for block_bytes in (1, 40, 4096):
                with self.subTest(round=round_number, block_bytes=block_bytes, data=data):
                    ways = self.assert_same(data, schema, filt, lines_before, arrow_range.MAX_RECORD_CHARS,
                                            block_bytes)
                    for way, count in ways.items():
                        ways_seen[way] = ways_seen.get(way, 0) + count
        # Every way was taken, Arrow's many times.
        self.assertGreater(ways_seen.get("arrow", 0), 500, ways_seen)
        self.assertGreater(ways_seen.get("alone", 0), 500, ways_seen)
        self.assertGreater(ways_seen.get("to_end", 0), 100, ways_seen)

    def test_without_pyarrow_every_block_goes_to_transform_range(self):
        schema_text, filter_text = CASES["generated/amount_ge"][1:3]
        schema = parse_schema(schema_text)
        filt = parse_filter(filter_text, schema)
        with mock.patch.object(arrow_range, "pyarrow", None):
            ways = self.assert_same(input_bytes("generated"), schema, filt, 0, arrow_range.MAX_RECORD_CHARS, 4096)
        self.assertEqual(ways, {"to_end": 1})


    def test_a_pyarrow_version_not_tested_is_not_used_and_the_log_says_so(self):
        self.assertIn("Arrow (pyarrow 18.1.0)", arrow_range.classifier_description())
        with mock.patch.object(arrow_range, "pyarrow", None), \
                mock.patch.object(arrow_range, "FOUND_PYARROW_VERSION", "12.0.1"):
            self.assertEqual(arrow_range.classifier_description(),
                             "every block classified by the Python row loop (pyarrow 12.0.1 is not a version this job "
                             "is tested with: 18.1.0)")
        with mock.patch.object(arrow_range, "pyarrow", None), \
                mock.patch.object(arrow_range, "FOUND_PYARROW_VERSION", None):
            self.assertIn("pyarrow is not installed", arrow_range.classifier_description())


class WholeQuotedFieldsTest(unittest.TestCase):
    def test_accepts_only_quotes_that_are_whole_fields_of_one_line(self):
        accepted = [b"a,b\n", b'"a,b",c\n', b'x,"a,b"\n', b'x,"a",y\n"p,q",2\n', b'"",1\n', b'a,"b","c"\n']
        refused = [b'a"b,c\n', b'"a"b,c\n', b'"a""b",c\n', b'"a\nb",c\n', b'x,"a\n', b'a,b"\n', b'a,"b"c\n',
                   b'"a","b""\n', b'a,"b" ,c\n', b' "a",b\n', b'"x,y",a"b,c"\n']
        for block in accepted:
            self.assertIsNotNone(whole_quoted_fields(block), block)
        for block in refused:
            self.assertIsNone(whole_quoted_fields(block), block)


if __name__ == "__main__":
    unittest.main()
