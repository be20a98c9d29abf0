import * as fs from "fs";
import * as path from "path";

/**
 * Results a mocha run gathers from several processes: with `--parallel` every worker is its own process, so
 * each writes its share to a part file of its own (named by its pid) and the main process merges the parts at
 * the end of the run. A single-process run works the same way, with one part.
 */
export class ProcessParts<T> {
  constructor(private readonly dir: string) {}

  /** Forgets the parts of an earlier run (before the workers start). */
  clear(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Replaces this process's part with everything it has gathered so far. */
  write(part: T): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `${process.pid}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(part));
    fs.renameSync(`${file}.tmp`, file);
  }

  /** Every process's part, then removes them. */
  collect(): T[] {
    if (!fs.existsSync(this.dir)) return [];
    const parts = fs
      .readdirSync(this.dir)
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => JSON.parse(fs.readFileSync(path.join(this.dir, name), "utf8")) as T);
    this.clear();
    return parts;
  }
}
