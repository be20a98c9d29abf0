import { strict as assert } from "assert";
import { execFileSync, spawn, spawnSync, type ChildProcessWithoutNullStreams } from "child_process";
import * as fs from "fs";
import { builtinModules } from "module";
import * as os from "os";
import * as path from "path";
import { DescribeExecutionCommand, SFNClient } from "@aws-sdk/client-sfn";
import { bundleHandler, HANDLER_NAMES } from "../components/lambdaBundle";
import { clientEnvironment, type SandboxConnection } from "../sandbox";
import { loadProgramModel, ProgramModel, resourcesOfType } from "../sandbox/model";

const ROOT = path.join(__dirname, "..");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");

/** Pulumi's TypeScript template tsconfig (pulumi/templates, aws-typescript/tsconfig.json), as `pulumi new` writes it. */
const PULUMI_TEMPLATE_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
};

/**
 * What a program writes with the exported types: an exemption typed by rule id, a finding's level. The
 * `@ts-expect-error` line fails the compile if RuleId were a plain string (or any).
 */
const TYPES_USER = `import { RULE_IDS } from "sfn-integration-patterns/components";
import type { DefinitionExemption, Finding, PolicyStatement, RuleId } from "sfn-integration-patterns/components";

export const rule: RuleId = "glue-task-must-wait";
// @ts-expect-error: not a rule of the pack
export const wrong: RuleId = "no-such-rule";
export const exemption: DefinitionExemption = { rule, reason: "accepted on purpose", state: "StartEtl" };
export const levels: Finding["level"][] = ["mandatory", "advisory"];
export const everyRule: readonly RuleId[] = RULE_IDS;
export const grant: PolicyStatement = { Effect: "Allow", Action: ["sns:Publish"], Resource: ["arn:aws:sns:us-east-1:123456789012:t"] };
`;

/** The TypeScript block of the README section a user copies from. */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.split("## Use the components in your own program")[1];
  assert.ok(section, "README has the section 'Use the components in your own program'");
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  assert.ok(block, "the section holds a ts block");
  return block[1];
}

/** `sfn-lab sandbox up ARGS` of an installed CLI, running until stop(); output holds what it printed so far. */
interface SandboxUp {
  output: string;
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

function startSandboxUp(bin: string, args: string[], cwd: string, stateDir: string): SandboxUp {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [bin, "sandbox", "up", ...args], { cwd, env: { ...process.env, SFN_LAB_SANDBOX_DIR: stateDir } });
  const up: SandboxUp = {
    output: "",
    ready: new Promise<void>((resolve, reject) => {
      child.stderr.on("data", (chunk: Buffer) => (up.output += chunk.toString()));
      child.stdout.on("data", (chunk: Buffer) => {
        up.output += chunk.toString();
        if (up.output.includes("Ctrl-C stops it.")) resolve();
      });
      child.on("close", (code) => reject(new Error(`sandbox up ${args.join(" ")} exited with ${code}:\n${up.output}`)));
    }),
    async stop() {
      if (child.exitCode !== null) return;
      const stopped = new Promise((resolve) => child.once("close", resolve));
      child.kill("SIGINT");
      await stopped;
    },
  };
  return up;
}

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${e.stdout ?? ""}${e.stderr ?? e.message}`);
  }
}

/** Every package a compiled file requires by bare name (not relative, not a Node built-in), by its package name. */
function requiredPackages(dir: string): Set<string> {
  const names = new Set<string>();
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const file = path.join(d, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".js") && !d.includes(`${path.sep}bundles`)) {
        for (const m of fs.readFileSync(file, "utf8").matchAll(/require\("([^"]+)"\)/g)) {
          const spec = m[1];
          if (spec.startsWith(".") || spec.startsWith("node:") || builtinModules.includes(spec)) continue;
          names.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
        }
      }
    }
  };
  walk(dir);
  return names;
}

/**
 * What a user does: `npm pack` (npm runs `prepare`, which compiles the components and bundles the functions),
 * install the tarball into a fresh Pulumi TypeScript program with the template's tsconfig, compile the README's
 * example there and run it under Pulumi mocks. The program's node_modules holds the package's dependencies as
 * links to this repository's install, so npm installs only the tarball, offline; nothing else is reachable.
 */
describe("the packed package, installed into a fresh Pulumi TypeScript program", function () {
  this.timeout(300_000);
  let work: string;
  let tarball: string;
  let installed: string;
  let program: string;
  let packedManifest: { dependencies: Record<string, string>; devDependencies?: Record<string, string>; version: string };

  before(function () {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sfn-package-"));
    run("npm", ["pack", "--pack-destination", work, "--silent"], ROOT);
    const tarballs = fs.readdirSync(work).filter((f) => f.endsWith(".tgz"));
    assert.equal(tarballs.length, 1, `npm pack wrote one tarball: ${tarballs.join(", ")}`);
    tarball = path.join(work, tarballs[0]);

    program = path.join(work, "program");
    fs.mkdirSync(path.join(program, "node_modules", "@types"), { recursive: true });
    fs.writeFileSync(path.join(program, "package.json"), JSON.stringify({ name: "readme-example", private: true, main: "bin/index.js" }));
    fs.writeFileSync(path.join(program, "Pulumi.yaml"), "name: readme-example\nruntime: nodejs\n");
    fs.writeFileSync(path.join(program, "tsconfig.json"), JSON.stringify(PULUMI_TEMPLATE_TSCONFIG, null, 2));
    fs.writeFileSync(path.join(program, "index.ts"), readmeExample());
    fs.writeFileSync(path.join(program, "types.ts"), TYPES_USER);
    // The package's declared dependencies (and the template's @types/node), linked from this repository's install.
    packedManifest = JSON.parse(run("tar", ["-xzOf", tarball, "package/package.json"], work));
    for (const dep of [...Object.keys(packedManifest.dependencies), "@types/node"]) {
      const link = path.join(program, "node_modules", dep);
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(fs.realpathSync(path.join(ROOT, "node_modules", dep)), link, "dir");
    }
    run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], program);
    installed = path.join(program, "node_modules", "sfn-integration-patterns");
  });

  after(function () {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("ships the compiled components with declarations, the prebuilt function bundles and the ETL files, no TypeScript sources", function () {
    for (const file of ["dist/components/index.js", "dist/components/index.d.ts", "dist/policy/analysis/index.js", "dist/bundles/check-file.js", "dist/bundles/validate-output.js", "etl/glue_job.py", "etl/transform.py", "etl/spark_job.py", "etl/arrow_range.py", "etl/data/orders.csv"]) {
      assert.ok(fs.existsSync(path.join(installed, file)), `${file} is in the package`);
    }
    assert.ok(!fs.existsSync(path.join(installed, "components")), "no component sources");
    assert.ok(!fs.existsSync(path.join(installed, "functions")), "no handler sources: the bundles are prebuilt");
  });

  it("ships function bundles identical to a fresh bundle of the handlers' sources", function () {
    for (const handler of HANDLER_NAMES) {
      assert.equal(fs.readFileSync(path.join(installed, "dist", "bundles", `${handler}.js`), "utf8"), bundleHandler(handler), handler);
    }
  });

  it("runs its CLI compiled: `sfn-lab --version`, and `sfn-lab lint` refusing a fire-and-forget Glue start with exit 1", function () {
    const bin = path.join(program, "node_modules", ".bin", "sfn-lab");
    assert.ok(fs.existsSync(bin), "npm linked the package's bin");
    const version = spawnSync(process.execPath, [bin, "--version"], { cwd: program, encoding: "utf8" });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), packedManifest.version);
    const definition = path.join(work, "fire-and-forget.asl.json");
    fs.writeFileSync(
      definition,
      JSON.stringify({ StartAt: "StartEtl", States: { StartEtl: { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun", Parameters: { JobName: "etl" }, End: true } } }),
    );
    const lint = spawnSync(process.execPath, [bin, "lint", definition], { cwd: program, encoding: "utf8" });
    assert.equal(lint.status, 1, `${lint.stdout}${lint.stderr}`);
    assert.match(lint.stdout, /glue-task-must-wait/);
    assert.match(lint.stdout, /StartEtl/);
    assert.doesNotMatch(lint.stderr, /TypeScript sources/, "the installed CLI runs compiled");
  });

  it("declares every package its compiled code requires as a run-time dependency, and needs no esbuild", function () {
    const required = requiredPackages(path.join(installed, "dist"));
    assert.ok(required.has("@pulumi/pulumi") && required.has("@pulumi/aws"), `found: ${[...required].join(", ")}`);
    // esbuild is only required lazily, by the source bundler the installed package never calls.
    required.delete("esbuild");
    for (const name of required) assert.ok(name in packedManifest.dependencies, `${name} is required by dist/ but not in dependencies`);
    assert.ok(!("esbuild" in packedManifest.dependencies), "esbuild stays a development dependency");
    assert.throws(() => require.resolve("esbuild", { paths: [installed] }), /Cannot find module/);
  });

  describe("the README's example", function () {
    let model: ProgramModel;
    before(async function () {
      run(process.execPath, [TSC, "-p", "tsconfig.json"], program);
      model = await loadProgramModel({ programDir: program, stack: "dev" });
    });

    it("compiles under Pulumi's template tsconfig (moduleResolution node) and runs under mocks", function () {
      assert.ok(fs.existsSync(path.join(program, "bin", "index.js")));
      assert.ok(fs.existsSync(path.join(program, "bin", "types.js")), "the exported types (RuleId, Finding, DefinitionExemption) compile too");
      const machines = resourcesOfType(model, "aws:sfn/stateMachine:StateMachine");
      assert.deepEqual(machines.map((m) => m.name), ["orders-run-job"]);
      assert.equal(model.outputs.arn, machines[0].state.arn);
    });

    it("builds the lab from the package's own ETL files and prebuilt function bundles", function () {
      const objects = resourcesOfType(model, "aws:s3/bucketObjectv2:BucketObjectv2");
      const source = Object.fromEntries(objects.map((o) => [o.inputs.key, fs.realpathSync(String((o.inputs.source as { path: string }).path))]));
      assert.equal(source["input/orders.csv"], fs.realpathSync(path.join(installed, "etl", "data", "orders.csv")));
      assert.equal(source["etl/glue_job.py"], fs.realpathSync(path.join(installed, "etl", "glue_job.py")));
      const fn = resourcesOfType(model, "aws:lambda/function:Function").find((f) => f.name === "orders-check-file")!;
      const code = (fn.inputs.code as { assets: Record<string, { text: string }> }).assets["index.js"].text;
      assert.equal(code, fs.readFileSync(path.join(installed, "dist", "bundles", "check-file.js"), "utf8"));
    });

    it("passes the example's settings through: the filter to the job, the .sync timeout to the machine", function () {
      const job = resourcesOfType(model, "aws:glue/job:Job")[0];
      assert.deepEqual(JSON.parse((job.inputs.defaultArguments as Record<string, string>)["--filter"]), { column: "status", operator: "in", value: "SHIPPED|DELIVERED" });
      const definition = JSON.parse(String(resourcesOfType(model, "aws:sfn/stateMachine:StateMachine")[0].inputs.definition));
      assert.equal(definition.States.StartEtl.Resource, "arn:aws:states:::glue:startJobRun.sync");
      assert.equal(definition.States.StartEtl.TimeoutSeconds, 900);
    });
  });

  /**
   * A program of its own (tests/fixtures/own-machine) with the package installed from the tarball: the lab's
   * components plus a plain aws.sfn.StateMachine over two functions of its own (Node.js from a FileArchive folder,
   * Python from an AssetArchive). The installed CLI deploys it with `sandbox up --program DIR --stack test` and
   * runs its machines by name and by ARN to their end states, as a user in two terminals would.
   */
  describe("a program of its own, deployed by the installed CLI with sandbox up --program", function () {
    let own: string;
    let stateDir: string;
    let up: SandboxUp | undefined;
    const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(own, "node_modules", ".bin", "sfn-lab"), ...args], { cwd: own, encoding: "utf8", env: { ...process.env, SFN_LAB_SANDBOX_DIR: stateDir } });

    before(async function () {
      own = path.join(work, "own-machine");
      stateDir = path.join(work, "own-state");
      fs.cpSync(path.join(__dirname, "fixtures", "own-machine"), own, { recursive: true });
      for (const dep of Object.keys(packedManifest.dependencies)) {
        const link = path.join(own, "node_modules", dep);
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.symlinkSync(fs.realpathSync(path.join(ROOT, "node_modules", dep)), link, "dir");
      }
      run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], own);
      up = startSandboxUp(path.join(own, "node_modules", ".bin", "sfn-lab"), ["--program", own, "--stack", "test", "--glue-startup-ms", "20", "--sync-poll-ms", "20"], own, stateDir);
      await up.ready;
    });

    after(() => up?.stop());

    it("lists the program's machines, and the resource it cannot deploy with what fails when called", function () {
      assert.match(up!.output, /^ {2}greet +arn:aws:states:us-east-1:\d{12}:stateMachine:greet$/m);
      assert.match(up!.output, /^ {2}orders-run-job-\w+ +arn:aws:states:/m);
      assert.match(up!.output, /! aws:ecs\/cluster:Cluster "workers": not deployed, .*; a Task or function calling it fails/);
    });

    it("runs the plain machine by name to SUCCEEDED, Pulumi.test.yaml's greeting reaching its function", async function () {
      const result = cli("run", "greet", "--input", JSON.stringify({ name: "Ada" }));
      assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
      assert.match(result.stdout, /✓ Greet[\s\S]*✓ Shout[\s\S]*✓ SUCCEEDED/);
      const connection = JSON.parse(fs.readFileSync(path.join(stateDir, "sandbox.json"), "utf8")) as SandboxConnection;
      assert.equal((connection.outputs as { greetArn?: string }).greetArn, "arn:aws:states:us-east-1:123456789012:stateMachine:greet");
      const executionArn = /execution (arn:\S+)/.exec(result.stdout)?.[1];
      const sfn = new SFNClient({ region: connection.region, endpoint: connection.endpoints.sfn, credentials: connection.credentials });
      try {
        const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        // greeter (Node.js) says "bonjour Ada" (the test stack's greeting), shout (Python) upper-cases it.
        const output = JSON.parse(described.output ?? "null") as { message: string; by: string };
        assert.equal(output.message, "BONJOUR ADA!");
        // The Python context's function_name: the auto-named function "shout-<suffix>".
        assert.match(output.by, /^shout-[0-9a-f]{7}$/);
      } finally {
        sfn.destroy();
      }
    });

    it("runs it to FAILED at the Python function's error, named with its type and message", function () {
      const result = cli("run", "greet", "--input", "{}");
      assert.equal(result.status, 1, `${result.stdout}${result.stderr}`);
      assert.match(result.stdout, /✗ FAILED at Shout in \S+: ValueError \(nothing to shout\)/);
    });

    it("runs the components' run-job machine by its ARN to SUCCEEDED (the Glue job really ran)", function () {
      const { outputs } = JSON.parse(fs.readFileSync(path.join(stateDir, "sandbox.json"), "utf8")) as { outputs: { runJobArn: string } };
      const result = cli("run", outputs.runJobArn);
      assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
      assert.match(result.stdout, /✓ StartEtl[\s\S]*✓ Validate[\s\S]*✓ SUCCEEDED/);
    });

    it("refuses a name nothing is deployed under, listing what is", function () {
      const result = cli("run", "no-such-machine");
      assert.equal(result.status, 1);
      assert.match(result.stderr, /No state machine named "no-such-machine" on sandbox .*; deployed state machines: greet, orders-run-job-\w+$/m);
    });
  });

  describe("raw ASL only, with the installed CLI: sandbox up --empty", function () {
    let stateDir: string;
    let up: SandboxUp | undefined;
    const bin = () => path.join(program, "node_modules", ".bin", "sfn-lab");

    before(async function () {
      stateDir = path.join(work, "empty-state");
      up = startSandboxUp(bin(), ["--empty"], program, stateDir);
      await up.ready;
    });

    after(() => up?.stop());

    it("refuses `sandbox up` without a program: the installed package ships none, and the message says what to pass", function () {
      const refused = spawnSync(process.execPath, [bin(), "sandbox", "up"], { cwd: program, encoding: "utf8", env: { ...process.env, SFN_LAB_SANDBOX_DIR: path.join(work, "refused-state") } });
      assert.equal(refused.status, 1, `${refused.stdout}${refused.stderr}`);
      assert.match(refused.stderr, /This installed package has no program of its own to deploy: pass --program DIR .*, or start `sandbox up --empty`/);
    });

    it("starts with nothing deployed, and boto3 with the printed environment creates a role and a machine and runs it to SUCCEEDED", function () {
      assert.match(up!.output, /Nothing deployed \(--empty\)/);
      const connection = JSON.parse(fs.readFileSync(path.join(stateDir, "sandbox.json"), "utf8")) as SandboxConnection;
      assert.equal(connection.program, undefined, "an empty sandbox names no program for cost to evaluate");
      const script = [
        "import boto3, json, time",
        "iam, sfn = boto3.client('iam'), boto3.client('stepfunctions')",
        "trust = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'Service': 'states.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]}",
        "role = iam.create_role(RoleName='raw', AssumeRolePolicyDocument=json.dumps(trust))['Role']['Arn']",
        "definition = {'StartAt': 'Hello', 'States': {'Hello': {'Type': 'Pass', 'Parameters': {'greeting.$': \"States.Format('hello {}', $.name)\"}, 'End': True}}}",
        "arn = sfn.create_state_machine(name='raw-hello', definition=json.dumps(definition), roleArn=role)['stateMachineArn']",
        "run = sfn.start_execution(stateMachineArn=arn, input=json.dumps({'name': 'Ada'}))['executionArn']",
        "while sfn.describe_execution(executionArn=run)['status'] == 'RUNNING': time.sleep(0.1)",
        "done = sfn.describe_execution(executionArn=run)",
        "print(done['status'], done['output'])",
      ].join("\n");
      const home = fs.mkdtempSync(path.join(os.tmpdir(), "empty-boto3-"));
      const env = { PATH: process.env.PATH ?? "", HOME: home, AWS_CONFIG_FILE: path.join(home, "config"), AWS_SHARED_CREDENTIALS_FILE: path.join(home, "credentials"), ...clientEnvironment(connection) };
      const result = spawnSync("python3", ["-c", script], { encoding: "utf8", env });
      fs.rmSync(home, { recursive: true, force: true });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout.trim(), 'SUCCEEDED {"greeting":"hello Ada"}');
    });
  });

  /**
   * A plain JavaScript program imports the components by package name from this repository
   * (`sfn-integration-patterns/components`, resolved through package.json "exports" to the compiled dist/
   * that the pack above built).
   */
  it("a JavaScript program in this repository imports the compiled components by package name", async function () {
    const model = await loadProgramModel({ programDir: path.join(__dirname, "fixtures", "js-consumer"), stack: "test" });
    const fn = model.resources.filter((r) => r.type === "aws:lambda/function:Function");
    assert.deepEqual(fn.map((f) => f.name).sort(), ["consumer-check-file", "consumer-validate-output"]);
    const code = (fn[0].inputs.code as { assets: Record<string, { text: string }> }).assets["index.js"].text;
    assert.ok(code.length > 10_000, "the handler is bundled with its dependencies");
    const machine = model.resources.find((r) => r.type === "aws:sfn/stateMachine:StateMachine")!;
    assert.equal(JSON.parse(String(machine.inputs.definition)).States.WaitForOperator.Resource, "arn:aws:states:::lambda:invoke.waitForTaskToken");
    const job = model.resources.find((r) => r.type === "aws:glue/job:Job")!;
    assert.deepEqual(JSON.parse((job.inputs.defaultArguments as Record<string, string>)["--filter"]), { column: "region", operator: "eq", value: "EU" });
    assert.equal(model.outputs.jobName, job.state.name);
  });
});
