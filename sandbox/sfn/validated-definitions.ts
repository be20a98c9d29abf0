import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/**
 * Definitions that already passed CreateStateMachine's checks, so a start can skip checking them again
 * (the ASL schema check is the costliest part of deploying a machine). Only a verdict of "valid" is
 * remembered; an invalid definition is checked, and refused, every time.
 */
export interface ValidatedDefinitions {
  has(definition: string): boolean;
  add(definition: string): void;
}

/** The version of the checker: a new aws-local-stepfunctions (and its asl-validator) checks again. */
function validatorVersion(): string {
  // Its package.json is not among its exports: found next to its entry point.
  const entry = require.resolve("aws-local-stepfunctions");
  const marker = `${path.sep}aws-local-stepfunctions${path.sep}`;
  const packageDir = entry.slice(0, entry.lastIndexOf(marker) + marker.length);
  return (JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string }).version;
}

/** The verdicts in a JSON file (an array of hashes of checker version and definition text). */
export class ValidatedDefinitionsFile implements ValidatedDefinitions {
  private readonly hashes: Set<string>;
  private readonly version = validatorVersion();

  constructor(private readonly file: string) {
    let known: unknown = [];
    try {
      known = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      // No verdicts yet, or an unreadable file: check everything.
    }
    this.hashes = new Set(Array.isArray(known) ? known.filter((h): h is string => typeof h === "string") : []);
  }

  private hash(definition: string): string {
    return createHash("sha256").update(`${this.version}\0${definition}`).digest("hex");
  }

  has(definition: string): boolean {
    return this.hashes.has(this.hash(definition));
  }

  add(definition: string): void {
    const hash = this.hash(definition);
    if (this.hashes.has(hash)) return;
    this.hashes.add(hash);
    mkdirSync(path.dirname(this.file), { recursive: true });
    const partial = `${this.file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify([...this.hashes]));
    renameSync(partial, this.file);
  }
}
