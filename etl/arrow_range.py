"""The Spark job's range classifier: transform.transform_range's output, byte for byte, with most blocks of a
range classified by Apache Arrow's C++ CSV reader and compute kernels (pyarrow) instead of the Python row loop.

    classify_range(binary_stream, data_stream, rejects_stream, schema, filt, lines_before,
                   max_record_chars=MAX_RECORD_CHARS) -> ClassifiedRange(counts, ended_mid_record, lines)

Same arguments and output as transform.transform_range, except that the input is the range's binary stream
(transform_range takes it decoded by open_text_input), and the result adds the range's physical lines, which
the Spark job numbers the later ranges' rejects with. Without pyarrow, or for a one-column schema, it is
transform_range itself.

The range is read in blocks of about BLOCK_BYTES, each completed to a line end, and each block goes one of three ways:
- Arrow: the block's rows are classified by Arrow, and its kept lines written as read;
- alone: transform_range over the block by itself, when the block starts and ends between two records, so its
  records and their line numbers are the file's (lines_before counts the lines before it);
- to the end: transform_range over the block and the rest of the range, when a record may go on past the block.

Why a block read by Arrow gives transform's output. Arrow reads a block only when:
1. it ends with "\\n" and holds no "\\r": its physical lines are its "\\n"-separated lines (transform's line ends
   are "\\n", "\\r\\n" and a lone "\\r");
2. its quotes are whole quoted fields within one line: every quote opens at a field's start (the line's start or
   after a comma) and closes at its end (before a comma or the line end), with no quote or line end between.
   Then the csv module (strict) reads each line as one record, its fields the line
   split at the commas outside the quotes, a quoted field's text the text between its quotes; Arrow's CSV
   reader reads such a line alike, and one row per line, none refused for its field count, confirms it;
3. every quoted field holds a comma: csv.writer quotes it again, so a kept line as read is the text transform
   writes (csv.writer's) for it, and a line without quotes is too (transform relies on the same);
4. it holds no NUL (the csv module's handling differs between Python versions), no empty line (Arrow reads one
   as a row of empty fields, the csv module as a record of none), only UTF-8, does not start with a BOM (Arrow
   drops one at the start of its input; transform, only on the file's first line), is not the file's first block
   (the header), and is not longer than max_record_chars;
5. every typed column's text parses, with transform's own parsers, and the filter column's verdict is known:
   the block has no rejects (a block with rejects goes alone to transform_range, which words and numbers them).
Conditions 2 and 3 are checked at once, by one Arrow regex over the lines that hold a quote (_WHOLE_FIELDS);
when it fails, the block's bytes say whether 2 alone holds (whole_quoted_fields).
A block that fails 1 or 2 goes to the end (a record may cross its end); one that fails only 3 to 5, alone.
Typed texts are checked once per distinct text (Arrow's unique), as the Python row loop checks each text once.
"""

import io
import operator
from collections import namedtuple

from transform import (
    _PARSERS,
    MAX_RECORD_CHARS,
    Counts,
    open_text_input,
    transform_range,
)

# The pyarrow versions whose CSV reader this module is tested with (etl/test_arrow_range.py, with the version pinned
# in etl/spark-requirements.txt). Another version (a Glue runtime's own) is not guessed to read alike: with it, and
# without pyarrow, every block goes to transform_range.
TESTED_PYARROW_VERSIONS = ("18.1.0",)

try:
    import pyarrow
    import pyarrow.compute as arrow_compute
    import pyarrow.csv as arrow_csv
except ImportError:
    pyarrow = None
FOUND_PYARROW_VERSION = None if pyarrow is None else pyarrow.__version__
if FOUND_PYARROW_VERSION not in TESTED_PYARROW_VERSIONS:
    pyarrow = None

# Bytes read per block (then completed to a line end): large enough that Arrow's per-call costs vanish, small
# enough that a block and its arrays stay a few tens of MB per core.
BLOCK_BYTES = 4 * 1024 * 1024
# A block is completed with at most this many bytes; a longer line sends the range to transform_range.
LINE_LIMIT_BYTES = 1024 * 1024
# Distinct texts remembered per typed column (valid or not; the filter's verdicts), across blocks.
_MEMO_ENTRIES = 65536


ClassifiedRange = namedtuple("ClassifiedRange", ["counts", "ended_mid_record", "lines"])
ClassifiedRange.__doc__ = ("transform_range's RangeOutcome (counts, ended_mid_record), and the range's physical lines "
                           "(line ends: \"\\n\", \"\\r\\n\", a lone \"\\r\"), all of them, read or not by the classifier")


class LineEndCounter(object):
    """Counts physical line ends ("\\n", "\\r\\n", a lone "\\r") in bytes fed in order, in pieces cut anywhere."""

    def __init__(self):
        self.lines = 0
        self._previous_cr = False

    def feed(self, chunk):
        if not chunk:
            return
        self.lines += chunk.count(b"\n")
        if b"\r" in chunk:  # a quick scan: most files hold no "\r", and counting it twice more costs 3x
            self.lines += chunk.count(b"\r") - chunk.count(b"\r\n")
        if self._previous_cr and chunk.startswith(b"\n"):
            self.lines -= 1  # a "\r\n" cut between two pieces is one line end
        self._previous_cr = chunk.endswith(b"\r")


class _Counting(io.RawIOBase):
    """A binary stream passed through, its line ends counted as they are read."""

    def __init__(self, stream):
        super(_Counting, self).__init__()
        self._stream = stream
        self.counter = LineEndCounter()

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self._stream.read(len(buffer))
        buffer[:len(data)] = data
        self.counter.feed(data)
        return len(data)

    def drain(self):
        """Read (and count) whatever the reader above left unread; returns the lines counted."""
        while True:
            chunk = self._stream.read(1024 * 1024)
            if not chunk:
                return self.counter.lines
            self.counter.feed(chunk)


def _transform_counted(stream, out_stream, rejects_stream, schema, filt, lines_before, max_record_chars, headers):
    """transform_range over the rest of a binary stream: (its RangeOutcome, the physical lines of that rest)."""
    counting = _Counting(stream)
    outcome = transform_range(open_text_input(io.BufferedReader(counting)), out_stream, rejects_stream, schema, filt,
                              lines_before, max_record_chars, headers=headers)
    return outcome, counting.drain()


def arrow_available():
    return pyarrow is not None


def classifier_description():
    """Which way the blocks go, for the job's log."""
    if pyarrow is not None:
        return "most blocks classified by Arrow (pyarrow %s), the others by the Python row loop" % pyarrow.__version__
    if FOUND_PYARROW_VERSION is None:
        return "every block classified by the Python row loop (pyarrow is not installed)"
    return ("every block classified by the Python row loop (pyarrow %s is not a version this job is tested with: %s)"
            % (FOUND_PYARROW_VERSION, ", ".join(TESTED_PYARROW_VERSIONS)))


def whole_quoted_fields(block):
    """block.split(b'"') when every quote in block belongs to a whole quoted field of one line (condition 2),
    else None. The even parts are the text outside the quotes, the odd parts the quoted fields' texts."""
    parts = block.split(b'"')
    if len(parts) == 1:
        return parts
    if len(parts) % 2 == 0:  # an odd number of quotes: one is not closed
        return None
    if b"\n" in b"".join(parts[1::2]):
        return None
    # Each quote opens after the start, a comma or a line end, and closes before a comma or a line end: every
    # outside part but the first starts with one of those and every one but the last ends with one. An empty
    # part between two quotes is a doubled quote (itemgetter raises IndexError on it).
    outside = parts[0::2]
    try:
        firsts = bytes(map(_FIRST, outside[1:]))
        lasts = bytes(map(_LAST, outside[1:-1]))
    except IndexError:
        return None
    if outside[0] and outside[0][-1] not in _SEPARATORS:
        return None
    if firsts.translate(None, b",\n") or lasts.translate(None, b",\n"):
        return None
    return parts


def _alone_or_to_end(block):
    """None (the block goes alone) when its quotes are whole fields of one line, else TO_END."""
    return None if whole_quoted_fields(block) is not None else TO_END


# A line of fields each unquoted (no quote, no comma) or quoted whole around a comma (no quote inside).
_WHOLE_FIELDS = r'^(?:[^",]*|"[^"]*,[^"]*")(?:,(?:[^",]*|"[^"]*,[^"]*"))*$'
TO_END = "to_end"

_FIRST = operator.itemgetter(0)
_LAST = operator.itemgetter(-1)
_SEPARATORS = b",\n"


class _Prepended(io.RawIOBase):
    """bytes already read, then the rest of a binary stream."""

    def __init__(self, head, stream):
        super(_Prepended, self).__init__()
        self._head = memoryview(head)
        self._stream = stream

    def readable(self):
        return True

    def readinto(self, buffer):
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        data = self._stream.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _write_bytes(stream, data):
    """Write UTF-8 bytes to a text stream (to its binary buffer when it has one, after what it holds)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(bytes(data).decode("utf-8"))
    else:
        stream.flush()
        buffer.write(data)


class _ArrowBlocks(object):
    """Classifies blocks with Arrow (conditions 3 to 5 of the module's docstring; 1 and 2 are the caller's)."""

    def __init__(self, schema, filt):
        self.names = ["c%d" % index for index in range(len(schema))]
        self.typed = [(index, _PARSERS[column_type]) for index, (_, column_type) in enumerate(schema)
                      if column_type != "string" and index != filt.index]
        self.filt = filt
        self.filter_parse = _PARSERS[filt.type]
        self.valid = {index: {} for index, _ in self.typed}  # text -> parses
        self.verdicts = {}  # filter column text -> True kept / False filtered out / None does not parse
        included = sorted(set([index for index, _ in self.typed] + [filt.index]))
        self.read_options = arrow_csv.ReadOptions(column_names=self.names, use_threads=False,
                                                  block_size=BLOCK_BYTES + LINE_LIMIT_BYTES + 1)
        self.convert_options = arrow_csv.ConvertOptions(
            column_types={self.names[index]: pyarrow.string() for index in included},
            include_columns=[self.names[index] for index in included],
            strings_can_be_null=False, quoted_strings_can_be_null=False, check_utf8=True)
        # Rows Arrow refuses (a field count not the schema's): any one sends the block to transform_range.
        self.refused = []
        self.parse_options = arrow_csv.ParseOptions(
            delimiter=",", quote_char='"', double_quote=True, escape_char=False, newlines_in_values=False,
            ignore_empty_lines=False, invalid_row_handler=self._refuse)

    def _refuse(self, row):
        self.refused.append(row.number)
        return "skip"

    def classify(self, block, out_stream):
        """(kept, filtered_out, rows) when the block is classified and its kept lines written; None when it
        is not (conditions 2 to 5); TO_END when a record may cross its end (condition 2)."""
        if not block.isascii():
            try:
                block.decode("utf-8")
            except UnicodeDecodeError:  # Arrow's string kernels expect UTF-8: the bytes decide the way
                return _alone_or_to_end(block)
        whole = pyarrow.Array.from_buffers(
            pyarrow.string(), 1, [None, pyarrow.array([0, len(block)], pyarrow.int32()).buffers()[1],
                                  pyarrow.py_buffer(block)])
        lines = arrow_compute.split_pattern(whole, "\n").flatten()
        rows = len(lines) - 1  # the block ends with "\n": the last piece is empty
        lines = lines.slice(0, rows)
        quoted = arrow_compute.match_substring(lines, '"')
        if arrow_compute.any(quoted).as_py():
            # Conditions 2 and 3 at once, line by line: a line with a quote is fields that are either unquoted
            # or quoted whole around a comma.
            whole_fields = arrow_compute.match_substring_regex(arrow_compute.filter(lines, quoted), _WHOLE_FIELDS)
            if not arrow_compute.all(whole_fields).as_py():
                return _alone_or_to_end(block)
        if b"\0" in block or b"\n\n" in block or block.startswith((b"\n", b"\xef\xbb\xbf")):
            return None
        del self.refused[:]
        table = arrow_csv.read_csv(pyarrow.BufferReader(block), read_options=self.read_options,
                                   parse_options=self.parse_options, convert_options=self.convert_options)
        if self.refused or table.num_rows != rows:
            return None
        for index, parse in self.typed:
            column = table.column(self.names[index])
            if column.null_count or not self._all_parse(column, parse, self.valid[index]):
                return None
        column = table.column(self.names[self.filt.index])
        if column.null_count:
            return None
        kept_texts = self._kept_texts(column)
        if kept_texts is None:
            return None
        mask = arrow_compute.is_in(column, value_set=pyarrow.array(kept_texts, pyarrow.string())).combine_chunks()
        kept = arrow_compute.sum(mask).as_py() or 0
        if kept:
            kept_lines = arrow_compute.filter(lines, mask)
            joined = arrow_compute.binary_join(
                pyarrow.ListArray.from_arrays(pyarrow.array([0, kept], pyarrow.int32()), kept_lines), "\n")
            _write_bytes(out_stream, memoryview(joined[0].as_buffer()))
            _write_bytes(out_stream, b"\n")
        return kept, rows - kept, rows

    @staticmethod
    def _all_parse(column, parse, valid):
        for text in arrow_compute.unique(column).to_pylist():
            known = valid.get(text)
            if known is None:
                known = parse(text) is not None
                if len(valid) >= _MEMO_ENTRIES:
                    valid.clear()
                valid[text] = known
            if not known:
                return False
        return True

    def _kept_texts(self, column):
        """The filter column's distinct texts that are kept, or None when one does not parse."""
        kept, verdicts = [], self.verdicts
        for text in arrow_compute.unique(column).to_pylist():
            if text in verdicts:
                verdict = verdicts[text]
            else:
                parsed = self.filter_parse(text)
                verdict = None if parsed is None else bool(self.filt.matches(parsed))
                if len(verdicts) >= _MEMO_ENTRIES:
                    verdicts.clear()
                verdicts[text] = verdict
            if verdict is None:
                return None
            if verdict:
                kept.append(text)
        return kept


def classify_range(stream, out_stream, rejects_stream, schema, filt, lines_before,
                   max_record_chars=MAX_RECORD_CHARS, ways=None):
    """transform_range's outcome and output for the range in the binary stream (see the module's docstring).
    ways, a dict, counts the blocks that went each way ("arrow", "alone", "to_end")."""
    ways = {} if ways is None else ways

    def went(way):
        ways[way] = ways.get(way, 0) + 1

    if pyarrow is None or len(schema) < 2:  # one column: an empty line is a record of its own, as in transform
        went("to_end")
        outcome, lines = _transform_counted(stream, out_stream, rejects_stream, schema, filt, lines_before,
                                            max_record_chars, True)
        return ClassifiedRange(outcome.counts, outcome.ended_mid_record, lines)
    arrow = _ArrowBlocks(schema, filt)
    totals = [0, 0, 0, 0]
    physical_lines = 0
    headers = True  # transform_range writes them: first, or with the file's first block (it checks the header)
    if lines_before > 0:
        transform_range(open_text_input(io.BytesIO(b"")), out_stream, rejects_stream, schema, filt, lines_before,
                        max_record_chars)
        headers = False

    def add(counts):
        for position, value in enumerate(counts):
            totals[position] += value

    while True:
        block = stream.read(BLOCK_BYTES)
        if block and not block.endswith(b"\n"):
            block += stream.readline(LINE_LIMIT_BYTES)
        if not block:
            break
        if not block.endswith(b"\n") or b"\r" in block:
            classified = TO_END
        elif headers or len(block) > max_record_chars:  # the file's first block holds the header
            classified = _alone_or_to_end(block)
        else:
            classified = arrow.classify(block, out_stream)
        if classified == TO_END:  # a record may go on past the block: transform_range reads it and the rest
            went("to_end")
            outcome, lines = _transform_counted(_Prepended(block, stream), out_stream, rejects_stream, schema, filt,
                                                lines_before, max_record_chars, headers)
            add(outcome.counts)
            return ClassifiedRange(Counts(*totals), outcome.ended_mid_record, physical_lines + lines)
        if classified is None:
            went("alone")
            outcome = transform_range(open_text_input(io.BytesIO(block)), out_stream, rejects_stream, schema, filt,
                                      lines_before, max_record_chars, headers=headers)
            if outcome.ended_mid_record:  # cannot be, by conditions 1 and 2: say so rather than write a wrong part
                raise AssertionError("a block read alone ended inside a record at line %d" % (lines_before + 1))
            add(outcome.counts)
            rows = block.count(b"\n")
        else:
            went("arrow")
            kept, filtered_out, rows = classified
            add((kept + filtered_out, kept, filtered_out, 0))
        headers = False
        lines_before += rows
        physical_lines += rows
    if headers:  # an empty range: transform_range writes the headers (and checks an empty file's)
        add(transform_range(open_text_input(io.BytesIO(b"")), out_stream, rejects_stream, schema, filt,
                            lines_before, max_record_chars).counts)
    return ClassifiedRange(Counts(*totals), False, physical_lines)
