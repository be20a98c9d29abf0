import * as path from "path";

/**
 * Where a test run leaves what it produced for later (the reliability ledger, the files' timings): `out/`, or
 * SFN_LAB_TEST_OUT, which the runner's own tests set so that their small runs leave the real ledger alone.
 */
export const TEST_OUT_DIR = process.env.SFN_LAB_TEST_OUT ?? path.join(__dirname, "..", "..", "out");
