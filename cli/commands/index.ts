/**
 * The command tree: names, arguments, options and descriptions only. Each action loads its command's module
 * when that command runs, so `--help` and `lint` load neither Pulumi, the sandbox nor the AWS SDK.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import * as path from "node:path";
import { packageRoot } from "../../components/packageRoot";
import { DEFAULT_PRICES_FILE } from "../cost/price-table";
import { addTargetOptions, registerTargetOption } from "../targets/options";

/** Where `demo` writes summary.json and report.html unless --out says otherwise. */
export const DEFAULT_DEMO_OUT_DIR = "lab-output";

/** A duration option in milliseconds: a whole number >= 0, else a usage error naming the option (exit 2). */
function milliseconds(value: string): number {
  const ms = Number(value);
  if (value.trim() === "" || !Number.isInteger(ms) || ms < 0) throw new InvalidArgumentError("Use a whole number of milliseconds >= 0.");
  return ms;
}

export function registerCommands(program: Command): void {
  registerTargetOption(program);
  registerOperatorCommands(program);
  registerEtl(program);
  registerSandbox(program);
  registerProgramCommands(program);
  registerLint(program);
}

/** The patterns, run and operated on a target. */
function registerOperatorCommands(program: Command): void {
  addTargetOptions(
    program
      .command("demo")
      .description(
        "run the three patterns end to end with live progress (request-response fails at Validate, run-job succeeds, wait-for-callback " +
          "pauses until the externally run job is verified and approved); writes summary.json and report.html; exits 1 unless every pattern ended as expected",
      )
      .option("--out <dir>", "where to write summary.json and report.html", DEFAULT_DEMO_OUT_DIR)
      .option("--glue-startup-ms <ms>", "sandbox: how long a Glue run stays STARTING", milliseconds, 1500)
      .option("--sync-poll-ms <ms>", "sandbox: how often Step Functions polls a .sync job run (about 60000 on AWS)", milliseconds, 1000),
  ).action(async (opts, command: Command) => (await import("./demo")).demoCommand(opts, command));

  addTargetOptions(
    program
      .command("run <machine>")
      .description(
        "start a state machine (its name or ARN, or a lab pattern: request-response, run-job, wait-for-callback) and follow it state by state; " +
          "exits 1 unless it SUCCEEDED (or waits for a callback)",
      )
      .option("--input <json>", "execution input, a JSON document", "{}")
      .option("--no-wait", "print the execution ARN and return without following it"),
  ).action(async (pattern: string, opts, command: Command) => (await import("./run")).runCommand(pattern, opts, command));

  addTargetOptions(
    program
      .command("watch <execution>")
      .description("follow an execution (ARN or name) state by state from its history until it ends; exits 1 unless it SUCCEEDED"),
  ).action(async (execution: string, _opts: unknown, command: Command) => (await import("./watch")).watchCommand(execution, command));

  addTargetOptions(
    program
      .command("callbacks")
      .description("list the paused callback tasks (.waitForTaskToken) of the deployed machines, with the token read from each execution's history")
      .option("--show-token", "print the full task tokens (anyone holding one can resume or fail the execution)", false),
  ).action(async (opts, command: Command) => (await import("./callbacks")).callbacksCommand(opts, command));

  addTargetOptions(
    program
      .command("approve <execution>")
      .description(
        "send SendTaskSuccess {\"JobRunId\": ...} to the callback task an execution (ARN or name) is paused on, vouching for one Glue run: " +
          "by default the newest run started after the execution paused, and only after that run SUCCEEDED and its output validates",
      )
      .option("--no-verify", "send the token without checking the run's state and output (its start time is still checked)")
      .option("--output <json>", "send this JSON document as the task's result instead of a Glue run's id (any machine's callback, no Glue check)")
      .option("--run <id>", "the Glue run to vouch for (default: the newest run started after the execution paused); never one older than the execution")
      .addOption(new Option("--job-run <id>", "same as --run").hideHelp()),
  ).action(async (execution: string, opts, command: Command) => (await import("./approve")).approveCommand(execution, opts, command));

  addTargetOptions(
    program
      .command("reject <execution>")
      .description("send SendTaskFailure to the callback task an execution (ARN or name) is paused on")
      .requiredOption("--error <code>", "the error name the execution sees (e.g. OutputRejected)")
      .requiredOption("--cause <text>", "why, in words"),
  ).action(async (execution: string, opts, command: Command) => (await import("./approve")).rejectCommand(execution, opts, command));

  addTargetOptions(
    program
      .command("cost [machines...]")
      .description(
        "run each machine (by name or ARN; default the lab's three patterns, or every deployed machine of another program) and price one execution " +
          "from its history: state transitions, Lambda GB-seconds, " +
          "Glue DPU-seconds; prints the cost per 1,000 runs and the completion latency .sync polling adds next to a callback",
      )
      .option("--runs <n>", "executions of each pattern to average", "1")
      .option("--prices <file>", `price table (default ${path.relative(packageRoot(), DEFAULT_PRICES_FILE)})`)
      .option("--from <file>", "price executions recorded earlier with --save instead of running the patterns")
      .option("--save <file>", "also write the recorded executions (histories, function settings, Glue runs) to a file")
      .option("--event-delivery-seconds <s>", "assumed EventBridge delivery of the job's state-change event, for the callback latency", "1")
      .option("--json", "print JSON instead of tables"),
  ).action(async (patterns: string[], opts, command: Command) => (await import("./cost")).costCommand(patterns, opts, command));
}

/** The Glue ETL job: outside the state machines, and locally. */
function registerEtl(program: Command): void {
  const etl = program.command("etl").description("the Glue ETL job: start it outside the state machines, see its runs, run it locally");
  addTargetOptions(etl.command("start").description("start a run of the lab's Glue job (StartJobRun) and print its run id")).action(
    async (_opts: unknown, command: Command) => (await import("./etl")).etlStartCommand(command),
  );
  addTargetOptions(
    etl
      .command("status [run-id]")
      .description("a run's state (GetJobRun), or the job's newest runs (GetJobRuns)")
      .option("--limit <n>", "how many runs to list without a run id", "5"),
  ).action(async (runId: string | undefined, opts, command: Command) => (await import("./etl")).etlStatusCommand(runId, opts, command));
  etl
    .command("run")
    .description("run the real Glue script on a local file: writes DIR/data.csv, DIR/rejects.csv and DIR/_manifest.json")
    .requiredOption("--input <file>", "CSV file to filter")
    .requiredOption("--out <dir>", "folder for the output (created if missing)")
    .option("--filter <json>", 'filter as JSON, e.g. {"column":"amount","operator":"ge","value":"100"} (default: the stack\'s config)')
    .option("--stack <name>", "stack whose config gives the default filter", "dev")
    .action(async (opts) => (await import("./etlRun")).etlRunCommand(opts));
}

function registerSandbox(program: Command): void {
  const sandbox = program.command("sandbox").description("the local sandbox: keep one running, or reset its state");
  sandbox
    .command("up")
    .description("deploy the program into a local sandbox and keep it running in the foreground (Ctrl-C stops it)")
    .option("--stack <name>", "stack whose config the program is evaluated with", "dev")
    .option("--program <dir>", "deploy this Pulumi program (its folder, with Pulumi.yaml) instead of the lab's")
    .option("--empty", "deploy nothing: create roles, functions, jobs and state machines through the AWS APIs (raw ASL)")
    .option("--glue-startup-ms <ms>", "how long a Glue run stays STARTING", milliseconds, 2000)
    .option("--sync-poll-ms <ms>", "how often Step Functions polls a .sync job run", milliseconds, 1000)
    .option("--no-cache", "evaluate the program again instead of using the cached model in .sandbox/cache")
    .action(async (opts) => (await import("./sandbox")).sandboxUpCommand(opts));
  sandbox
    .command("reset")
    .description("delete the sandbox's state folder (objects, runs, logs, the cached program model)")
    .action(async () => (await import("./sandbox")).sandboxResetCommand());
}

/** The Pulumi program, evaluated offline under mocks. */
function registerProgramCommands(program: Command): void {
  program
    .command("preview")
    .description("evaluate the Pulumi program offline under mocks; print its resources and each state machine's integration patterns")
    .option("--stack <name>", "stack whose Pulumi.<stack>.yaml config is used", "dev")
    .action(async (opts) => (await import("./preview")).previewCommand(opts));
  program
    .command("policy-check")
    .description("enforce the policy pack offline: evaluate the program under mocks with the pack's policies and config")
    .option("--stack <name>", "stack whose config the program reads", "dev")
    .option("--config <file>", "policy pack config (default: policy/policy-config.<stack>.json)")
    .action(async (opts) => (await import("./policyCheck")).policyCheckCommand(opts));
}

function registerLint(program: Command): void {
  program
    .command("lint")
    .description(
      "check Step Functions definitions (.json, .asl.json, .yaml, .yml, .asl.yaml) with the policy rules; directories are walked " +
        "(node_modules and dot-directories skipped; plain .json/.yaml files there only if they look like ASL). " +
        "Exit 0 clean or advisory only, 1 a mandatory finding, 2 a file that cannot be read or parsed, a usage error, or no ASL file found.",
    )
    .argument("<paths...>", "files or directories")
    // Checked by the command (usageProblem), which names the allowed values and exits 2: 1 means a finding.
    .addOption(new Option("--format <format>", "output format: text, json, sarif").default("text"))
    .addOption(new Option("--workflow-type <type>", "workflow type the definitions run as: STANDARD, EXPRESS").default("STANDARD"))
    .action(async (paths: string[], opts) => (await import("./lint")).lintCommand(paths, opts));
}
