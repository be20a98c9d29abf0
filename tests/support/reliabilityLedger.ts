import * as fs from "fs";
import * as path from "path";
import { TEST_OUT_DIR } from "./outDir";
import { ProcessParts } from "./processParts";

/**
 * Mocha root hooks that keep a ledger of the reliability and security tests: every test whose title carries a
 * tag such as `[fault]` is recorded with its outcome. After the run the ledger is written as JSON and as the
 * Markdown table that `npm run docs:reliability` puts in the README, so the table always reflects a real run.
 * `npm test` loads it (`--require`); a mocha run of a few files does not, so it leaves the last full ledger alone.
 * Under `--parallel` each worker records its own tests and the main process merges them when the run ends.
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

export const LEDGER_DIR = TEST_OUT_DIR;
const TAG_PATTERN = /\[(fault|bad-input|least-privilege|security)\]\s*/;

const entries: LedgerEntry[] = [];
const parts = new ProcessParts<LedgerEntry[]>(path.join(LEDGER_DIR, "reliability.parts"));

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

/** Entries in the order the table shows them, so a ledger does not depend on which worker ran which file. */
export function sortLedger(list: readonly LedgerEntry[]): LedgerEntry[] {
  return [...list].sort((a, b) => a.tag.localeCompare(b.tag) || a.area.localeCompare(b.area) || a.check.localeCompare(b.check));
}

export function renderLedger(list: readonly LedgerEntry[]): string {
  const escape = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = ["| kind | area | check | result |", "|---|---|---|---|"];
  for (const e of sortLedger(list)) lines.push(`| ${LEDGER_TAGS[e.tag]} | ${escape(e.area)} | ${escape(e.check)} | ${e.result === "passed" ? "✅ passed" : "❌ failed"} |`);
  return lines.join("\n") + "\n";
}

/** Runs in the process that runs the tests (each worker under --parallel). */
export const mochaHooks = {
  afterEach(this: { currentTest?: MinimalTest }) {
    const entry = this.currentTest && ledgerEntryOf(this.currentTest);
    if (entry) entries.push(entry);
  },
  afterAll() {
    if (entries.length > 0) parts.write(entries);
  },
};

/** Runs once, in mocha's main process, before any test file is loaded. */
export function mochaGlobalSetup(): void {
  parts.clear();
}

/** Runs once, in mocha's main process, after every worker has finished. */
export function mochaGlobalTeardown(): void {
  const all = sortLedger(parts.collect().flat());
  if (all.length === 0) return;
  fs.mkdirSync(LEDGER_DIR, { recursive: true });
  fs.writeFileSync(path.join(LEDGER_DIR, "reliability.json"), JSON.stringify({ entries: all }, null, 2) + "\n");
  fs.writeFileSync(path.join(LEDGER_DIR, "reliability.md"), renderLedger(all));
}
