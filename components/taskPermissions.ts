import * as pulumi from "@pulumi/pulumi";
import { ArnContext, PolicyStatement } from "./iam";

/** The parts of an analysed Task that decide what its state machine's role needs. */
export interface TaskForPermissions {
  /** Path of the state, e.g. `Fan out > Branch 1 > StartEtl`. */
  readonly path: string;
  readonly resource: {
    readonly raw: string;
    readonly kind: string;
    readonly service?: string;
    readonly action?: string;
    readonly pattern: string;
  };
  /** Parameters (JSONPath) or Arguments (JSONata), as written. */
  readonly parameters?: unknown;
}

/** Reads a literal (or an input resolved through `lookup`) parameter of a task. */
export type ParameterLookup = (value: unknown) => pulumi.Input<string> | undefined;

export class UnsupportedTaskPermissionsError extends Error {
  constructor(task: TaskForPermissions, why: string) {
    super(
      `Cannot derive IAM permissions for state "${task.path}" (Resource ${task.resource.raw}): ${why}. ` +
        `Grant them yourself with the "additionalStatements" argument.`,
    );
    this.name = "UnsupportedTaskPermissionsError";
  }
}

/** Actions Step Functions performs for an optimized Glue job task, as AWS CDK grants them. */
const GLUE_JOB_ACTIONS: Record<string, readonly string[]> = {
  "request-response": ["glue:StartJobRun"],
  sync: ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"],
};

function parameter(task: TaskForPermissions, key: string, lookup: ParameterLookup): pulumi.Input<string> {
  const params = (task.parameters ?? {}) as Record<string, unknown>;
  if (`${key}.$` in params || (typeof params[key] === "string" && (params[key] as string).startsWith("{%"))) {
    throw new UnsupportedTaskPermissionsError(task, `${key} is computed at run time, so its ARN cannot be scoped`);
  }
  const value = params[key];
  const resolved = lookup(value) ?? (typeof value === "string" ? value : undefined);
  if (resolved === undefined) throw new UnsupportedTaskPermissionsError(task, `Parameters has no ${key}`);
  return resolved;
}

function functionArn(name: pulumi.Input<string>, ctx: ArnContext): pulumi.Output<string> {
  return pulumi
    .all([name, ctx.partition, ctx.region, ctx.accountId])
    .apply(([n, p, r, a]) => (n.startsWith("arn:") ? n : `arn:${p}:lambda:${r}:${a}:function:${n}`));
}

/** What the tables grant, and the tasks they have no grant for (each with the reason). */
export interface DerivedPermissions {
  readonly statements: PolicyStatement[];
  readonly unsupported: UnsupportedTaskPermissionsError[];
}

/** One task's least-privilege statement, or an UnsupportedTaskPermissionsError when there is no table for it. */
function taskStatement(task: TaskForPermissions, ctx: ArnContext, lookup: ParameterLookup): PolicyStatement {
  const { kind, service, action, pattern } = task.resource;
  if (kind === "lambda-function") {
    return { Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [task.resource.raw] };
  }
  if (kind === "optimized" && service === "lambda" && action === "invoke") {
    const arn = functionArn(parameter(task, "FunctionName", lookup), ctx);
    // Versions and aliases of the same function, as AWS CDK grants.
    return { Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [arn, pulumi.interpolate`${arn}:*`] };
  }
  if (service === "glue" && (kind === "optimized" || kind === "sdk")) {
    const jobName = parameter(task, "JobName", lookup);
    const jobArn = pulumi.interpolate`arn:${ctx.partition}:glue:${ctx.region}:${ctx.accountId}:job/${jobName}`;
    const actions =
      kind === "optimized" ? GLUE_JOB_ACTIONS[pattern] : action ? [`glue:${action[0].toUpperCase()}${action.slice(1)}`] : undefined;
    if (!actions) throw new UnsupportedTaskPermissionsError(task, `pattern ${pattern} is not supported for Glue`);
    return { Effect: "Allow", Action: actions, Resource: [jobArn] };
  }
  throw new UnsupportedTaskPermissionsError(task, `no permission table for ${kind} ${service ?? ""}:${action ?? ""}`);
}

/**
 * Least-privilege statements for the Tasks of a definition: each action on exactly the resources named.
 * Tasks without a table are listed, not granted broadly: the caller grants them or refuses the definition.
 */
export function derivePermissions(tasks: readonly TaskForPermissions[], ctx: ArnContext, lookup: ParameterLookup): DerivedPermissions {
  const statements: PolicyStatement[] = [];
  const unsupported: UnsupportedTaskPermissionsError[] = [];
  for (const task of tasks) {
    try {
      statements.push(taskStatement(task, ctx, lookup));
    } catch (err) {
      if (!(err instanceof UnsupportedTaskPermissionsError)) throw err;
      unsupported.push(err);
    }
  }
  return { statements: mergeStatements(statements), unsupported };
}

/** Folds statements with the same actions into one, so a role lists each grant once. */
function mergeStatements(statements: PolicyStatement[]): PolicyStatement[] {
  const byActions = new Map<string, PolicyStatement>();
  for (const s of statements) {
    const key = [...s.Action].sort().join(",");
    const existing = byActions.get(key);
    byActions.set(key, existing ? { ...existing, Resource: [...existing.Resource, ...s.Resource] } : s);
  }
  return [...byActions.values()];
}
