import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { withIntegrationsTable } from "./table";

/** npm run docs:integrations: writes the registry's table into README.md and sandbox/README.md, between their markers. */
export const INTEGRATION_READMES = [path.join(__dirname, "..", "..", "README.md"), path.join(__dirname, "..", "..", "sandbox", "README.md")];

if (require.main === module) {
  for (const readme of INTEGRATION_READMES) {
    writeFileSync(readme, withIntegrationsTable(readFileSync(readme, "utf8")));
    console.log(`${path.relative(path.join(__dirname, "..", ".."), readme)}: integrations table updated`);
  }
}
