"""Streaming CSV filter used by the Glue job (standard library only, Python 3.9+).

The transform reads a CSV text stream one record at a time, checks every field against a
typed schema, applies one typed filter and writes three kinds of outcome as it goes:

    KEPT          parses and satisfies the filter  -> written to the data stream
    FILTERED_OUT  parses and does not               -> counted only
    REJECTED      cannot be parsed                  -> written to the rejects stream with
                                                       the line it starts on, a reason and
                                                       the record text as read

Invariant, exact for every input: input_rows = kept + filtered_out + rejected, where
input_rows counts every record after the header (a blank line is a record too: it is
rejected as "empty line" rather than skipped, so nothing leaves the run unaccounted for).

Public API
----------
parse_schema(json_text) -> list of (name, type)
    json_text is a JSON array of {"name": ..., "type": ...}; type is one of string, int,
    decimal, date. Raises ValueError naming the entry that is wrong.
parse_filter(json_text, schema) -> Filter
    json_text is {"column": ..., "operator": ..., "value": "..."}; operators eq ne gt ge lt
    le in ("in" takes alternatives separated by "|"). Raises ValueError naming the unknown
    column (and listing the known ones), the unknown operator (and listing the valid ones)
    or the value that is not of the column's type.
open_text_input(binary_stream) -> text stream
    The decoding every caller should use (see "Bytes that are not UTF-8" below).
transform(in_stream, out_stream, rejects_stream, schema, filt, progress=None,
          progress_every=100000, max_record_chars=MAX_RECORD_CHARS) -> Counts
    in_stream: a text stream opened with newline="" (open_text_input does that).
    out_stream / rejects_stream: text streams opened with newline="".
    Raises HeaderError (a ValueError) when the header is not the schema's names in order.
transform_range(in_stream, out_stream, rejects_stream, schema, filt, lines_before,
                max_record_chars=MAX_RECORD_CHARS) -> RangeOutcome(counts, ended_mid_record)
    The same classification over one range of a file's lines (the Spark job's unit of work):
    line numbers stay the file's, and ended_mid_record says the range ended inside a record.
Counts(input_rows, kept, filtered_out, rejected), HeaderError, Filter, MAX_RECORD_CHARS.

Memory
------
The stream is read in blocks of about 16 Ki characters (completed to a line end) and one
record is held at a time, so memory is bounded by the block and the largest record, not by
the file size. A record (all its physical lines) longer than max_record_chars characters is
rejected with its full text streamed to the rejects file, and parsing resumes at the next
line; this also bounds the damage of a stray quote that would otherwise swallow the rest of
the file.

Speed
-----
Most lines are whole records, so a block is classified line by line without the csv
module where that gives the same fields: a line without a quote is split at commas, a line
with one whole quoted field at its quotes, and any other line with a quote is parsed by the
csv module on its own. Only typed columns are checked (any text is a string), each against
the texts it has already seen parse, and the filter column's text maps to the filter's
verdict (both remembered up to a bound). A kept line that csv.writer would write unchanged
is written as read. A record that spans lines or does not parse, and a block that holds NUL,
bytes that are not UTF-8, a lone CR, mixed line ends or more than max_record_chars
characters, goes through the csv module's reader one physical line at a time, as every
record did before; both ways give the same output byte for byte.

Bytes that are not UTF-8
------------------------
The input is decoded as UTF-8 with errors="surrogateescape", which is lossless: each byte
that is not part of valid UTF-8 becomes one lone surrogate character (U+DC80..U+DCFF), and
the CSV parser splits records exactly as it would on the raw bytes (the escaped bytes are
never quotes, commas or line ends). A record that contains such a character is REJECTED
with reason "not valid UTF-8"; in rejects.csv its raw text keeps the valid characters as
they are and shows each invalid byte as a backslash escape (\\xff). So the record is counted
once, like any other rejected record, and its bytes can be recovered from the escape. Only a
header that is not valid UTF-8 stops the run (HeaderError), as any other wrong header does.
"""

import csv
import datetime
import decimal
import io
import itertools
import json
import operator
import re
import types
from collections import namedtuple

__all__ = [
    "Counts",
    "Filter",
    "HeaderError",
    "RangeOutcome",
    "MAX_RECORD_CHARS",
    "OPERATORS",
    "REJECTS_HEADER",
    "TYPES",
    "escape_invalid_utf8",
    "open_text_input",
    "parse_filter",
    "parse_schema",
    "transform",
    "transform_range",
]

TYPES = ("string", "int", "decimal", "date")
OPERATORS = ("eq", "ne", "gt", "ge", "lt", "le", "in")
REJECTS_HEADER = ("line_number", "reason", "raw")

# 32 Mi characters: a 10 MB field fits with room to spare, while the csv module's field
# buffer (4 bytes per character) plus the record text stays well inside the 1 GB of the
# smallest Glue Python shell worker.
MAX_RECORD_CHARS = 32 * 1024 * 1024

# Size of the pieces in which an over-long line is copied to the rejects file.
_COPY_CHUNK_CHARS = 1024 * 1024

# Characters read at a time by the fast path (then completed to a line end): big enough to
# spread the per-block work over a few hundred rows, small enough that a block, its lines
# and its kept rows stay far below a megabyte and each read of the binary stream small.
_BLOCK_CHARS = 16 * 1024

# Texts remembered per typed column as parsing (and the filter's verdict per filter-column
# text): most columns repeat a few thousand values at most; past the bound the memory starts
# again empty, so it stays flat whatever the column holds.
_CACHE_ENTRIES = 4096

Counts = namedtuple("Counts", ["input_rows", "kept", "filtered_out", "rejected"])
Counts.__doc__ = "Outcome of one transform; input_rows == kept + filtered_out + rejected."

Filter = namedtuple("Filter", ["column", "operator", "value", "index", "type", "spec", "matches"])
Filter.__doc__ = (
    "A parsed filter: column name, operator, value text, column index and type, the filter "
    "as a JSON-ready dict (spec) and matches(typed_field_value) -> bool."
)


class HeaderError(ValueError):
    """The first record is not the schema's column names in order (or is unreadable)."""


class _RecordTooLong(Exception):
    """Raised by the line source, through csv.reader, when a record exceeds the limit."""


# ---------------------------------------------------------------------------------------
# Types
# ---------------------------------------------------------------------------------------

# ASCII digits only: int() and Decimal() would also accept other Unicode digits, spaces,
# underscores, exponents, "NaN" and "Infinity", none of which the contract allows.
_INT_RE = re.compile(r"[+-]?[0-9]+")
_DECIMAL_RE = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_ARTICLE = {"string": "a", "int": "an", "decimal": "a", "date": "a"}


def _parse_int(text):
    if not _INT_RE.fullmatch(text):
        return None
    # Decimal, not int(): int() refuses more than 4300 digits on current Pythons, and
    # Decimal compares exactly whatever the context precision.
    return decimal.Decimal(text)


def _parse_decimal(text):
    if not _DECIMAL_RE.fullmatch(text):
        return None
    return decimal.Decimal(text)


def _parse_date(text):
    match = _DATE_RE.fullmatch(text)
    if not match:
        return None
    try:
        return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:  # not a calendar date, e.g. 2025-02-30
        return None


def _parse_string(text):
    return text


_PARSERS = {
    "string": _parse_string,
    "int": _parse_int,
    "decimal": _parse_decimal,
    "date": _parse_date,
}


def _short_repr(text, limit=60):
    """repr() of a field for a message, cut so a 10 MB field cannot flood a reason."""
    if len(text) <= limit:
        return repr(text)
    return repr(text[:limit]) + "... (%d characters)" % len(text)


# ---------------------------------------------------------------------------------------
# Schema and filter
# ---------------------------------------------------------------------------------------

def parse_schema(json_text):
    """Parse the schema JSON into a list of (name, type) tuples, in column order."""
    try:
        data = json.loads(json_text)
    except ValueError as err:
        raise ValueError("schema is not valid JSON: %s" % err)
    if not isinstance(data, list) or not data:
        raise ValueError(
            'schema must be a non-empty JSON array of {"name": ..., "type": ...} objects'
        )
    schema = []
    seen = set()
    for position, column in enumerate(data):
        where = "schema[%d]" % position
        if not isinstance(column, dict):
            raise ValueError('%s must be an object {"name": ..., "type": ...}' % where)
        extra = sorted(set(column) - {"name", "type"})
        if extra:
            raise ValueError("%s has unknown keys: %s (allowed: name, type)" % (where, ", ".join(extra)))
        name = column.get("name")
        column_type = column.get("type")
        if not isinstance(name, str) or not name:
            raise ValueError("%s.name must be a non-empty string" % where)
        if column_type not in TYPES:
            raise ValueError(
                "%s (%s): unknown type %r; valid types: %s"
                % (where, name, column_type, ", ".join(TYPES))
            )
        if name in seen:
            raise ValueError("%s: duplicate column name %r" % (where, name))
        seen.add(name)
        schema.append((name, column_type))
    return schema


def _comparison(operator, target):
    if operator == "eq":
        return lambda value: value == target
    if operator == "ne":
        return lambda value: value != target
    if operator == "gt":
        return lambda value: value > target
    if operator == "ge":
        return lambda value: value >= target
    if operator == "lt":
        return lambda value: value < target
    if operator == "le":
        return lambda value: value <= target
    raise AssertionError("unhandled operator %r" % operator)


def parse_filter(json_text, schema):
    """Parse the filter JSON against the schema into a Filter with a typed predicate."""
    try:
        data = json.loads(json_text)
    except ValueError as err:
        raise ValueError("filter is not valid JSON: %s" % err)
    if not isinstance(data, dict):
        raise ValueError(
            'filter must be a JSON object {"column": ..., "operator": ..., "value": "..."}'
        )
    missing = [key for key in ("column", "operator", "value") if key not in data]
    if missing:
        raise ValueError("filter is missing %s" % ", ".join(missing))
    extra = sorted(set(data) - {"column", "operator", "value"})
    if extra:
        raise ValueError(
            "filter has unknown keys: %s (allowed: column, operator, value)" % ", ".join(extra)
        )
    column, operator, value = data["column"], data["operator"], data["value"]
    names = [name for name, _ in schema]
    if column not in names:
        raise ValueError(
            "filter: unknown column %r; known columns: %s" % (column, ", ".join(names))
        )
    if operator not in OPERATORS:
        raise ValueError(
            "filter: unknown operator %r; valid operators: %s" % (operator, ", ".join(OPERATORS))
        )
    if not isinstance(value, str):
        raise ValueError(
            "filter: value must be a JSON string, got %s; write it in quotes, e.g. \"100\""
            % json.dumps(value)
        )
    index = names.index(column)
    column_type = schema[index][1]
    parse = _PARSERS[column_type]

    def typed(text):
        parsed = parse(text)
        if parsed is None:
            raise ValueError(
                "filter: value %r is not %s %s (column %s is %s)"
                % (text, _ARTICLE[column_type], column_type, column, column_type)
            )
        return parsed

    if operator == "in":
        alternatives = frozenset(typed(part) for part in value.split("|"))
        matches = alternatives.__contains__
    else:
        matches = _comparison(operator, typed(value))
    spec = {"column": column, "operator": operator, "value": value}
    return Filter(column, operator, value, index, column_type, spec, matches)


# ---------------------------------------------------------------------------------------
# Input decoding and raw text
# ---------------------------------------------------------------------------------------

def open_text_input(binary_stream):
    """Wrap a binary stream (file, S3 body adapter) as the text stream transform expects.

    UTF-8 with errors="surrogateescape" keeps bytes that are not UTF-8 as lone surrogates,
    so transform can reject those records instead of failing the run or losing bytes.
    newline="" hands line ends (\\n, \\r\\n, \\r) to the CSV parser untranslated.
    """
    return io.TextIOWrapper(binary_stream, encoding="utf-8", errors="surrogateescape", newline="")


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(match):
    code = ord(match.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # a byte that surrogateescape could not decode
        return "\\x%02x" % (code - 0xDC00)
    return "\\u%04x" % code


def escape_invalid_utf8(text):
    """Text with every undecodable byte (a lone surrogate) shown as a \\xNN escape."""
    return _SURROGATE_RE.sub(_escape_surrogate, text)


def _strip_line_end(text):
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith("\n") or text.endswith("\r"):
        return text[:-1]
    return text


class _LineSource(object):
    """Physical lines for csv.reader, remembering the lines of the record being parsed.

    csv.reader pulls one line at a time and never reads ahead, so after each record the
    remembered lines are exactly that record's text, and the count of lines pulled before
    it gives its first physical line number.
    """

    def __init__(self, stream, max_record_chars):
        self._stream = stream
        self._max = max_record_chars
        self._skip_lf = False
        self.lines = []
        self.record_chars = 0
        self.lines_read = 0
        self.overflow = ""
        # True when the stream ended while a record was still open (a quoted field, an
        # over-long record): only a range of the input can end there with more to come.
        self.ended_mid_record = False

    def __iter__(self):
        return self

    def __next__(self):
        budget = self._max - self.record_chars
        line = self._stream.readline(budget + 1)
        if self._skip_lf:
            # An over-long line was cut between "\r" and "\n": that "\n" ends it, no more.
            self._skip_lf = False
            if line == "\n":
                line = self._stream.readline(budget + 1)
        if not line:
            if self.lines:
                self.ended_mid_record = True
            raise StopIteration
        if self.lines_read == 0 and line.startswith("\ufeff"):
            # Strip the UTF-8 BOM before parsing, so a quoted first header name still parses.
            line = line[1:]
            if not line:  # the file is nothing but a BOM
                raise StopIteration
        self.lines_read += 1
        if len(line) > budget:
            self.overflow = line
            raise _RecordTooLong()
        self.lines.append(line)
        self.record_chars += len(line)
        return line

    def owes_line_feed(self):
        """True when the next line read must first drop the "\n" of a cut "\r\n"."""
        return self._skip_lf

    def take_record_text(self):
        text = self.lines[0] if len(self.lines) == 1 else "".join(self.lines)
        self.lines = []
        self.record_chars = 0
        return text

    def copy_overlong_record(self, write):
        """Write the remembered lines, the over-long line and the rest of that line."""
        for line in self.lines:
            write(line)
        piece = self.overflow
        while True:
            ends_line = piece.endswith("\n") or piece.endswith("\r")
            write(_strip_line_end(piece) if ends_line else piece)
            if not piece:
                self.ended_mid_record = True
            if ends_line or not piece:
                self._skip_lf = piece.endswith("\r")
                break
            piece = self._stream.readline(_COPY_CHUNK_CHARS)
        self.lines = []
        self.record_chars = 0
        self.overflow = ""


# ---------------------------------------------------------------------------------------
# Reading in blocks
# ---------------------------------------------------------------------------------------

class _LineFeed(object):
    """The text stream as the transform reads it: blocks of whole lines, and readline(limit).

    The fast path takes the stream a block at a time (read_block). When a record needs the csv
    module's own parser (a quoted field that spans lines, a parse error, a block the fast path
    does not read), the block's lines not yet processed are served from here (start_block,
    push_line) and readline gives them, then the rest of the stream, as the stream's own
    readline would from the same position: a line longer than limit comes in pieces, and the
    text after the block's last line end continues in the stream. One difference: when the
    block's last line was cut at line_limit just after a "\r", that "\r" ends it here; such a
    line is an over-long record for the line source, which then drops the "\n" that follows,
    as it does after any over-long line cut at a "\r", so the records are the same.
    """

    def __init__(self, stream, block_chars, line_limit):
        self._stream = stream
        self._block_chars = block_chars
        self._line_limit = line_limit
        self._lines = iter(())  # the block's lines not yet served, without their line ends
        self._line_end = ""     # the line end each of them had ("" when they keep their own)
        self._tail = ""         # the block's text after its last line end
        self._piece = ""        # the rest of the line being served
        self._piece_ends_line = True  # False: the piece continues in the stream

    def read_block(self):
        """About block_chars characters from the stream, completed to the end of a line.

        The block ends with a line end unless the stream ended or its last line is longer
        than line_limit (then that line continues in the stream). "" at the end of the stream.
        """
        text = self._stream.read(self._block_chars)
        if text:
            # Also when text ends with "\r": readline then gives the "\n" of a "\r\n".
            text += self._stream.readline(self._line_limit)
        return text

    def start_block(self, lines, line_end, tail):
        """Serve the iterator lines (shared with the fast path), each + line_end, then tail."""
        self._lines = lines
        self._line_end = line_end
        self._tail = tail

    def push_line(self, line):
        """Serve line, just taken from the block's lines, before the lines after it."""
        self._piece = line + self._line_end
        self._piece_ends_line = True

    def pending(self):
        """True while text already taken from the stream is still to be served."""
        return bool(self._piece or self._tail or operator.length_hint(self._lines))

    def readline(self, limit):
        if not self._piece:
            line = next(self._lines, None)
            if line is not None:
                self._piece = line + self._line_end
                self._piece_ends_line = True
            elif self._tail:
                self._piece = self._tail
                self._tail = ""
                self._piece_ends_line = False
            else:
                return self._stream.readline(limit)
        piece = self._piece
        if len(piece) > limit:
            self._piece = piece[limit:]
            return piece[:limit]
        self._piece = ""
        if self._piece_ends_line or len(piece) == limit:
            return piece
        return piece + self._stream.readline(limit - len(piece))


def _has_surrogates(text):
    """True when text holds a lone surrogate (a byte that was not UTF-8)."""
    if text.isascii():
        return False
    try:
        text.encode("latin-1")  # every character below U+0100 (a quick copy when true)
        return False
    except UnicodeEncodeError:
        pass
    try:
        text.encode("utf-8")  # strict UTF-8 refuses surrogates
        return False
    except UnicodeEncodeError:
        return True


def _fast_line_end(text, max_record_chars):
    """The line end of every line of a block ("\\n" or "\\r\\n") if the fast path may read it.

    The fast path splits the block at "\\n" and needs no record-length check, so it takes
    blocks shorter than the record limit whose lines all end alike; it also leaves NUL (the
    csv module's handling differs between versions) and undecodable bytes to the csv path.
    None: the csv path reads the block.
    """
    if len(text) > max_record_chars or "\0" in text or _has_surrogates(text):
        return None
    carriage_returns = text.count("\r")
    if not carriage_returns:
        return "\n"
    if carriage_returns == text.count("\r\n") == text.count("\n"):
        return "\r\n"
    return None


def _writes_plain_fields_unchanged():
    """True when csv.writer writes fields free of , " \\r \\n and NUL as they are, so a kept
    line read without quotes can be written as read."""
    fields = ["", " a ", "a\tb", "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\ufeff", "'#\\;|", "x"]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(fields)
    return buffer.getvalue() == ",".join(fields) + "\n"


_PLAIN_FIELDS_UNCHANGED = _writes_plain_fields_unchanged()


# ---------------------------------------------------------------------------------------
# Row checks of the fast path
# ---------------------------------------------------------------------------------------

def _column_check(parse, known):
    """valid(text) for a typed column; remembers texts that parse in the set known."""
    def valid(text):
        if parse(text) is None:
            return False
        if len(known) >= _CACHE_ENTRIES:
            known.clear()  # start again: recent values are the likely ones (dates in order...)
        known.add(text)
        return True
    return valid


def _filter_verdict(parse, matches, verdicts):
    """verdict(text): the filter's True/False for the filter column's text, None when the text
    does not parse; remembers verdicts by text in the dict verdicts."""
    def verdict(text):
        parsed = parse(text)
        if parsed is None:
            return None
        kept = bool(matches(parsed))
        if len(verdicts) >= _CACHE_ENTRIES:
            verdicts.clear()
        verdicts[text] = kept
        return kept
    return verdict


# The fast path's row loop, written out per schema: one check per typed column (a loop over
# the columns would cost as much again per row). Only column positions are filled in.
_FAST_ROWS_SOURCE = """
def fast_rows(lines, filtered_out=0, {defaults}):
    for line in lines:
        if '"' not in line:
            fields = line.split(",")
            text = line
        else:
            parts = line.split('"')
            before = parts[0]
            after = parts[-1]
            if (len(parts) == 3 and (not before or before[-1] == ",")
                    and (not after or after[0] == ",")):
                # One quoted field, whole (at the start or after a comma, at the end or
                # before a comma): the csv module reads the same. csv.writer writes the row
                # as read when the field needs its quotes, i.e. holds a comma.
                fields = before.split(",")
                fields[-1] = parts[1]
                if after:
                    fields += after.split(",")[1:]
                text = line if "," in parts[1] else None
            else:
                quoted_lines.append(line)
                try:
                    fields = parse_quoted()
                except (IndexError, csv.Error):  # IndexError: the record goes on past this line
                    return line, None, filtered_out
                text = None
        if len(fields) != {width}:
            return line, fields, filtered_out
{checks}        try:
            kept = verdicts[fields[{filter_index}]]
        except KeyError:
            kept = verdict(fields[{filter_index}])
            if kept is None:
                return line, fields, filtered_out
        if kept:
            keep(text if text is not None else row_text(fields))
        else:
            filtered_out += 1
    return None, None, filtered_out
"""

_TYPED_CHECK_SOURCE = """\
        if fields[{index}] not in known_{index} and not valid_{index}(fields[{index}]):
            return line, fields, filtered_out
"""


def _compile_fast_rows(schema, filt, keep, row_text, quoted_lines, parse_quoted):
    """fast_rows(lines) -> (line, fields, filtered_out): classify lines until one needs more.

    lines: an iterator of physical lines without line ends, one record each. A line without
    a quote is split at ","; a line with one is split at its quotes when it has one whole
    quoted field, else parsed by the csv module alone (parse_quoted reads quoted_lines).
    Only the typed columns are checked, each against the texts it has already seen parse;
    the filter column's text maps to the filter's verdict. Kept rows go to keep (as
    csv.writer writes them, row_text when not as read); filtered-out rows are counted.

    Returns (line, fields, filtered_out): line is None when lines ran out. Otherwise line
    stopped the loop and is not counted: fields is None when its record needs the csv
    parser over several lines (or is malformed), else its fields, a row to reject.
    """
    names = {
        "keep": keep, "row_text": row_text, "quoted_lines": quoted_lines,
        "parse_quoted": parse_quoted,
    }
    checks = []
    for index, (_, column_type) in enumerate(schema):
        if column_type != "string" and index != filt.index:
            known = set()
            names["known_%d" % index] = known
            names["valid_%d" % index] = _column_check(_PARSERS[column_type], known)
            checks.append(_TYPED_CHECK_SOURCE.format(index=index))
    verdicts = {}
    names["verdicts"] = verdicts
    names["verdict"] = _filter_verdict(_PARSERS[filt.type], filt.matches, verdicts)
    source = _FAST_ROWS_SOURCE.format(
        # Everything the loop uses is a default argument: the quickest name to look up.
        defaults=", ".join("%s=%s" % (name, name) for name in sorted(names)),
        width=len(schema), checks="".join(checks), filter_index=filt.index,
    )
    namespace = dict(names, csv=csv)
    exec(compile(source, "<transform.py _FAST_ROWS_SOURCE>", "exec"), namespace)
    return namespace["fast_rows"]


# ---------------------------------------------------------------------------------------
# Transform
# ---------------------------------------------------------------------------------------

def _check_header(fields, schema):
    expected = [name for name, _ in schema]
    if fields == expected:
        return
    shown = [escape_invalid_utf8(name) for name in fields]
    duplicates = sorted(set(name for name in shown if shown.count(name) > 1))
    if duplicates:
        raise HeaderError(
            "duplicate header names: %s; expected header: %s; got: %s"
            % (", ".join(duplicates), ",".join(expected), ",".join(shown))
        )
    hint = ""
    if len(fields) == len(expected) and not set(fields) & set(expected):
        hint = " (is the header row missing?)"
    elif not fields:
        hint = " (line 1 is empty)"
    got = ",".join(shown)
    if len(got) > 300:  # e.g. the first line of a file that is not CSV at all
        got = got[:300] + "... (%d characters)" % len(got)
    raise HeaderError("header mismatch at line 1: expected %s; got %s%s" % (",".join(expected), got, hint))


def _classify(fields, schema, filt):
    """Return (True, None) kept, (False, None) filtered out, or (None, reason) rejected."""
    if len(fields) != len(schema):
        if not fields:
            return None, "empty line"
        return None, "expected %d fields, got %d" % (len(schema), len(fields))
    problems = []
    filter_value = None
    for position, ((name, column_type), text) in enumerate(zip(schema, fields)):
        parsed = _PARSERS[column_type](text)
        if parsed is None:
            problems.append(
                "%s: not %s %s: %s" % (name, _ARTICLE[column_type], column_type, _short_repr(text))
            )
        elif position == filt.index:
            filter_value = parsed
    if problems:
        return None, "; ".join(problems)
    return bool(filt.matches(filter_value)), None


def transform(
    in_stream,
    out_stream,
    rejects_stream,
    schema,
    filt,
    progress=None,
    progress_every=100000,
    max_record_chars=MAX_RECORD_CHARS,
):
    """Filter in_stream into out_stream (header + kept rows) and rejects_stream.

    progress, if given, is called with the running Counts every progress_every records.
    Returns the final Counts. Raises HeaderError before writing any row when the header
    is wrong; an empty input (no header at all) gives 0 rows and a header-only output.
    """
    if progress is not None and progress_every < 1:
        raise ValueError("progress_every must be a number of records >= 1, got %r" % progress_every)
    previous_limit = csv.field_size_limit()
    # The line source already stops any record at max_record_chars, so the csv module's
    # own limit (128 KiB by default) must sit just above it and never fire first.
    csv.field_size_limit(max_record_chars + 1)
    try:
        return _Run(
            in_stream, out_stream, rejects_stream, schema, filt,
            progress, progress_every, max_record_chars,
        ).run()
    finally:
        csv.field_size_limit(previous_limit)


RangeOutcome = namedtuple("RangeOutcome", ["counts", "ended_mid_record"])
RangeOutcome.__doc__ = (
    "Outcome of transform_range: its Counts, and whether the range ended inside a record "
    "(then its last record, and the range after it, must be read again from that record on)."
)


def transform_range(
    in_stream,
    out_stream,
    rejects_stream,
    schema,
    filt,
    lines_before,
    max_record_chars=MAX_RECORD_CHARS,
    headers=True,
):
    """transform() over one range of a file's lines, as the Spark job reads it in parallel.

    in_stream holds whole physical lines of the file, starting after its first lines_before
    lines (lines_before == 0: the range starts the file and holds its header, checked as
    transform checks it). Every record starting in the range is classified exactly as
    transform() classifies it when it reads the whole file, provided the range starts where
    a record starts: rejects carry their line number in the whole file. The range's own data
    and rejects streams each start with their header, so each part is a CSV file of its own.

    headers=False leaves both headers out (the range continues streams already begun).

    Returns RangeOutcome. ended_mid_record is True when the stream ended inside a record
    (a quoted field or an over-long record going on past the range): the caller then reads
    this range and the next one as one range instead.
    """
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(max_record_chars + 1)
    try:
        run = _Run(in_stream, out_stream, rejects_stream, schema, filt,
                   None, 100000, max_record_chars, lines_before=lines_before, headers=headers)
        try:
            counts = run.run()
        except HeaderError:
            if run.source.ended_mid_record:  # the header itself goes on past this range
                return RangeOutcome(run.counts(), True)
            raise
        return RangeOutcome(counts, run.source.ended_mid_record)
    finally:
        csv.field_size_limit(previous_limit)


class _Run(object):
    """One transform: reads blocks, classifies their rows on the fast path where it can and
    with the csv module's parser (the line source) where it must, and writes the outcome.

    Every record is counted once, on either path, in input order; the line source counts
    the physical lines of both, so a rejected record's line number is exact.
    """

    def __init__(self, in_stream, out_stream, rejects_stream, schema, filt,
                 progress, progress_every, max_record_chars, lines_before=0, headers=True):
        self.schema = schema
        self.filt = filt
        self.out_stream = out_stream
        self.rejects_stream = rejects_stream
        self.progress = progress
        self.progress_every = progress_every
        self.next_progress = progress_every
        self.max_record_chars = max_record_chars
        self.feed = _LineFeed(in_stream, _BLOCK_CHARS, max_record_chars + 1)
        self.source = _LineSource(self.feed, max_record_chars)
        # Lines of the file before this stream (a range of it): line numbers stay the file's,
        # and only the file's first line may start with a BOM.
        self.source.lines_read = lines_before
        self.has_header = lines_before == 0
        self.headers = headers
        # strict: a stray quote is a parse error (rejected) instead of silently merged text.
        self.reader = csv.reader(self.source, strict=True)
        self.rejects_writer = csv.writer(rejects_stream, lineterminator="\n")
        self.kept_rows = []  # kept rows not yet written, without their line end
        self.written = 0
        self.filtered_out = 0
        self.rejected = 0
        # Kept rows are written as csv.writer writes them (the writer's "\n" is cut off).
        row_buffer = []
        row_writer = csv.writer(types.SimpleNamespace(write=row_buffer.append), lineterminator="\n")

        def row_text(fields):
            row_writer.writerow(fields)
            return row_buffer.pop()[:-1]

        self.row_text = row_text
        # A one-column row may be an empty line, which split(",") would read as one field.
        self.fast = len(schema) > 1 and _PLAIN_FIELDS_UNCHANGED
        # A one-record csv parser for the fast path's lines that hold quotes.
        quoted_lines = []
        self.fast_rows = _compile_fast_rows(
            schema, filt, self.kept_rows.append, row_text, quoted_lines,
            csv.reader(iter(quoted_lines.pop, None), strict=True).__next__,
        )

    def input_rows(self):
        return self.written + len(self.kept_rows) + self.filtered_out + self.rejected

    def counts(self):
        kept = self.written + len(self.kept_rows)
        return Counts(kept + self.filtered_out + self.rejected, kept, self.filtered_out, self.rejected)

    def run(self):
        if self.has_header:
            self.read_header()
        else:
            self.write_headers()
        feed, source = self.feed, self.source
        while True:
            if feed.pending() or source.owes_line_feed():
                if not self.read_record():
                    break
                self.after_record()
                continue
            self.write_kept()
            text = feed.read_block()
            if not text:
                break
            line_end = _fast_line_end(text, self.max_record_chars) if self.fast else None
            if line_end is None:
                lines = io.StringIO(text, newline="").readlines()
                tail = lines.pop() if not lines[-1].endswith(("\n", "\r")) else ""
                feed.start_block(iter(lines), "", tail)
            else:
                self.fast_block(text, line_end)
        self.write_kept()
        return self.counts()

    def read_header(self):
        try:
            header = next(self.reader)
        except StopIteration:
            header = None
        except csv.Error as err:
            raise HeaderError("cannot parse the header at line 1: %s" % err)
        except _RecordTooLong:
            raise HeaderError("the header is longer than %d characters" % self.max_record_chars)
        self.source.take_record_text()
        # An empty file (0 bytes, or nothing but a BOM) is valid: zero rows, header-only output.
        if header is not None:
            _check_header(header, self.schema)
        self.write_headers()

    def write_headers(self):
        if not self.headers:
            return
        csv.writer(self.out_stream, lineterminator="\n").writerow([name for name, _ in self.schema])
        self.rejects_writer.writerow(REJECTS_HEADER)

    def fast_block(self, text, line_end):
        if line_end == "\r\n":
            text = text.replace("\r\n", "\n")
        lines = text.split("\n")
        tail = lines.pop()  # "" after a final line end, else the unfinished last line
        rows = iter(lines)
        self.feed.start_block(rows, line_end, tail)
        source = self.source
        while True:
            remaining = operator.length_hint(rows)
            if not remaining:
                break
            segment = rows
            if self.progress is not None:
                # Stop at the next progress point: each line read here is at most one record.
                to_progress = self.next_progress - self.input_rows()
                if to_progress < remaining:
                    segment = itertools.islice(rows, to_progress)
            line, fields, filtered_out = self.fast_rows(segment)
            self.filtered_out += filtered_out
            taken = remaining - operator.length_hint(rows)
            if line is None:
                source.lines_read += taken
            else:
                source.lines_read += taken - 1
                if fields is None:
                    self.feed.push_line(line)
                    self.read_record()
                else:
                    source.lines_read += 1
                    self.classify(source.lines_read, fields if line else [], line)
            self.after_record()

    def read_record(self):
        """Read one record with the csv module's parser and classify it; False at the end."""
        source = self.source
        first_line = source.lines_read + 1
        try:
            fields = next(self.reader)
        except StopIteration:
            return False
        except csv.Error as err:
            self.rejected += 1
            self.reject(first_line, "malformed CSV: %s" % err, source.take_record_text())
        except _RecordTooLong:
            self.rejected += 1
            reason = (
                "record longer than %d characters (parsing resumes at the next line)"
                % self.max_record_chars
            )
            _write_streamed_reject(self.rejects_stream, first_line, reason, source)
        else:
            raw = source.take_record_text()
            if _SURROGATE_RE.search(raw):
                self.rejected += 1
                self.reject(first_line, "not valid UTF-8", raw)
            else:
                self.classify(first_line, fields, raw)
        return True

    def classify(self, line_number, fields, raw):
        outcome, reason = _classify(fields, self.schema, self.filt)
        if outcome is None:
            self.rejected += 1
            self.reject(line_number, reason, raw)
        elif outcome:
            self.kept_rows.append(self.row_text(fields))
        else:
            self.filtered_out += 1

    def reject(self, line_number, reason, raw):
        self.rejects_writer.writerow((line_number, reason, escape_invalid_utf8(_strip_line_end(raw))))

    def after_record(self):
        if self.progress is not None and self.input_rows() == self.next_progress:
            self.next_progress += self.progress_every
            self.progress(self.counts())

    def write_kept(self):
        if self.kept_rows:
            self.out_stream.write("\n".join(self.kept_rows))
            self.out_stream.write("\n")
            self.written += len(self.kept_rows)
            del self.kept_rows[:]


def _write_streamed_reject(stream, line_number, reason, source):
    """Write one rejects row whose raw field is copied piece by piece (always quoted)."""
    head = io.StringIO()
    csv.writer(head, lineterminator="").writerow((line_number, reason))
    stream.write(head.getvalue())
    stream.write(',"')

    def write_piece(piece):
        stream.write(escape_invalid_utf8(piece).replace('"', '""'))

    source.copy_overlong_record(write_piece)
    stream.write('"\n')
