import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument } from "yaml";
import { Finding, JsonSourceMap, TextPosition } from "../../policy/analysis";
import { LintedFile } from "./lint-file";

const START: TextPosition = { line: 1, column: 1 };

/** Finds where JSON pointers point in a YAML document: the key of a mapping entry, or a sequence item. */
class YamlSourceMap {
  private readonly lineCounter = new LineCounter();
  private readonly root: unknown;

  constructor(text: string) {
    this.root = parseDocument(text, { lineCounter: this.lineCounter }).contents;
  }

  locate(pointer: string): TextPosition {
    const segments = pointer === "" ? [] : pointer.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    let node: unknown = this.root;
    let offset = (this.root as Node | null)?.range?.[0] ?? 0;
    for (const segment of segments) {
      let next: { offset: number; node: unknown } | undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === segment);
        const key = pair?.key as Node | undefined;
        if (pair && key?.range) next = { offset: key.range[0], node: pair.value };
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)] as Node | undefined;
        if (item?.range) next = { offset: item.range[0], node: item };
      }
      if (!next) break;
      offset = next.offset;
      node = next.node;
    }
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }
}

/** Locates a file's findings (by JSON pointer) and its parse error in its text. */
export class FileLocator {
  private map: JsonSourceMap | YamlSourceMap | undefined;

  constructor(private readonly file: LintedFile) {}

  private sourceMap(): JsonSourceMap | YamlSourceMap | undefined {
    if (!this.map && this.file.text !== undefined) {
      this.map = this.file.format === "yaml" ? new YamlSourceMap(this.file.text) : new JsonSourceMap(this.file.text.replace(/^\uFEFF/, ""));
    }
    return this.map;
  }

  finding(finding: Finding): TextPosition {
    if (finding.position) return finding.position;
    return this.sourceMap()?.locate(finding.pointer) ?? START;
  }

  error(): TextPosition {
    return this.file.errorPosition ?? START;
  }
}
