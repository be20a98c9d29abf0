/**
 * A streaming RFC 4180 record splitter: feed text in chunks of any size, get whole records out, so a large
 * file is never held in memory. Accepts "\n", "\r\n" and lone "\r" line ends; quoted fields may hold
 * commas, quotes ("" for one) and line breaks. Strict about quoting: the files it reads are written by a
 * CSV writer, so a stray quote means the file is damaged, not that the writer was lenient.
 */

export interface CsvRecord {
  readonly fields: string[];
  /** Physical line (1-based) where the record starts. */
  readonly line: number;
  /** False only for a last record with no line end after it. */
  readonly terminated: boolean;
}

/** The text is not well-formed CSV at `line`; `truncated` when the input ended inside a quoted field. */
export class CsvSyntaxError extends Error {
  override readonly name = "CsvSyntaxError";
  constructor(
    message: string,
    readonly line: number,
    readonly truncated: boolean,
  ) {
    super(message);
  }
}

enum State {
  /** At the start of a field (also the start of a record). */
  FieldStart,
  Unquoted,
  Quoted,
  /** Just read a quote inside a quoted field: either the closing quote or the first of "". */
  QuoteInQuoted,
}

export class CsvRecordSplitter {
  private state = State.FieldStart;
  private fields: string[] = [];
  private field = "";
  /** Whether any character of the current record has been read. */
  private inRecord = false;
  private recordLine = 1;
  private line = 1;
  /** The previous character was "\r": a "\n" right after it ends nothing and starts no new line. */
  private afterCarriageReturn = false;

  /** Consumes a chunk and returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const records: CsvRecord[] = [];
    for (let index = 0; index < chunk.length; index++) {
      const char = chunk[index];
      const afterCarriageReturn = this.afterCarriageReturn;
      this.afterCarriageReturn = char === "\r";
      if (char === "\n" && afterCarriageReturn) {
        if (this.state === State.Quoted) {
          this.field += char; // the "\r" already counted the line
        }
        continue;
      }
      if (!this.inRecord) {
        this.inRecord = true;
        this.recordLine = this.line;
      }
      if (char === "\n" || char === "\r") {
        this.line++;
      }
      switch (this.state) {
        case State.Quoted:
          if (char === '"') {
            this.state = State.QuoteInQuoted;
          } else {
            this.field += char;
          }
          break;
        case State.QuoteInQuoted:
          if (char === '"') {
            this.field += char;
            this.state = State.Quoted;
          } else {
            this.afterField(char, records);
          }
          break;
        case State.FieldStart:
          if (char === '"') {
            this.state = State.Quoted;
            break;
          }
          this.afterField(char, records, true);
          break;
        case State.Unquoted:
          this.afterField(char, records, true);
          break;
      }
    }
    return records;
  }

  /** Ends the input: returns the last record when it had no line end; throws when it ends inside quotes. */
  end(): CsvRecord[] {
    if (this.state === State.Quoted) {
      throw new CsvSyntaxError(
        `the input ends inside a quoted field opened in the record at line ${this.recordLine} (unterminated quote)`,
        this.recordLine,
        true,
      );
    }
    if (!this.inRecord) {
      return [];
    }
    this.fields.push(this.field);
    const record = { fields: this.fields, line: this.recordLine, terminated: false };
    this.fields = [];
    this.field = "";
    this.inRecord = false;
    this.state = State.FieldStart;
    return [record];
  }

  /**
   * Handles a character that is not part of a quoted field: a separator, a line end, or (when `unquoted`
   * text may continue) an ordinary character. After a closing quote only a separator or line end may come.
   */
  private afterField(char: string, records: CsvRecord[], unquoted = false): void {
    if (char === ",") {
      this.fields.push(this.field);
      this.field = "";
      this.state = State.FieldStart;
    } else if (char === "\n" || char === "\r") {
      this.fields.push(this.field);
      records.push({ fields: this.fields, line: this.recordLine, terminated: true });
      this.fields = [];
      this.field = "";
      this.inRecord = false;
      this.state = State.FieldStart;
    } else if (!unquoted) {
      throw new CsvSyntaxError(
        `line ${this.line}: ${JSON.stringify(char)} after the closing quote of a field (expected "," or a line end)`,
        this.line,
        false,
      );
    } else if (char === '"') {
      throw new CsvSyntaxError(
        `line ${this.line}: a quote inside an unquoted field (a field with quotes must be quoted, with "" for each quote)`,
        this.line,
        false,
      );
    } else {
      this.field += char;
      this.state = State.Unquoted;
    }
  }
}

/** Splits a stream of text chunks into records; the last one may be unterminated (see CsvRecord). */
export async function* csvRecords(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  const splitter = new CsvRecordSplitter();
  for await (const chunk of chunks) {
    yield* splitter.push(chunk);
  }
  yield* splitter.end();
}

/** The bytes are not UTF-8; `offset` is where the chunk holding the bad sequence starts. */
export class InvalidUtf8 extends Error {
  override readonly name = "InvalidUtf8";
  constructor(readonly offset: number) {
    super(`invalid UTF-8 in the bytes from offset ${offset}`);
  }
}

/** Decodes a byte stream as UTF-8 (a leading BOM is dropped), throwing InvalidUtf8 on invalid bytes. */
export async function* decodeUtf8(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let offset = 0;
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      throw new InvalidUtf8(offset);
    }
  };
  for await (const chunk of bytes) {
    const text = decode(chunk);
    offset += chunk.byteLength;
    if (text !== "") {
      yield text;
    }
  }
  const rest = decode();
  if (rest !== "") {
    yield rest;
  }
}
