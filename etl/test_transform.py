"""Unit tests of etl/transform.py: schema and filter parsing, typed comparison, CSV edge cases,
rejects, the row-count invariant and bounded memory."""

import csv
import io
import json
import os
import tempfile
import tracemalloc
import unittest

from generate_orders import write_orders
from transform import (
    Counts,
    HeaderError,
    MAX_RECORD_CHARS,
    escape_invalid_utf8,
    open_text_input,
    parse_filter,
    parse_schema,
    transform,
    transform_range,
)

ORDERS_COLUMNS = [
    ("order_id", "string"), ("order_date", "date"), ("customer_id", "string"),
    ("region", "string"), ("product", "string"), ("quantity", "int"),
    ("unit_price", "decimal"), ("amount", "decimal"), ("status", "string"),
]
ORDERS_SCHEMA_JSON = json.dumps([{"name": n, "type": t} for n, t in ORDERS_COLUMNS])
ORDERS_HEADER = ",".join(name for name, _ in ORDERS_COLUMNS)
DEFAULT_FILTER_JSON = '{"column":"amount","operator":"ge","value":"100"}'


def order(order_id="O-1", date="2025-03-01", quantity="2", unit_price="60.00",
          amount="120.00", status="SHIPPED", product="Mouse"):
    return ",".join([order_id, date, "C-1", "EU", product, quantity, unit_price, amount, status])


def read_csv(text):
    """Parse CSV output, allowing the large fields some tests write."""
    previous = csv.field_size_limit(64 * 1024 * 1024)
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    finally:
        csv.field_size_limit(previous)


class Result(object):
    def __init__(self, counts, data, rejects_text):
        self.counts = counts
        self.data = data
        self.rejects_text = rejects_text
        rows = read_csv(rejects_text)
        self.rejects_header = rows[0]
        self.rejects = rows[1:]


def run(source, filter_json=DEFAULT_FILTER_JSON, schema_json=ORDERS_SCHEMA_JSON, **options):
    """Run transform over text or bytes (bytes go through open_text_input) and check the invariant."""
    schema = parse_schema(schema_json)
    filt = parse_filter(filter_json, schema)
    if isinstance(source, bytes):
        in_stream = open_text_input(io.BytesIO(source))
    else:
        in_stream = io.StringIO(source, newline="")
    out, rejects = io.StringIO(newline=""), io.StringIO(newline="")
    counts = transform(in_stream, out, rejects, schema, filt, **options)
    assert counts.input_rows == counts.kept + counts.filtered_out + counts.rejected, counts
    assert counts.rejected == len(read_csv(rejects.getvalue())) - 1
    return Result(counts, out.getvalue(), rejects.getvalue())


class ParseSchemaTest(unittest.TestCase):
    def test_contract_schema_parses_in_order(self):
        self.assertEqual(parse_schema(ORDERS_SCHEMA_JSON), ORDERS_COLUMNS)

    def test_errors_name_the_problem(self):
        cases = [
            ("not json", "schema is not valid JSON"),
            ("[]", "non-empty JSON array"),
            ('{"name":"a"}', "non-empty JSON array"),
            ('["a"]', "schema[0] must be an object"),
            ('[{"name":"a","type":"float"}]', "schema[0] (a): unknown type 'float'; valid types: string, int, decimal, date"),
            ('[{"name":"","type":"int"}]', "schema[0].name must be a non-empty string"),
            ('[{"name":"a","type":"int"},{"name":"a","type":"date"}]', "schema[1]: duplicate column name 'a'"),
            ('[{"name":"a","type":"int","nullable":true}]', "unknown keys: nullable"),
        ]
        for text, message in cases:
            with self.subTest(text=text):
                with self.assertRaises(ValueError) as caught:
                    parse_schema(text)
                self.assertIn(message, str(caught.exception))


class ParseFilterTest(unittest.TestCase):
    schema = ORDERS_COLUMNS

    def error(self, text):
        with self.assertRaises(ValueError) as caught:
            parse_filter(text, self.schema)
        return str(caught.exception)

    def test_default_filter(self):
        filt = parse_filter(DEFAULT_FILTER_JSON, self.schema)
        self.assertEqual((filt.column, filt.operator, filt.value, filt.index, filt.type),
                         ("amount", "ge", "100", 7, "decimal"))
        self.assertEqual(filt.spec, {"column": "amount", "operator": "ge", "value": "100"})

    def test_unknown_column_lists_known_columns(self):
        message = self.error('{"column":"amt","operator":"ge","value":"1"}')
        self.assertEqual(message, "filter: unknown column 'amt'; known columns: " +
                         ", ".join(name for name, _ in ORDERS_COLUMNS))

    def test_unknown_operator_lists_valid_ones(self):
        message = self.error('{"column":"amount","operator":"gte","value":"1"}')
        self.assertEqual(message, "filter: unknown operator 'gte'; valid operators: eq, ne, gt, ge, lt, le, in")

    def test_value_must_be_of_the_column_type(self):
        cases = [
            ('{"column":"amount","operator":"ge","value":"1e2"}', "value '1e2' is not a decimal (column amount is decimal)"),
            ('{"column":"quantity","operator":"eq","value":"1.5"}', "value '1.5' is not an int (column quantity is int)"),
            ('{"column":"order_date","operator":"lt","value":"2025-02-30"}', "value '2025-02-30' is not a date"),
            ('{"column":"quantity","operator":"in","value":"1|x|3"}', "value 'x' is not an int"),
        ]
        for text, message in cases:
            with self.subTest(text=text):
                self.assertIn(message, self.error(text))

    def test_shape_errors(self):
        self.assertIn("filter is not valid JSON", self.error("{"))
        self.assertIn("must be a JSON object", self.error("[]"))
        self.assertEqual("filter is missing operator, value", self.error('{"column":"amount"}'))
        self.assertIn("unknown keys: op", self.error('{"column":"amount","operator":"ge","value":"1","op":"x"}'))
        self.assertIn('must be a JSON string, got 100', self.error('{"column":"amount","operator":"ge","value":100}'))


TYPED_SCHEMA_JSON = json.dumps([
    {"name": "s", "type": "string"}, {"name": "i", "type": "int"},
    {"name": "d", "type": "decimal"}, {"name": "t", "type": "date"},
])


class TypedComparisonTest(unittest.TestCase):
    """Every operator on every type, through transform: kept (True) or filtered out (False)."""

    CASES = [
        # column, operator, filter value, field value, kept?
        ("s", "eq", "SHIPPED", "SHIPPED", True),
        ("s", "eq", "SHIPPED", "shipped", False),
        ("s", "ne", "SHIPPED", "PENDING", True),
        ("s", "gt", "Z", "a", True),  # code points: 'a' (97) > 'Z' (90)
        ("s", "lt", "z", "\u00e9", False),  # 'é' (233) is not < 'z' (122)
        ("s", "ge", "abc", "abc", True),
        ("s", "le", "abc", "abd", False),
        ("s", "in", "SHIPPED|DELIVERED", "DELIVERED", True),
        ("s", "in", "SHIPPED|DELIVERED", "PENDING", False),
        ("s", "eq", "", "", True),
        ("i", "eq", "7", "007", True),
        ("i", "eq", "7", "+7", True),
        ("i", "ne", "7", "-7", True),
        ("i", "gt", "9", "10", True),  # numeric, not text, order
        ("i", "ge", "10", "9", False),
        ("i", "lt", "-1", "-2", True),
        ("i", "le", "0", "-0", True),
        ("i", "in", "1|2|3", "02", True),
        ("i", "in", "1|2|3", "4", False),
        ("i", "gt", "1", "9" * 5000, True),  # beyond int()'s 4300-digit limit
        ("d", "eq", "100", "100.00", True),
        ("d", "ne", "100", "100.001", True),
        ("d", "gt", "99.99", "100", True),
        ("d", "ge", "100", "99.999999999999999999999999999999", False),  # no float rounding
        ("d", "lt", "-1.25", "-1.5", True),
        ("d", "le", "0.1", "0.10", True),
        ("d", "in", "1.5|2", "1.50", True),
        ("d", "in", "1.5|2", "2.01", False),
        ("t", "eq", "2025-01-31", "2025-01-31", True),
        ("t", "ne", "2025-01-31", "2025-02-01", True),
        ("t", "gt", "2025-01-31", "2025-02-01", True),
        ("t", "ge", "2025-06-01", "2025-05-31", False),
        ("t", "lt", "2025-01-01", "2024-12-31", True),
        ("t", "le", "2024-02-29", "2024-02-29", True),
        ("t", "in", "2025-01-01|2025-12-31", "2025-12-31", True),
        ("t", "in", "2025-01-01|2025-12-31", "2025-06-30", False),
    ]

    def test_operators_by_type(self):
        defaults = {"s": "x", "i": "1", "d": "1.0", "t": "2025-01-01"}
        for column, operator, value, field, kept in self.CASES:
            with self.subTest(column=column, operator=operator, value=value[:20], field=field[:20]):
                row = dict(defaults)
                row[column] = field
                text = "s,i,d,t\n" + ",".join(row[name] for name in "sidt") + "\n"
                filter_json = json.dumps({"column": column, "operator": operator, "value": value})
                result = run(text, filter_json, TYPED_SCHEMA_JSON)
                expected = Counts(1, 1, 0, 0) if kept else Counts(1, 0, 1, 0)
                self.assertEqual(result.counts, expected)


class FieldTypeTest(unittest.TestCase):
    def reason_for(self, column, field):
        row = {"s": "x", "i": "1", "d": "1.0", "t": "2025-01-01"}
        row[column] = field
        text = "s,i,d,t\n" + ",".join(row[name] for name in "sidt") + "\n"
        result = run(text, '{"column":"s","operator":"ne","value":""}', TYPED_SCHEMA_JSON)
        return result.rejects[0][1] if result.rejects else None

    def test_values_that_parse(self):
        for column, field in [("i", "-12"), ("i", "+0"), ("d", "3"), ("d", "-0.50"),
                              ("t", "2024-02-29"), ("s", "")]:
            with self.subTest(column=column, field=field):
                self.assertIsNone(self.reason_for(column, field))

    def test_values_that_do_not_parse_are_rejected_with_the_column_and_value(self):
        cases = [
            ("i", "1.5", "i: not an int: '1.5'"),
            ("i", "", "i: not an int: ''"),
            ("i", " 1", "i: not an int: ' 1'"),
            ("i", "1_000", "i: not an int: '1_000'"),
            ("i", "\u0661", "i: not an int: '\u0661'"),  # Arabic-Indic digit one
            ("d", ".5", "d: not a decimal: '.5'"),
            ("d", "5.", "d: not a decimal: '5.'"),
            ("d", "1e3", "d: not a decimal: '1e3'"),
            ("d", "NaN", "d: not a decimal: 'NaN'"),
            ("d", "abc", "d: not a decimal: 'abc'"),
            ("t", "2025-02-30", "t: not a date: '2025-02-30'"),
            ("t", "2025-13-01", "t: not a date: '2025-13-01'"),
            ("t", "2025-1-01", "t: not a date: '2025-1-01'"),
            ("t", "20250101", "t: not a date: '20250101'"),
            ("t", "2023-02-29", "t: not a date: '2023-02-29'"),
        ]
        for column, field, reason in cases:
            with self.subTest(column=column, field=field):
                self.assertEqual(self.reason_for(column, field), reason)

    def test_every_bad_field_is_named(self):
        result = run("s,i,d,t\nx,one,two,2025-02-30\n", '{"column":"s","operator":"eq","value":"x"}',
                     TYPED_SCHEMA_JSON)
        self.assertEqual(result.rejects[0][1],
                         "i: not an int: 'one'; d: not a decimal: 'two'; t: not a date: '2025-02-30'")


class RowOutcomeTest(unittest.TestCase):
    def test_kept_filtered_and_rejected_rows(self):
        text = "\n".join([
            ORDERS_HEADER,
            order("O-1", amount="120.00"),               # line 2 kept
            order("O-2", amount="99.99"),                # line 3 filtered out
            "O-3,2025-03-01,C-1,EU,Mouse,2,60.00",       # line 4 short
            order("O-4") + ",extra",                     # line 5 long
            order("O-5", quantity="x"),                  # line 6 bad int
            order("O-6", amount="1O0.00"),               # line 7 bad decimal
            order("O-7", date="2025-02-30"),             # line 8 bad date
            order("O-8", amount="100"),                  # line 9 kept (100 >= 100)
        ]) + "\n"
        result = run(text)
        self.assertEqual(result.counts, Counts(input_rows=8, kept=2, filtered_out=1, rejected=5))
        self.assertEqual(result.data, "\n".join([ORDERS_HEADER, order("O-1"), order("O-8", amount="100")]) + "\n")
        self.assertEqual(result.rejects_header, ["line_number", "reason", "raw"])
        self.assertEqual(result.rejects, [
            ["4", "expected 9 fields, got 7", "O-3,2025-03-01,C-1,EU,Mouse,2,60.00"],
            ["5", "expected 9 fields, got 10", order("O-4") + ",extra"],
            ["6", "quantity: not an int: 'x'", order("O-5", quantity="x")],
            ["7", "amount: not a decimal: '1O0.00'", order("O-6", amount="1O0.00")],
            ["8", "order_date: not a date: '2025-02-30'", order("O-7", date="2025-02-30")],
        ])

    def test_blank_line_is_a_rejected_record_not_a_silent_skip(self):
        result = run(ORDERS_HEADER + "\n" + order("O-1") + "\n\n" + order("O-2") + "\n")
        self.assertEqual(result.counts, Counts(3, 2, 0, 1))
        self.assertEqual(result.rejects, [["3", "empty line", ""]])

    def test_last_line_without_newline(self):
        result = run(ORDERS_HEADER + "\n" + order("O-1"))
        self.assertEqual(result.counts, Counts(1, 1, 0, 0))
        self.assertTrue(result.data.endswith(order("O-1") + "\n"))

    def test_progress_is_reported_every_n_rows(self):
        seen = []
        text = ORDERS_HEADER + "\n" + "".join(order("O-%d" % n) + "\n" for n in range(7))
        run(text, progress=seen.append, progress_every=3)
        self.assertEqual(seen, [Counts(3, 3, 0, 0), Counts(6, 6, 0, 0)])

    def test_csv_field_size_limit_is_restored(self):
        before = csv.field_size_limit()
        run(ORDERS_HEADER + "\n" + order())
        self.assertEqual(csv.field_size_limit(), before)


class HeaderTest(unittest.TestCase):
    def test_empty_file_is_zero_rows_with_header_only_output(self):
        for source in (b"", "", b"\xef\xbb\xbf"):
            with self.subTest(source=source):
                result = run(source)
                self.assertEqual(result.counts, Counts(0, 0, 0, 0))
                self.assertEqual(result.data, ORDERS_HEADER + "\n")
                self.assertEqual(result.rejects_text, "line_number,reason,raw\n")

    def test_header_only(self):
        for source in (ORDERS_HEADER, ORDERS_HEADER + "\n", ORDERS_HEADER + "\r\n"):
            with self.subTest(source=source):
                result = run(source)
                self.assertEqual(result.counts, Counts(0, 0, 0, 0))
                self.assertEqual(result.data, ORDERS_HEADER + "\n")

    def test_missing_header(self):
        with self.assertRaises(HeaderError) as caught:
            run(order("O-1") + "\n" + order("O-2") + "\n")
        message = str(caught.exception)
        self.assertIn("header mismatch at line 1: expected " + ORDERS_HEADER, message)
        self.assertIn("got " + order("O-1"), message)
        self.assertIn("is the header row missing?", message)
        self.assertIsInstance(caught.exception, ValueError)

    def test_wrong_order_or_names(self):
        swapped = ORDERS_HEADER.replace("quantity,unit_price", "unit_price,quantity")
        with self.assertRaises(HeaderError) as caught:
            run(swapped + "\n" + order() + "\n")
        self.assertIn("expected %s; got %s" % (ORDERS_HEADER, swapped), str(caught.exception))

    def test_duplicate_header_names(self):
        duplicated = ORDERS_HEADER.replace("unit_price", "amount")
        with self.assertRaises(HeaderError) as caught:
            run(duplicated + "\n")
        self.assertEqual(str(caught.exception),
                         "duplicate header names: amount; expected header: %s; got: %s"
                         % (ORDERS_HEADER, duplicated))

    def test_bom_is_stripped(self):
        quoted_header = ",".join('"%s"' % name for name, _ in ORDERS_COLUMNS)
        for header in (ORDERS_HEADER, quoted_header):
            with self.subTest(header=header):
                result = run(b"\xef\xbb\xbf" + (header + "\n" + order() + "\n").encode())
                self.assertEqual(result.counts, Counts(1, 1, 0, 0))
                self.assertEqual(result.data.splitlines()[0], ORDERS_HEADER)

    def test_header_with_invalid_utf8_is_a_header_error_showing_the_byte(self):
        with self.assertRaises(HeaderError) as caught:
            run(b"order_id\xff" + ORDERS_HEADER[8:].encode() + b"\n")
        self.assertIn("got order_id\\xff,order_date", str(caught.exception))


class CsvSyntaxTest(unittest.TestCase):
    def test_crlf_input_gives_lf_output(self):
        text = ORDERS_HEADER + "\r\n" + order("O-1") + "\r\n" + order("O-2", date="x") + "\r\n"
        result = run(text.encode())
        self.assertEqual(result.counts, Counts(2, 1, 0, 1))
        self.assertEqual(result.data, ORDERS_HEADER + "\n" + order("O-1") + "\n")
        self.assertEqual(result.rejects[0][0], "3")
        self.assertEqual(result.rejects[0][2], order("O-2", date="x"))

    def test_quoted_commas_and_newlines_make_one_row(self):
        product = '"Cable, USB-C\nblack ""2 m"""'
        text = "\n".join([
            ORDERS_HEADER,
            order("O-1", product=product),                 # lines 2-3
            order("O-2", product='"Desk\r\nLamp"', quantity="two"),  # lines 4-5, rejected
            order("O-3", date="bad"),                      # line 6
        ]) + "\n"
        result = run(text.encode())
        self.assertEqual(result.counts, Counts(3, 1, 0, 2))
        kept = read_csv(result.data)[1]
        self.assertEqual(kept[4], 'Cable, USB-C\nblack "2 m"')
        self.assertEqual(result.data.splitlines()[1], 'O-1,2025-03-01,C-1,EU,"Cable, USB-C')
        self.assertEqual([r[0] for r in result.rejects], ["4", "6"])
        self.assertEqual(result.rejects[0][2], order("O-2", product='"Desk\r\nLamp"', quantity="two"))

    def test_stray_quote_is_rejected_as_malformed_csv(self):
        text = ORDERS_HEADER + "\n" + 'O-1,"2025"-03-01,x\n' + order("O-2") + "\n"
        result = run(text)
        self.assertEqual(result.counts, Counts(2, 1, 0, 1))
        self.assertEqual(result.rejects[0][0], "2")
        self.assertTrue(result.rejects[0][1].startswith("malformed CSV: "), result.rejects[0][1])
        self.assertEqual(result.rejects[0][2], 'O-1,"2025"-03-01,x')

    def test_unterminated_quote_at_end_of_file_is_rejected_with_its_text(self):
        text = ORDERS_HEADER + "\n" + order("O-1") + "\n" + 'O-2,"never closed\nmore\n'
        result = run(text)
        self.assertEqual(result.counts, Counts(2, 1, 0, 1))
        self.assertEqual(result.rejects[0][:1], ["3"])
        self.assertIn("malformed CSV", result.rejects[0][1])
        self.assertEqual(result.rejects[0][2], 'O-2,"never closed\nmore')


class InvalidUtf8Test(unittest.TestCase):
    def test_record_with_invalid_bytes_is_rejected_with_escaped_raw(self):
        source = b"\n".join([
            ORDERS_HEADER.encode(),
            order("O-1").encode(),
            order("O-2", product="Caf\xe9").encode("latin-1"),   # Latin-1 é: byte 0xe9
            order("O-3", product="Caf\u00e9").encode("utf-8"),   # valid UTF-8 é
            b'O-4,2025-03-01,C-1,EU,"two\n\xff\xfe lines",2,60.00,120.00,SHIPPED',
        ]) + b"\n"
        result = run(source)
        self.assertEqual(result.counts, Counts(4, 2, 0, 2))
        self.assertEqual(result.rejects, [
            ["3", "not valid UTF-8", order("O-2", product="Caf\\xe9")],
            ["5", "not valid UTF-8", 'O-4,2025-03-01,C-1,EU,"two\n\\xff\\xfe lines",2,60.00,120.00,SHIPPED'],
        ])
        self.assertIn("Caf\u00e9", result.data)

    def test_escape_shows_each_undecodable_byte(self):
        text = b"a\xc3\xa9\xff\xc3".decode("utf-8", "surrogateescape")
        self.assertEqual(escape_invalid_utf8(text), "a\u00e9\\xff\\xc3")


class LargeRecordTest(unittest.TestCase):
    def test_ten_megabyte_field_is_kept_and_written(self):
        big = "x" * (10 * 1024 * 1024)
        result = run(ORDERS_HEADER + "\n" + order("O-1", product='"%s, y"' % big) + "\n" + order("O-2") + "\n")
        self.assertEqual(result.counts, Counts(2, 2, 0, 0))
        kept = read_csv(result.data)
        self.assertEqual(kept[1][4], big + ", y")

    def test_ten_megabyte_field_in_a_rejected_row_keeps_raw_and_a_short_reason(self):
        big = "7" * (10 * 1024 * 1024)
        result = run(ORDERS_HEADER + "\n" + order("O-1", amount=big + "x") + "\n")
        self.assertEqual(result.counts, Counts(1, 0, 0, 1))
        self.assertLess(len(result.rejects[0][1]), 200)
        self.assertIn("amount: not a decimal: '777", result.rejects[0][1])
        self.assertEqual(result.rejects[0][2], order("O-1", amount=big + "x"))

    def test_record_over_the_limit_is_rejected_whole_and_parsing_resumes(self):
        long_line = order("O-2", product="p" * 500)
        text = "\r\n".join([ORDERS_HEADER, order("O-1"), long_line, order("O-3")]) + "\r\n"
        result = run(text.encode(), max_record_chars=200)
        self.assertEqual(result.counts, Counts(3, 2, 0, 1))
        self.assertEqual(result.rejects, [[
            "3", "record longer than 200 characters (parsing resumes at the next line)", long_line]])

    def test_over_long_quoted_record_is_cut_at_the_limit_and_nothing_is_lost(self):
        # A stray opening quote would make the rest of the file one field: the limit stops it.
        lines = [ORDERS_HEADER, 'O-1,2025-03-01,C-1,EU,"unclosed'] + ["filler line %d" % n for n in range(40)]
        lines += [order("O-9")]
        result = run("\n".join(lines) + "\n", max_record_chars=300)
        self.assertEqual(result.counts.kept, 1)
        rejected_raw = "\n".join(row[2] for row in result.rejects)
        for line in lines[1:-1]:
            self.assertIn(line, rejected_raw)
        self.assertEqual(result.rejects[0][0], "2")

    def test_crlf_split_at_the_limit_does_not_create_an_empty_line(self):
        limit = 120
        long_line = "y" * limit  # read as limit + 1 characters: the "\r" ends the piece
        text = "\r\n".join([ORDERS_HEADER, long_line, order("O-2", date="bad")]) + "\r\n"
        result = run(text.encode(), max_record_chars=limit)
        self.assertEqual(result.counts, Counts(2, 0, 0, 2))
        self.assertEqual([row[0] for row in result.rejects], ["2", "3"])
        self.assertEqual(result.rejects[0][2], long_line)

    def test_default_limit_fits_a_ten_megabyte_field(self):
        self.assertGreater(MAX_RECORD_CHARS, 10 * 1024 * 1024)


class _DiscardingText(object):
    def write(self, text):
        return len(text)


class _ReadRecorder(io.RawIOBase):
    """A raw file stream that records the size of each read request."""

    def __init__(self, path):
        super(_ReadRecorder, self).__init__()
        self._file = open(path, "rb")
        self.largest_request = 0
        self.total = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        self.largest_request = max(self.largest_request, len(buffer))
        data = self._file.read(len(buffer))
        buffer[:len(data)] = data
        self.total += len(data)
        return len(data)

    def close(self):
        self._file.close()
        super(_ReadRecorder, self).close()


class BoundedMemoryTest(unittest.TestCase):
    """The transform holds one record at a time, whatever the file size."""

    @classmethod
    def setUpClass(cls):
        cls.workdir = tempfile.TemporaryDirectory()
        cls.small = os.path.join(cls.workdir.name, "small.csv")
        cls.large = os.path.join(cls.workdir.name, "large.csv")
        for path, size in ((cls.small, 1024 * 1024), (cls.large, 4 * 1024 * 1024)):
            with open(path, "w", encoding="utf-8", newline="") as stream:
                write_orders(stream, seed=1, target_bytes=size)

    @classmethod
    def tearDownClass(cls):
        cls.workdir.cleanup()

    def transform_file(self, raw):
        schema = parse_schema(ORDERS_SCHEMA_JSON)
        filt = parse_filter(DEFAULT_FILTER_JSON, schema)
        with open_text_input(io.BufferedReader(raw)) as text:
            return transform(text, _DiscardingText(), _DiscardingText(), schema, filt)

    def peak_bytes(self, path):
        tracemalloc.start()
        try:
            counts = self.transform_file(_ReadRecorder(path))
            return tracemalloc.get_traced_memory()[1], counts
        finally:
            tracemalloc.stop()

    def test_peak_memory_does_not_grow_with_file_size(self):
        small_peak, small_counts = self.peak_bytes(self.small)
        large_peak, large_counts = self.peak_bytes(self.large)
        self.assertGreater(large_counts.input_rows, 3.5 * small_counts.input_rows)
        self.assertEqual(large_counts.rejected, 4)
        # 4x the data, yet the peak stays within noise of the small run and far below the file.
        self.assertLess(large_peak, small_peak * 1.5 + 64 * 1024, (small_peak, large_peak))
        self.assertLess(large_peak, os.path.getsize(self.large) / 8, large_peak)

    def test_file_is_read_in_small_pieces_to_the_end(self):
        raw = _ReadRecorder(self.large)
        self.transform_file(raw)
        self.assertEqual(raw.total, os.path.getsize(self.large))
        self.assertLessEqual(raw.largest_request, 64 * 1024)


if __name__ == "__main__":
    unittest.main()


class TransformRangeTest(unittest.TestCase):
    """transform_range: one range of a file's lines, as the Spark job reads it."""

    def run_range(self, text, lines_before):
        schema = parse_schema(ORDERS_SCHEMA_JSON)
        filt = parse_filter(DEFAULT_FILTER_JSON, schema)
        out, rejects = io.StringIO(newline=""), io.StringIO(newline="")
        outcome = transform_range(io.StringIO(text, newline=""), out, rejects, schema, filt, lines_before)
        return outcome, out.getvalue(), read_csv(rejects.getvalue())

    def test_a_later_range_has_no_header_and_numbers_lines_as_the_file_does(self):
        text = order("O-1") + "\n" + order("O-2", amount="abc") + "\n" + order("O-3", amount="5") + "\n"
        outcome, data, rejects = self.run_range(text, 41)
        self.assertEqual(tuple(outcome.counts), (3, 1, 1, 1))
        self.assertFalse(outcome.ended_mid_record)
        self.assertEqual(data, ORDERS_HEADER + "\n" + order("O-1") + "\n")  # each part has the header
        self.assertEqual(rejects[0], ["line_number", "reason", "raw"])
        self.assertEqual(rejects[1][:2], ["43", "amount: not a decimal: 'abc'"])  # line 42 + 1 of the file

    def test_a_bom_is_stripped_only_at_the_start_of_the_file(self):
        outcome, data, _ = self.run_range("\ufeff" + order("O-1") + "\n", 10)
        self.assertEqual(outcome.counts.kept, 1)
        self.assertIn("\ufeffO-1,", data)  # inside the file it is text of the first field

    def test_a_range_that_ends_inside_a_quoted_field_says_so(self):
        open_quote = order("O-1", product='"Desk') + "\n"  # the record goes on past the range
        outcome, _, _ = self.run_range(order("O-0") + "\n" + open_quote, 5)
        self.assertTrue(outcome.ended_mid_record)
        closed = order("O-1", product='"Desk\nLamp"') + "\n"
        outcome, _, _ = self.run_range(closed, 5)
        self.assertFalse(outcome.ended_mid_record)
        self.assertEqual(outcome.counts.kept, 1)

    def test_the_first_range_checks_the_header_unless_the_header_goes_on_past_it(self):
        with self.assertRaises(HeaderError):
            self.run_range("a,b\n", 0)
        outcome, _, _ = self.run_range('"order_id\n', 0)
        self.assertTrue(outcome.ended_mid_record)
