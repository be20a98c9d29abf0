import * as fs from "fs";
import * as path from "path";

/**
 * Mocha root hooks that keep a ledger of the reliability and security tests: every test whose title carries a
 * tag such as `[fault]` is recorded with its outcome. After the run the ledger is written as JSON and as the
 * Markdown table that `npm run docs:reliability` puts in the README, so the table always reflects a real run.
 */
export const LEDGER_TAGS = {
  fault: "Fault injected",
  "bad-input": "Bad input",
  "least-privilege": "Permission proven necessary",
  security: "Security property",
} as const;
export type LedgerTag = keyof typeof LEDGER_TAGS;

export interface LedgerEntry {
  tag: LedgerTag;
  area: string;
  check: string;
  result: "passed" | "failed";
}

export const LEDGER_DIR = path.join(__dirname, "..", "..", "out");
const TAG_PATTERN = /\[(fault|bad-input|least-privilege|security)\]\s*/;

const entries: LedgerEntry[] = [];

interface MinimalTest {
  title: string;
  state?: string;
  parent?: { title: string; parent?: unknown; root?: boolean };
  titlePath(): string[];
}

export function ledgerEntryOf(test: MinimalTest): LedgerEntry | undefined {
  const match = TAG_PATTERN.exec(test.title);
  if (!match || (test.state !== "passed" && test.state !== "failed")) return undefined;
  const titles = test.titlePath();
  return {
    tag: match[1] as LedgerTag,
    area: titles.slice(0, -1).join(" › "),
    check: test.title.replace(TAG_PATTERN, ""),
    result: test.state,
  };
}

export function renderLedger(list: readonly LedgerEntry[]): string {
  const rows = [...list].sort((a, b) => a.tag.localeCompare(b.tag) || a.area.localeCompare(b.area) || a.check.localeCompare(b.check));
  const escape = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = ["| kind | area | check | result |", "|---|---|---|---|"];
  for (const e of rows) lines.push(`| ${LEDGER_TAGS[e.tag]} | ${escape(e.area)} | ${escape(e.check)} | ${e.result === "passed" ? "✅ passed" : "❌ failed"} |`);
  return lines.join("\n") + "\n";
}

export const mochaHooks = {
  afterEach(this: { currentTest?: MinimalTest }) {
    const entry = this.currentTest && ledgerEntryOf(this.currentTest);
    if (entry) entries.push(entry);
  },
  afterAll() {
    if (entries.length === 0) return;
    fs.mkdirSync(LEDGER_DIR, { recursive: true });
    fs.writeFileSync(path.join(LEDGER_DIR, "reliability.json"), JSON.stringify({ entries }, null, 2) + "\n");
    fs.writeFileSync(path.join(LEDGER_DIR, "reliability.md"), renderLedger(entries));
  },
};
