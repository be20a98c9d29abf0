import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { withOperationsTable } from "./operations-table";

/** npm run docs:operations: writes the implemented operations into sandbox/README.md, between its markers. */
const README = path.join(__dirname, "..", "README.md");
writeFileSync(README, withOperationsTable(readFileSync(README, "utf8")));
console.log("sandbox/README.md: operations table updated");
