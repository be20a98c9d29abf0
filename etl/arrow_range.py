"""The Spark job's range classifier: transform.transform_range's output, byte for byte, with most blocks of a
range classified by Apache Arrow's C++ CSV reader and compute kernels (pyarrow) instead of the Python row loop.

    classify_range(binary_stream, data_stream, rejects_stream, schema, filt, lines_before,
                   max_record_chars=MAX_RECORD_CHARS) -> RangeOutcome

Same arguments and result as transform.transform_range, except that the input is the range's binary stream
(transform_range takes it decoded by open_text_input). Without pyarrow, or for a one-column schema, it is
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
   after a comma) and closes at its end (before a comma or the line end), with no quote or line end between
   (whole_quoted_fields). Then the csv module (strict) reads each line as one record, its fields the line
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
A block that fails 1 or 2 goes to the end (a record may cross its end); one that fails only 3 to 5, alone.
Typed texts are checked once per distinct text (Arrow's unique), as the Python row loop checks each text once.
"""

import io
import operator

from transform import (
    _PARSERS,
    MAX_RECORD_CHARS,
    Counts,
    RangeOutcome,
    open_text_input,
    transform_range,
)

try:  # Glue 5.0's Spark jobs have pyarrow; without it every block goes to transform_range.
    import pyarrow
    import pyarrow.compute as arrow_compute
    import pyarrow.csv as arrow_csv
except ImportError:  # pragma: no cover - exercised by the tests that hide pyarrow
    pyarrow = None

# Bytes read per block (then completed to a line end): large enough that Arrow's per-call costs vanish, small
# enough that a block and its arrays stay a few tens of MB per core.
BLOCK_BYTES = 4 * 1024 * 1024
# A block is completed with at most this many bytes; a longer line sends the range to transform_range.
LINE_LIMIT_BYTES = 1024 * 1024
# Distinct texts remembered per typed column (valid or not; the filter's verdicts), across blocks.
_MEMO_ENTRIES = 65536


def arrow_available():
    return pyarrow is not None


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


_FIRST = operator.itemgetter(0)
_LAST = operator.itemgetter(-1)
_SEPARATORS = b",\n"
_ALL_BUT_COMMA_AND_LINE_END = bytes(code for code in range(256) if code not in b",\n")


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
        stream.write(data.decode("utf-8"))
    else:
        stream.flush()
        buffer.write(data)


class _ArrowBlocks(object):
    """Classifies blocks with Arrow (conditions 3 to 5 of the module's docstring; 1 and 2 are the caller's)."""

    def __init__(self, schema, filt):
        self.width = len(schema)
        self.names = ["c%d" % index for index in range(self.width)]
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

    def classify(self, block, rows, parts, out_stream):
        """(kept, filtered_out) when the block is classified and its kept lines written, else None."""
        if b"\0" in block or b"\n\n" in block or block.startswith((b"\n", b"\xef\xbb\xbf")):
            return None
        if len(parts) > 1:
            # Every quoted field holds a comma: with the fields one per line, only commas and line ends kept, no
            # line is empty.
            commas = (b"\n".join(parts[1::2]) + b"\n").translate(None, _ALL_BUT_COMMA_AND_LINE_END)
            if commas.startswith(b"\n") or b"\n\n" in commas:
                return None
        if not block.isascii():
            try:
                block.decode("utf-8")
            except UnicodeDecodeError:
                return None
        refused = []

        def refuse(row):
            refused.append(row.number)
            return "skip"

        parse_options = arrow_csv.ParseOptions(delimiter=",", quote_char='"', double_quote=True, escape_char=False,
                                               newlines_in_values=False, ignore_empty_lines=False,
                                               invalid_row_handler=refuse)
        table = arrow_csv.read_csv(pyarrow.BufferReader(block), read_options=self.read_options,
                                   parse_options=parse_options, convert_options=self.convert_options)
        if refused or table.num_rows != rows:
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
            whole = pyarrow.Array.from_buffers(
                pyarrow.string(), 1, [None, pyarrow.array([0, len(block)], pyarrow.int32()).buffers()[1],
                                      pyarrow.py_buffer(block)])
            lines = arrow_compute.split_pattern(whole, "\n").flatten().slice(0, rows)
            kept_lines = arrow_compute.filter(lines, mask)
            joined = arrow_compute.binary_join(
                pyarrow.ListArray.from_arrays(pyarrow.array([0, kept], pyarrow.int32()), kept_lines), "\n")
            _write_bytes(out_stream, joined[0].as_buffer().to_pybytes() + b"\n")
        return kept, rows - kept

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
        return transform_range(open_text_input(stream), out_stream, rejects_stream, schema, filt, lines_before,
                               max_record_chars)
    arrow = _ArrowBlocks(schema, filt)
    totals = [0, 0, 0, 0]
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
        parts = whole_quoted_fields(block) if block.endswith(b"\n") and b"\r" not in block else None
        if parts is None:  # a record may go on past the block: transform_range reads it and the rest of the range
            went("to_end")
            rest = open_text_input(io.BufferedReader(_Prepended(block, stream)))
            outcome = transform_range(rest, out_stream, rejects_stream, schema, filt, lines_before,
                                      max_record_chars, headers=headers)
            add(outcome.counts)
            return RangeOutcome(Counts(*totals), outcome.ended_mid_record)
        rows = block.count(b"\n")
        classified = None
        if not headers and len(block) <= max_record_chars:
            classified = arrow.classify(block, rows, parts, out_stream)
        if classified is None:
            went("alone")
            outcome = transform_range(open_text_input(io.BytesIO(block)), out_stream, rejects_stream, schema, filt,
                                      lines_before, max_record_chars, headers=headers)
            if outcome.ended_mid_record:  # cannot be, by conditions 1 and 2: say so rather than write a wrong part
                raise AssertionError("a block read alone ended inside a record at line %d" % (lines_before + 1))
            add(outcome.counts)
        else:
            went("arrow")
            kept, filtered_out = classified
            add((kept + filtered_out, kept, filtered_out, 0))
        headers = False
        lines_before += rows
    if headers:  # an empty range: transform_range writes the headers (and checks an empty file's)
        add(transform_range(open_text_input(io.BytesIO(b"")), out_stream, rejects_stream, schema, filt,
                            lines_before, max_record_chars).counts)
    return RangeOutcome(Counts(*totals), False)
