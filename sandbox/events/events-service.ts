import { randomUUID } from "node:crypto";
import { appendFileSync, mkdirSync } from "node:fs";
import * as path from "node:path";
import { AwsServiceError } from "../aws-error";
import { pageOf } from "../endpoints/paging";
import type { Authorizer, RequestContext } from "../iam/authorizer";
import type { Principal } from "../iam/principals";
import { compileEventPattern, type EventPatternMatcher } from "./event-pattern";
import { DEFAULT_EVENT_BUS, type EventRuleView, type EventTargetView } from "./events-view";

/** An event as EventBridge delivers it to targets ("Amazon EventBridge events", event structure). */
export interface BusEvent {
  readonly version: "0";
  readonly id: string;
  readonly "detail-type": string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

/** What the sandbox did with one matched event for one target: visible for tests and operators. */
export interface EventDelivery {
  readonly eventId: string;
  readonly source: string;
  readonly detailType: string;
  readonly ruleName: string;
  readonly ruleArn: string;
  readonly targetId: string;
  readonly targetArn: string;
  readonly deliveredAt: string;
  /** SUCCEEDED: the function ran and returned; FAILED: the invocation was refused or the function failed. */
  readonly status: "SUCCEEDED" | "FAILED";
  readonly error?: string;
}

/** What EventBridge asks of Lambda: invoke a function asynchronously, as the service principal. */
export type FunctionInvoker = (caller: Principal, functionArn: string, event: unknown, context: RequestContext) => Promise<{ functionError?: string; payload: unknown }>;

export interface EventsServiceOptions {
  readonly region: string;
  readonly accountId: string;
  /** Each delivery is appended here as one JSON line. */
  readonly deliveryLog: string;
  readonly invokeFunction: FunctionInvoker;
}

interface Rule {
  readonly name: string;
  readonly eventBusName: string;
  eventPattern?: string;
  matcher?: EventPatternMatcher;
  state: "ENABLED" | "DISABLED";
  description?: string;
  roleArn?: string;
  readonly targets: Map<string, Target>;
}

interface Target {
  readonly Id: string;
  readonly Arn: string;
  readonly RoleArn?: string;
  readonly Input?: string;
}

/** Model shapes RuleName and TargetId: 1..64 of [.\-_A-Za-z0-9]. */
const NAME_PATTERN = /^[.\-_A-Za-z0-9]{1,64}$/;
/** "Targets per rule: 5" (EventBridge quotas). */
const MAX_TARGETS_PER_RULE = 5;
/** Model shape PutEventsRequestEntryList: 1..10 entries; PutEvents' total size limit is 256 KB. */
const MAX_PUT_EVENTS_ENTRIES = 10;
const MAX_PUT_EVENTS_BYTES = 256 * 1024;
/** The service principal EventBridge invokes targets as, which function policies name. */
export const EVENTS_SERVICE_PRINCIPAL = "events.amazonaws.com";
/** Target fields of the PutTargets model that the sandbox does not emulate. */
const UNSUPPORTED_TARGET_FIELDS = [
  "InputPath",
  "InputTransformer",
  "KinesisParameters",
  "RunCommandParameters",
  "EcsParameters",
  "BatchParameters",
  "SqsParameters",
  "HttpParameters",
  "RedshiftDataParameters",
  "SageMakerPipelineParameters",
  "AppSyncParameters",
];
const LAMBDA_ARN = /^arn:aws[\w-]*:lambda:[^:]+:\d{12}:function:[^:]+(?::[^:]+)?$/;

/**
 * EventBridge: the default event bus, its rules (event patterns matched with EventBridge's semantics) and
 * their targets. PutEvents and service events (Glue's state changes) are matched against every enabled
 * rule; each matching rule's targets are invoked asynchronously as events.amazonaws.com, which a Lambda
 * function allows through its resource-based policy (aws.lambda.Permission with the rule's ARN as
 * SourceArn). Each delivery is recorded (deliveries(), and a JSON line in the delivery log). Not emulated,
 * and refused where a program asks for it: other event buses, schedule expressions, target types other
 * than Lambda, input paths and transformers. EventBridge's and Lambda's retries of a failed asynchronous
 * invocation are not emulated either: a failed delivery is recorded once, as FAILED.
 */
export class EventsService {
  private readonly rules = new Map<string, Rule>();
  private readonly delivered: EventDelivery[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly servicePrincipal: Principal = { arn: EVENTS_SERVICE_PRINCIPAL, kind: "service" };

  constructor(
    private readonly modelRules: readonly EventRuleView[],
    private readonly modelTargets: readonly EventTargetView[],
    private readonly options: EventsServiceOptions,
    private readonly authorizer: Authorizer,
  ) {
    mkdirSync(path.dirname(options.deliveryLog), { recursive: true });
    this.deploy();
  }

  /** Back to the program's rules and targets, with no deliveries (after the ones under way have ended). */
  async reset(): Promise<void> {
    await this.settled();
    this.delivered.length = 0;
    this.rules.clear();
    this.deploy();
  }

  /** The program's rules and targets, each checked for what the sandbox emulates. */
  private deploy(): void {
    const rules = this.modelRules;
    const targets = this.modelTargets;
    for (const view of rules) {
      const where = `aws:cloudwatch/eventRule:EventRule "${view.logicalName}"`;
      if (view.eventBusName !== DEFAULT_EVENT_BUS) throw new Error(`${where}: event bus ${view.eventBusName} is not emulated; the sandbox has the default bus only`);
      if (view.eventPattern === undefined) throw new Error(`${where}: schedule expressions (${view.scheduleExpression}) are not emulated; the sandbox matches event patterns only`);
      this.rules.set(view.name, {
        name: view.name,
        eventBusName: view.eventBusName,
        eventPattern: view.eventPattern,
        matcher: compileForModel(view.eventPattern, where),
        state: view.state,
        description: view.description,
        roleArn: view.roleArn,
        targets: new Map(),
      });
    }
    for (const view of targets) {
      const where = `aws:cloudwatch/eventTarget:EventTarget "${view.logicalName}"`;
      const rule = this.rules.get(view.rule);
      if (!rule) throw new Error(`${where}: its rule ${view.rule} is not a rule of the program`);
      if (view.unsupported.length > 0) throw new Error(`${where}: ${view.unsupported.join(", ")} not emulated; the sandbox delivers the event, or the target's constant input`);
      if (!LAMBDA_ARN.test(view.arn)) throw new Error(`${where}: target ${view.arn} is not emulated; the sandbox delivers to Lambda functions only`);
      rule.targets.set(view.targetId, { Id: view.targetId, Arn: view.arn, ...(view.roleArn ? { RoleArn: view.roleArn } : {}), ...(view.input ? { Input: view.input } : {}) });
    }
  }

  /** arn:aws:events:<region>:<account>:rule/<name> on the default bus. */
  ruleArn(name: string): string {
    return `arn:aws:events:${this.options.region}:${this.options.accountId}:rule/${name}`;
  }

  busArn(name = DEFAULT_EVENT_BUS): string {
    return `arn:aws:events:${this.options.region}:${this.options.accountId}:event-bus/${name}`;
  }

  async putRule(caller: Principal, request: { Name: string; EventPattern?: string; ScheduleExpression?: string; State?: string; Description?: string; RoleArn?: string; EventBusName?: string }) {
    const name = checkName(request.Name, "name");
    this.bus(request.EventBusName);
    await this.authorize(caller, "events:PutRule", this.ruleArn(name));
    if (request.ScheduleExpression !== undefined) throw new AwsServiceError("ValidationException", "ScheduleExpression is not emulated by the sandbox; give an EventPattern");
    if (request.EventPattern === undefined) throw new AwsServiceError("ValidationException", "Parameter(s) EventPattern or ScheduleExpression must be specified.");
    const state = request.State ?? "ENABLED";
    if (state !== "ENABLED" && state !== "DISABLED") {
      throw new AwsServiceError("ValidationException", `1 validation error detected: Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`);
    }
    const matcher = compileEventPattern(request.EventPattern);
    const existing = this.rules.get(name);
    const rule: Rule = existing ?? { name, eventBusName: DEFAULT_EVENT_BUS, state, targets: new Map() };
    Object.assign(rule, { eventPattern: request.EventPattern, matcher, state, description: request.Description, roleArn: request.RoleArn });
    this.rules.set(name, rule);
    return { RuleArn: this.ruleArn(name) };
  }

  async describeRule(caller: Principal, name: string, eventBusName?: string) {
    this.bus(eventBusName);
    await this.authorize(caller, "events:DescribeRule", this.ruleArn(name));
    return { ...describe(this.rule(name), this.ruleArn(name)), CreatedBy: this.options.accountId };
  }

  /** ListRules has no resource type (Service Authorization Reference): authorized on "*". */
  async listRules(caller: Principal, request: { NamePrefix?: string; EventBusName?: string; Limit?: number; NextToken?: string }) {
    this.bus(request.EventBusName);
    await this.authorize(caller, "events:ListRules", "*");
    const rules = [...this.rules.values()].filter((r) => r.name.startsWith(request.NamePrefix ?? "")).sort((a, b) => (a.name < b.name ? -1 : 1));
    const { items, nextToken } = pageOf(rules, { size: request.Limit, defaultSize: 100, nextToken: request.NextToken, scope: `ListRules ${request.NamePrefix ?? ""}`, invalidToken });
    return { Rules: items.map((r) => describe(r, this.ruleArn(r.name))), ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  /** Deleting a rule that does not exist succeeds; one with targets is refused, as EventBridge does. */
  async deleteRule(caller: Principal, name: string, eventBusName?: string) {
    this.bus(eventBusName);
    await this.authorize(caller, "events:DeleteRule", this.ruleArn(name));
    const rule = this.rules.get(name);
    if (!rule) return {};
    if (rule.targets.size > 0) throw new AwsServiceError("ValidationException", "Rule can't be deleted since it has targets.");
    this.rules.delete(name);
    return {};
  }

  async putTargets(caller: Principal, ruleName: string, targets: readonly Record<string, unknown>[], eventBusName?: string) {
    this.bus(eventBusName);
    await this.authorize(caller, "events:PutTargets", this.ruleArn(ruleName));
    const rule = this.rule(ruleName);
    const parsed = targets.map((t, i) => parseTarget(t, i));
    const ids = new Set([...rule.targets.keys(), ...parsed.map((t) => t.Id)]);
    if (ids.size > MAX_TARGETS_PER_RULE) throw new AwsServiceError("LimitExceededException", `The requested resource exceeds the maximum number allowed (${MAX_TARGETS_PER_RULE} targets per rule).`);
    for (const target of parsed) rule.targets.set(target.Id, target);
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  async removeTargets(caller: Principal, ruleName: string, ids: readonly string[], eventBusName?: string) {
    this.bus(eventBusName);
    await this.authorize(caller, "events:RemoveTargets", this.ruleArn(ruleName));
    const rule = this.rule(ruleName);
    for (const id of ids) rule.targets.delete(id);
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  async listTargetsByRule(caller: Principal, request: { Rule: string; EventBusName?: string; Limit?: number; NextToken?: string }) {
    this.bus(request.EventBusName);
    await this.authorize(caller, "events:ListTargetsByRule", this.ruleArn(request.Rule));
    const rule = this.rule(request.Rule);
    const { items, nextToken } = pageOf([...rule.targets.values()], { size: request.Limit, defaultSize: 100, nextToken: request.NextToken, scope: `ListTargetsByRule ${rule.name}`, invalidToken });
    return { Targets: items, ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  /**
   * PutEvents: each entry is checked on its own (an entry's failure is reported in Entries, not thrown),
   * authorized as events:PutEvents on its bus; a valid entry gets an EventId and is matched against the
   * bus's rules. Sources starting "aws." belong to AWS services: NotAuthorizedForSourceException.
   */
  async putEvents(caller: Principal, entries: readonly Record<string, unknown>[]) {
    if (entries.length < 1 || entries.length > MAX_PUT_EVENTS_ENTRIES) {
      throw new AwsServiceError("ValidationException", `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_PUT_EVENTS_ENTRIES}`);
    }
    if (Buffer.byteLength(JSON.stringify(entries)) > MAX_PUT_EVENTS_BYTES) throw new AwsServiceError("ValidationException", "Total size of the entries in the request is over the limit.");
    const results: ({ EventId: string } | { ErrorCode: string; ErrorMessage: string })[] = [];
    for (const entry of entries) {
      const busName = typeof entry.EventBusName === "string" ? busNameOf(entry.EventBusName) : DEFAULT_EVENT_BUS;
      if (busName !== DEFAULT_EVENT_BUS) {
        results.push({ ErrorCode: "ResourceNotFoundException", ErrorMessage: `Event bus ${busName} does not exist.` });
        continue;
      }
      await this.authorize(caller, "events:PutEvents", this.busArn(busName));
      const problem = entryProblem(entry);
      if (problem) {
        results.push(problem);
        continue;
      }
      const event = this.event(entry.Source as string, entry.DetailType as string, JSON.parse(entry.Detail as string) as Record<string, unknown>, entry.Resources as string[] | undefined, entry.Time);
      results.push({ EventId: event.id });
      this.route(event);
    }
    return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
  }

  /** TestEventPattern has no resource type: authorized on "*". The event needs the fields every event has. */
  async testEventPattern(caller: Principal, pattern: string, eventText: string) {
    await this.authorize(caller, "events:TestEventPattern", "*");
    const matcher = compileEventPattern(pattern);
    let event: unknown;
    try {
      event = JSON.parse(eventText);
    } catch {
      throw new AwsServiceError("InvalidEventPatternException", "Parameter Event is not valid. Reason: it is not JSON.");
    }
    const missing = ["id", "account", "source", "time", "region", "detail-type"].filter((f) => typeof (event as Record<string, unknown> | null)?.[f] !== "string");
    if (missing.length > 0) throw new AwsServiceError("InvalidEventPatternException", `Parameter Event is not valid. Reason: it lacks ${missing.join(", ")}.`);
    return { Result: matcher(event) };
  }

  /** An AWS service's event (e.g. Glue's "Glue Job State Change") on the default bus. */
  emit(source: string, detailType: string, detail: Record<string, unknown>, resources: readonly string[] = []): BusEvent {
    const event = this.event(source, detailType, detail, [...resources]);
    this.route(event);
    return event;
  }

  /** Every delivery so far, oldest first. */
  deliveries(): EventDelivery[] {
    return [...this.delivered];
  }

  /** Resolves when every delivery started so far has ended. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private event(source: string, detailType: string, detail: Record<string, unknown>, resources: string[] | undefined, time?: unknown): BusEvent {
    const at = time instanceof Date ? time : typeof time === "number" ? new Date(time * 1000) : new Date();
    return {
      version: "0",
      id: randomUUID(),
      "detail-type": detailType,
      source,
      account: this.options.accountId,
      // Events carry their time to the second ("2017-12-22T18:43:48Z").
      time: at.toISOString().replace(/\.\d{3}Z$/, "Z"),
      region: this.options.region,
      resources: resources ?? [],
      detail,
    };
  }

  /** Every enabled rule whose pattern matches sends the event to each of its targets. */
  private route(event: BusEvent): void {
    for (const rule of this.rules.values()) {
      if (rule.state !== "ENABLED" || !rule.matcher?.(event)) continue;
      for (const target of rule.targets.values()) {
        const delivery = this.deliver(event, rule, target);
        this.pending.add(delivery);
        void delivery.finally(() => this.pending.delete(delivery));
      }
    }
  }

  private async deliver(event: BusEvent, rule: Rule, target: Target): Promise<void> {
    const ruleArn = this.ruleArn(rule.name);
    let status: EventDelivery["status"] = "SUCCEEDED";
    let error: string | undefined;
    try {
      const payload = target.Input !== undefined ? (JSON.parse(target.Input) as unknown) : event;
      // The function's resource-based policy must allow events.amazonaws.com from this rule.
      const result = await this.options.invokeFunction(this.servicePrincipal, target.Arn, payload, { "aws:SourceArn": ruleArn, "aws:SourceAccount": this.options.accountId });
      if (result.functionError) {
        status = "FAILED";
        const p = result.payload as { errorType?: string; errorMessage?: string } | null;
        error = `${p?.errorType ?? "Error"}: ${p?.errorMessage ?? ""}`;
      }
    } catch (e) {
      status = "FAILED";
      error = `${(e as Error).name}: ${(e as Error).message}`;
    }
    const record: EventDelivery = {
      eventId: event.id,
      source: event.source,
      detailType: event["detail-type"],
      ruleName: rule.name,
      ruleArn,
      targetId: target.Id,
      targetArn: target.Arn,
      deliveredAt: new Date().toISOString(),
      status,
      ...(error !== undefined ? { error } : {}),
    };
    this.delivered.push(record);
    try {
      appendFileSync(this.options.deliveryLog, `${JSON.stringify(record)}\n`);
    } catch (e) {
      // The sandbox's folder may be gone once it stopped; the record stays in deliveries().
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }

  private rule(name: string): Rule {
    const rule = this.rules.get(name);
    if (!rule) throw new AwsServiceError("ResourceNotFoundException", `Rule ${name} does not exist on EventBus ${DEFAULT_EVENT_BUS}.`);
    return rule;
  }

  /** The sandbox has the default bus only, named by name or ARN. */
  private bus(reference: string | undefined): void {
    const name = reference === undefined ? DEFAULT_EVENT_BUS : busNameOf(reference);
    if (name !== DEFAULT_EVENT_BUS) throw new AwsServiceError("ResourceNotFoundException", `Event bus ${name} does not exist.`);
  }

  private authorize(caller: Principal, action: string, resourceArn: string): Promise<void> {
    return this.authorizer.authorize({ principal: caller, action, resourceArn });
  }
}

function compileForModel(pattern: string, where: string): EventPatternMatcher {
  try {
    return compileEventPattern(pattern);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
}

function busNameOf(reference: string): string {
  const arn = /^arn:aws[\w-]*:events:[^:]+:\d{12}:event-bus\/(.+)$/.exec(reference);
  return arn ? arn[1] : reference;
}

function checkName(name: string, field: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw new AwsServiceError("ValidationException", `1 validation error detected: Value '${name}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`);
  }
  return name;
}

function parseTarget(raw: Record<string, unknown>, index: number): Target {
  const id = typeof raw.Id === "string" ? checkName(raw.Id, `targets.${index + 1}.member.id`) : undefined;
  const arn = typeof raw.Arn === "string" && raw.Arn !== "" ? raw.Arn : undefined;
  if (!id || !arn) throw new AwsServiceError("ValidationException", `1 validation error detected: Value at 'targets.${index + 1}.member.${id ? "arn" : "id"}' failed to satisfy constraint: Member must not be null`);
  const unsupported = UNSUPPORTED_TARGET_FIELDS.filter((f) => raw[f] !== undefined && raw[f] !== null);
  if (unsupported.length > 0) throw new AwsServiceError("ValidationException", `Target ${id}: ${unsupported.join(", ")} not emulated by the sandbox`);
  if (!LAMBDA_ARN.test(arn)) throw new AwsServiceError("ValidationException", `Target ${id}: ${arn} is not emulated by the sandbox, which delivers to Lambda functions only`);
  if (raw.Input !== undefined) {
    if (typeof raw.Input !== "string") throw new AwsServiceError("ValidationException", `Target ${id}: Input must be a string of JSON`);
    try {
      JSON.parse(raw.Input);
    } catch {
      throw new AwsServiceError("ValidationException", `Target ${id}: Input is not valid JSON`);
    }
  }
  return { Id: id, Arn: arn, ...(typeof raw.RoleArn === "string" ? { RoleArn: raw.RoleArn } : {}), ...(typeof raw.Input === "string" ? { Input: raw.Input } : {}) };
}

/** Why a PutEvents entry is refused (InvalidArgument, as EventBridge reports it per entry), or undefined. */
function entryProblem(entry: Record<string, unknown>): { ErrorCode: string; ErrorMessage: string } | undefined {
  for (const field of ["Source", "DetailType", "Detail"]) {
    if (typeof entry[field] !== "string" || entry[field] === "") {
      return { ErrorCode: "InvalidArgument", ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
    }
  }
  if ((entry.Source as string).startsWith("aws.")) return { ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "Not authorized for the source." };
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
  }
  if (typeof detail !== "object" || detail === null || Array.isArray(detail)) return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
  if (entry.Resources !== undefined && (!Array.isArray(entry.Resources) || entry.Resources.some((r) => typeof r !== "string"))) {
    return { ErrorCode: "InvalidArgument", ErrorMessage: "Parameter Resources is not valid. Reason: Resources must be a list of strings." };
  }
  return undefined;
}

function describe(rule: Rule, arn: string) {
  return {
    Name: rule.name,
    Arn: arn,
    ...(rule.eventPattern !== undefined ? { EventPattern: rule.eventPattern } : {}),
    State: rule.state,
    ...(rule.description !== undefined ? { Description: rule.description } : {}),
    ...(rule.roleArn !== undefined ? { RoleArn: rule.roleArn } : {}),
    EventBusName: rule.eventBusName,
  };
}

function invalidToken(token: string): AwsServiceError {
  return new AwsServiceError("ValidationException", `The nextToken provided is invalid: ${token.slice(0, 100)}`);
}
