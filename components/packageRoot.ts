import * as fs from "fs";
import * as path from "path";

/**
 * The folder that ships the ETL script and sample data next to these components. Found by walking up from this
 * module, so it is the same whether the components run from source, compiled into dist/, or installed.
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "etl", "glue_job.py")) && fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) {
      throw new Error(`Cannot find the etl/ folder above ${from}: the package is incomplete`);
    }
  }
}
