import * as pulumi from "@pulumi/pulumi";
import { integrationOf, type IamStatementTemplate, type Template } from "../integrations";
import type { IntegrationPattern } from "../policy/analysis/types";
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

const PLACEHOLDER = /\$\{([A-Za-z]+)(\.last)?\}/g;
const apiName = (action: string) => action.charAt(0).toUpperCase() + action.slice(1);

/** The names a template's placeholders use, each once. */
function placeholderNames(template: Template): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/** A template with every placeholder's value given. */
function substitute(template: Template, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_, name: string, last?: string) => (last ? lastPart(values[name]) : values[name]));
}

/** Fills a registry template in: the ARN context, the Task's Resource and action, and its request members. */
class TemplateFiller {
  constructor(
    private readonly task: TaskForPermissions,
    private readonly ctx: ArnContext,
    private readonly lookup: ParameterLookup,
    private readonly nameOrArn: Readonly<Record<string, Template>>,
  ) {}

  /** A placeholder's value: known now (a string) or when deployed (an Input). */
  private value(name: string): pulumi.Input<string> {
    switch (name) {
      case "Partition":
        return this.ctx.partition;
      case "Region":
        return this.ctx.region;
      case "Account":
        return this.ctx.accountId;
      case "Resource":
        return this.task.resource.raw;
      case "Action":
        return apiName(this.task.resource.action ?? "");
    }
    const given = parameter(this.task, name, this.lookup);
    const arnTemplate = this.nameOrArn[name];
    if (!arnTemplate) return given;
    // A name is put into the module's ARN template; an ARN is used as it is.
    const others = placeholderNames(arnTemplate).filter((n) => n !== name);
    return pulumi.all([given, ...others.map((n) => this.value(n))]).apply(([v, ...rest]) =>
      v.startsWith("arn:") ? v : substitute(arnTemplate, { ...Object.fromEntries(others.map((n, i) => [n, rest[i]])), [name]: v }),
    );
  }

  fill(template: Template): pulumi.Input<string> {
    const names = placeholderNames(template);
    if (names.length === 0) return template;
    return pulumi.all(names.map((n) => this.value(n))).apply((values) => substitute(template, Object.fromEntries(names.map((n, i) => [n, values[i]]))));
  }

  /** IAM actions: their only placeholder is `${Action}` (`glue:${Action}`), known now. */
  fillAction(template: Template): string {
    const names = placeholderNames(template);
    if (names.some((n) => n !== "Action")) throw new Error(`IAM action template ${template} may only use \${Action}`);
    return substitute(template, { Action: apiName(this.task.resource.action ?? "") });
  }
}

/** The last `:`-separated part of an ARN: a state machine's name in its ARN. */
function lastPart(arn: string): string {
  return arn.slice(arn.lastIndexOf(":") + 1);
}

/** What the tables grant, and the tasks they have no grant for (each with the reason). */
export interface DerivedPermissions {
  readonly statements: PolicyStatement[];
  readonly unsupported: UnsupportedTaskPermissionsError[];
}

/** One task's least-privilege statements, from its registry module; UnsupportedTaskPermissionsError when it has none. */
function taskStatements(task: TaskForPermissions, ctx: ArnContext, lookup: ParameterLookup): PolicyStatement[] {
  const { kind, service, action, pattern } = task.resource;
  const entry = integrationOf(task.resource);
  const templates: readonly IamStatementTemplate[] | undefined = entry?.support.iam?.[pattern as IntegrationPattern];
  if (!entry || !templates) {
    const suffix = pattern === "request-response" ? "" : `.${pattern}`;
    throw new UnsupportedTaskPermissionsError(task, `no permission table for ${kind} ${service ?? ""}:${action ?? ""}${suffix}`);
  }
  const filler = new TemplateFiller(task, ctx, lookup, entry.support.nameOrArn ?? {});
  return templates.map((t) => ({ Effect: "Allow", Action: t.actions.map((a) => filler.fillAction(a)), Resource: t.resources.map((r) => filler.fill(r)) }));
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
      statements.push(...taskStatements(task, ctx, lookup));
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
