import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Sandbox } from "../../sandbox";
import { loadProgramModel } from "../../sandbox/model";

/**
 * Registers mocha hooks that evaluate tests/fixtures/<fixture> under mocks (stack "test") and start a sandbox on its
 * model, stopped and removed after the suite; `sandbox()` is the running one.
 */
export function fixtureProgramSandbox(fixture: string, timeScale: number): () => Sandbox {
  let rootDir: string;
  let sandbox: Sandbox | undefined;
  before(async () => {
    rootDir = mkdtempSync(path.join(tmpdir(), `sandbox-${fixture}-`));
    const model = await loadProgramModel({ programDir: path.join(__dirname, "..", "fixtures", fixture), stack: "test" });
    sandbox = await Sandbox.start(model, { rootDir, timeScale, glue: { startupDelayMs: 30 } });
  });
  after(async () => {
    await sandbox?.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });
  return () => {
    if (!sandbox) throw new Error(`the sandbox of tests/fixtures/${fixture} is not started`);
    return sandbox;
  };
}
