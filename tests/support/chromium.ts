import { accessSync, constants } from "fs";
import * as path from "path";

/**
 * Where the report test finds a Chromium to drive with playwright-core: CHROMIUM_PATH when set, else the first
 * of the usual names on PATH (Debian's package installs /usr/bin/chromium).
 */
export const CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"] as const;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return isExecutable(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  const dirs = (env.PATH ?? "").split(path.delimiter).filter(Boolean);
  for (const name of CHROMIUM_NAMES) {
    for (const dir of dirs) {
      const file = path.join(dir, name);
      if (isExecutable(file)) return file;
    }
  }
  return undefined;
}

/** What to tell a user whose machine has no Chromium: what needs it, and the ways to provide it. */
export function chromiumMissingMessage(env: NodeJS.ProcessEnv = process.env): string {
  const where = env.CHROMIUM_PATH ? `CHROMIUM_PATH (${env.CHROMIUM_PATH}) is not an executable file` : `none of ${CHROMIUM_NAMES.join(", ")} is on PATH`;
  return (
    `Chromium not found: ${where}. The report test renders report.html in headless Chromium. ` +
    "npm test installs Debian's chromium package itself when it runs as root with apt-get (or with CI=true and passwordless sudo); " +
    "otherwise install it (Debian: sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome executable."
  );
}
