import * as fs from "fs";
import * as path from "path";

/**
 * The folder that ships the functions' sources and the ETL script next to these components. Found by walking
 * up from this module, so it is the same whether the components run from source or compiled into dist/.
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "functions", "check-file")) && fs.existsSync(path.join(dir, "etl", "glue_job.py"))) return dir;
    if (path.dirname(dir) === dir) {
      throw new Error(`Cannot find the functions/ and etl/ folders above ${from}: the package is incomplete`);
    }
  }
}
