// Preloaded (`node -r`) by tests/cli/process.test.ts: writes every module the process loaded to the file
// named by SFN_LAB_TEST_MODULES when it exits, so a test can assert what a command did not load.
"use strict";
const fs = require("node:fs");

process.on("exit", () => {
  fs.writeFileSync(process.env.SFN_LAB_TEST_MODULES, JSON.stringify(Object.keys(require.cache)));
});
