/** The machine a benchmark ran on, for the report: CPU, cores, load, Node and Python versions. */
import { execFileSync } from "node:child_process";
import * as os from "node:os";

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly python: string;
  /** 1-minute load average when the run started (other processes share the machine). */
  readonly loadAverage: number;
}

export function machineInfo(): MachineInfo {
  let python = "unknown";
  try {
    python = execFileSync(process.env.PYTHON ?? "python3", ["--version"], { encoding: "utf8" }).trim().replace(/^Python /, "");
  } catch {
    // Reported as unknown; the ETL section then fails with its own message.
  }
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.arch()}`,
    node: process.version,
    python,
    loadAverage: Math.round(os.loadavg()[0] * 100) / 100,
  };
}
