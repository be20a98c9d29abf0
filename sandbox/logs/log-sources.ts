import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import type { FunctionLogGroup, GlueJobView, LogGroupView, StateMachineView } from "../model-view";
import { withoutExecutionData, type HistoryEvent } from "../sfn/history";

/**
 * The log groups the sandbox can show, and their streams and events, read when asked:
 * - the program's aws:cloudwatch/logGroup resources;
 * - a function's group (its loggingConfig.logGroup, else /aws/lambda/<name>, which Lambda creates on the
 *   first invocation): one stream, the function's log file, one event per line;
 * - Glue's /aws-glue/python-jobs/output and /error (/aws-glue/jobs/... for Spark jobs), which Glue creates on
 *   the first run: one stream per run, named by its JobRunId, as Glue names them;
 * - a state machine's execution events, in the group its loggingConfiguration sends them to, one stream per
 *   execution ("states/<machine>/<execution name>"), in Step Functions' log event format.
 * Lines in files have no timestamp of their own unless they are JSON with a "timestamp" field: they take
 * the previous line's, the first line its file's creation time.
 */
export interface LogEvent {
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
}

export interface LogStream {
  readonly name: string;
  readonly creationTime: number;
  readonly events: readonly LogEvent[];
}

export interface LogGroup {
  readonly name: string;
  /** Without the trailing ":*". */
  readonly arn: string;
  readonly creationTime: number;
  readonly retentionInDays?: number;
  streams(): LogStream[];
}

export interface LogSourceInputs {
  readonly region: string;
  readonly accountId: string;
  readonly startedAt: number;
  readonly declared: readonly LogGroupView[];
  readonly functions: readonly FunctionLogGroup[];
  readonly glueJobs: readonly GlueJobView[];
  readonly lambdaLogFile: (functionName: string) => string;
  readonly glueLogDir: string;
  readonly executions: () => readonly { machine: StateMachineView; executions: readonly ExecutionLog[] }[];
}

export interface ExecutionLog {
  readonly executionArn: string;
  readonly name: string;
  readonly startDate: Date;
  readonly events: readonly HistoryEvent[];
}

export class LogSources {
  constructor(private readonly inputs: LogSourceInputs) {}

  /** Every group that exists now, sorted by name as DescribeLogGroups lists them. */
  groups(): LogGroup[] {
    const byName = new Map<string, { arn: string; creationTime: number; retentionInDays?: number; sources: (() => LogStream[])[] }>();
    const group = (name: string, creationTime: number, arn = this.arnOf(name), retentionInDays?: number) => {
      let entry = byName.get(name);
      if (!entry) byName.set(name, (entry = { arn, creationTime, retentionInDays, sources: [] }));
      return entry;
    };
    for (const declared of this.inputs.declared) group(declared.name, this.inputs.startedAt, declared.arn, declared.retentionInDays);
    for (const fn of this.inputs.functions) {
      const file = this.inputs.lambdaLogFile(fn.functionName);
      if (!existsSync(file) && !byName.has(fn.logGroupName)) continue;
      group(fn.logGroupName, this.inputs.startedAt).sources.push(() => (existsSync(file) ? [lambdaStream(fn.functionName, file)] : []));
    }
    for (const [name, files] of this.glueStreamFiles()) {
      const streams = () => files.map(({ runId, file }) => fileStream(runId, file));
      group(name, Math.min(...files.map(({ file }) => createdAt(file)))).sources.push(streams);
    }
    for (const { machine, executions } of this.inputs.executions()) {
      const logging = machine.loggingConfiguration;
      const destination = logging.destinations?.[0]?.cloudWatchLogsLogGroup.logGroupArn.replace(/:\*$/, "");
      const target = [...byName.entries()].find(([, g]) => g.arn === destination);
      if (!target || logging.level === "OFF") continue;
      target[1].sources.push(() => executions.map((e) => executionStream(machine, e)));
    }
    return [...byName.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, g]) => ({
        name,
        arn: g.arn,
        creationTime: g.creationTime,
        ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
        streams: () => g.sources.flatMap((source) => source()),
      }));
  }

  arnOf(groupName: string): string {
    return `arn:aws:logs:${this.inputs.region}:${this.inputs.accountId}:log-group:${groupName}`;
  }

  /** Glue's groups by name -> the runs' files: "<job>.<run id>.output.log" / ".error.log". */
  private glueStreamFiles(): Map<string, { runId: string; file: string }[]> {
    const out = new Map<string, { runId: string; file: string }[]>();
    if (!existsSync(this.inputs.glueLogDir)) return out;
    const entries = readdirSync(this.inputs.glueLogDir).sort();
    for (const job of this.inputs.glueJobs) {
      const base = job.commandName === "pythonshell" ? "/aws-glue/python-jobs" : "/aws-glue/jobs";
      for (const entry of entries) {
        const match = /^(.+)\.(output|error)\.log$/.exec(entry);
        if (!match || !match[1].startsWith(`${job.name}.`)) continue;
        const runId = match[1].slice(job.name.length + 1);
        const name = `${base}/${match[2]}`;
        out.set(name, [...(out.get(name) ?? []), { runId, file: path.join(this.inputs.glueLogDir, entry) }]);
      }
    }
    return out;
  }
}

function createdAt(file: string): number {
  const stat = statSync(file);
  return Math.floor(stat.birthtimeMs > 0 ? stat.birthtimeMs : stat.ctimeMs);
}

/** A file as a stream: one event per non-empty line. */
function fileStream(name: string, file: string): LogStream {
  const creationTime = createdAt(file);
  const ingestionTime = Math.floor(statSync(file).mtimeMs);
  let timestamp = creationTime;
  const events: LogEvent[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    timestamp = ownTimestamp(line) ?? timestamp;
    events.push({ timestamp, ingestionTime: Math.max(ingestionTime, timestamp), message: line });
  }
  return { name, creationTime, events };
}

/** Lambda names a stream "<yyyy>/<mm>/<dd>/[$LATEST]<32 hex>" after the day its environment started. */
function lambdaStream(functionName: string, file: string): LogStream {
  const created = createdAt(file);
  const day = new Date(created).toISOString().slice(0, 10).replace(/-/g, "/");
  const id = createHash("sha256").update(`${functionName}:${created}`).digest("hex").slice(0, 32);
  return fileStream(`${day}/[$LATEST]${id}`, file);
}

/** The "timestamp" of a JSON log line (Lambda's JSON log format, Powertools), if it has one. */
function ownTimestamp(line: string): number | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(line) as { timestamp?: unknown };
    const value = typeof parsed.timestamp === "string" || typeof parsed.timestamp === "number" ? new Date(parsed.timestamp).getTime() : NaN;
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Step Functions' levels: ALL logs every event, ERROR the failures, FATAL only the execution's end in failure. */
const FAILURE_EVENT = /(Failed|TimedOut|Aborted)$/;
const FATAL_EVENT = /^Execution(Failed|TimedOut|Aborted)$/;

/** An execution's events as Step Functions logs them: id, type, details, previous_event_id, event_timestamp, execution_arn. */
function executionStream(machine: StateMachineView, execution: ExecutionLog): LogStream {
  const { level, includeExecutionData } = machine.loggingConfiguration;
  const logged = execution.events.filter((e) => level === "ALL" || (level === "ERROR" ? FAILURE_EVENT.test(e.type) : FATAL_EVENT.test(e.type)));
  const events = logged.map((raw) => {
    const event = includeExecutionData ? raw : withoutExecutionData(raw);
    const { id, previousEventId, timestamp, type, ...details } = event;
    const detail = Object.values(details)[0] ?? {};
    const message = JSON.stringify({
      id: String(id),
      type,
      details: detail,
      previous_event_id: String(previousEventId),
      event_timestamp: String(timestamp.getTime()),
      execution_arn: execution.executionArn,
    });
    return { timestamp: timestamp.getTime(), ingestionTime: timestamp.getTime(), message };
  });
  return { name: `states/${machine.name}/${execution.name}`, creationTime: execution.startDate.getTime(), events };
}
