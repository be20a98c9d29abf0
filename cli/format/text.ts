/** Small text helpers shared by the commands' output. */

/** "0.4s", "12.3s", "2m05s", "1h02m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m`;
}

/** One line: newlines and runs of spaces collapsed, cut to `max` characters. */
export function oneLine(text: string, max = 240): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Where output goes; a parameter so tests can capture it. */
export interface Output {
  line(text?: string): void;
}

export const consoleOutput: Output = { line: (text = "") => console.log(text) };

/** Collects lines in memory (tests, and the demo's captured transcript). */
export class MemoryOutput implements Output {
  readonly lines: string[] = [];
  line(text = ""): void {
    this.lines.push(text);
  }
  get text(): string {
    return this.lines.join("\n");
  }
}
