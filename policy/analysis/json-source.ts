/**
 * Positions in JSON text: where a syntax error is (V8's JSON.parse does not always say), and where the
 * member a JSON pointer names starts (for SARIF regions). One small scanner serves both.
 */

export interface TextPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Joins segments into a JSON pointer (RFC 6901); no segments is the whole document (""). */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${escapePointerSegment(String(s))}`).join("");
}

/** Converts offsets in a text to 1-based line and column. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  position(offset: number): TextPosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low] + 1 };
  }
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 2000;

/** A strict JSON scanner that records where each member starts, by JSON pointer. */
class Scanner {
  private pos = 0;
  readonly starts = new Map<string, number>();

  constructor(private readonly text: string) {}

  scanDocument(): void {
    this.skipWhitespace();
    this.starts.set("", this.pos);
    this.value("", 0);
    this.skipWhitespace();
    if (this.pos < this.text.length) throw new JsonSyntaxError("unexpected text after the JSON value", this.pos);
  }

  private value(pointer: string, depth: number): void {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError("nesting is too deep", this.pos);
    this.skipWhitespace();
    const c = this.text[this.pos];
    if (c === undefined) throw new JsonSyntaxError("unexpected end of the text: a value is missing", this.pos);
    if (c === "{") return this.object(pointer, depth);
    if (c === "[") return this.array(pointer, depth);
    if (c === '"') {
      this.string();
      return;
    }
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    const literal = { t: "true", f: "false", n: "null" }[c];
    if (literal) {
      // Like JSON.parse, the error is at the first character that breaks the literal.
      for (let i = 0; i < literal.length; i++, this.pos++) {
        if (this.text[this.pos] !== literal[i]) throw new JsonSyntaxError(`unexpected ${describe(this.text[this.pos])}: expected ${literal}`, this.pos);
      }
      return;
    }
    throw new JsonSyntaxError(`unexpected ${describe(c)}: expected a value`, this.pos);
  }

  private object(pointer: string, depth: number): void {
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') {
        throw new JsonSyntaxError(`unexpected ${describe(this.text[this.pos])}: expected a property name in double quotes`, this.pos);
      }
      const keyStart = this.pos;
      const key = this.string();
      const memberPointer = `${pointer}/${escapePointerSegment(key)}`;
      if (!this.starts.has(memberPointer)) this.starts.set(memberPointer, keyStart);
      this.skipWhitespace();
      if (this.text[this.pos] !== ":") throw new JsonSyntaxError(`unexpected ${describe(this.text[this.pos])}: expected ':'`, this.pos);
      this.pos++;
      this.value(memberPointer, depth + 1);
      this.skipWhitespace();
      const c = this.text[this.pos];
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === "}") {
        this.pos++;
        return;
      }
      throw new JsonSyntaxError(`unexpected ${describe(c)}: expected ',' or '}' after a property value`, this.pos);
    }
  }

  private array(pointer: string, depth: number): void {
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return;
    }
    for (let index = 0; ; index++) {
      this.skipWhitespace();
      const elementPointer = `${pointer}/${index}`;
      this.starts.set(elementPointer, this.pos);
      this.value(elementPointer, depth + 1);
      this.skipWhitespace();
      const c = this.text[this.pos];
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === "]") {
        this.pos++;
        return;
      }
      throw new JsonSyntaxError(`unexpected ${describe(c)}: expected ',' or ']' after an array element`, this.pos);
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    let out = "";
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) throw new JsonSyntaxError("unterminated string", start);
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === "\\") {
        const e = this.text[this.pos + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e !== undefined && e in simple) {
          out += simple[e];
          this.pos += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
          out += String.fromCharCode(parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else {
          throw new JsonSyntaxError("invalid escape sequence in a string", this.pos);
        }
        continue;
      }
      if (c.charCodeAt(0) < 0x20) throw new JsonSyntaxError("control character in a string (escape it)", this.pos);
      out += c;
      this.pos++;
    }
  }

  private number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match) throw new JsonSyntaxError("invalid number", this.pos);
    this.pos += match[0].length;
    const next = this.text[this.pos];
    if (next !== undefined && /[0-9.eE+-]/.test(next)) throw new JsonSyntaxError("invalid number", this.pos);
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }
}

function describe(c: string | undefined): string {
  if (c === undefined) return "end of the text";
  return `character ${JSON.stringify(c)}`;
}

/** The first syntax error in a JSON text, or undefined if the text is valid JSON. */
export function findJsonSyntaxError(text: string): { offset: number; message: string } | undefined {
  try {
    new Scanner(text).scanDocument();
    return undefined;
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { offset: err.offset, message: err.message };
    if (err instanceof RangeError) return undefined; // too deep for this scanner; the caller keeps JSON.parse's message
    throw err;
  }
}

/** Where the members of a JSON document start, by JSON pointer; for locating findings in the source. */
export class JsonSourceMap {
  private readonly starts: Map<string, number>;
  private readonly lines: LineIndex;

  constructor(text: string) {
    const scanner = new Scanner(text);
    try {
      scanner.scanDocument();
    } catch (err) {
      if (!(err instanceof JsonSyntaxError) && !(err instanceof RangeError)) throw err;
      // Keep what was located before the error.
    }
    this.starts = scanner.starts;
    this.lines = new LineIndex(text);
  }

  /**
   * Position of the member a pointer names (its key, or an array element's value). When the pointer goes
   * further than the document, the deepest member that exists.
   */
  locate(pointer: string): TextPosition {
    let current = pointer;
    for (;;) {
      const offset = this.starts.get(current);
      if (offset !== undefined) return this.lines.position(offset);
      if (current === "") return { line: 1, column: 1 };
      current = current.slice(0, current.lastIndexOf("/"));
    }
  }
}
