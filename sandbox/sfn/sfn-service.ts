import { StateMachine } from "aws-local-stepfunctions";
import { randomBytes, randomUUID } from "node:crypto";
import { isObject, walkDefinition, type JsonObject } from "../../policy/analysis/walk";
import { AwsServiceError } from "../aws-error";
import { pageOf } from "../endpoints/paging";
import type { Authorizer } from "../iam/authorizer";
import type { Principal, PrincipalDirectory } from "../iam/principals";
import type { StateMachineLogging, StateMachineView } from "../model-view";
import { scaleDefinitionTiming } from "./definition-timing";
import { Execution, type ExecutionStatus, type RunnableStateMachine, type StateInfo } from "./execution";
import { checkExecutionName } from "./execution-name";
import { withoutExecutionData, type HistoryEvent } from "./history";
import { expressViolations, unrunnableMessage, unrunnableTasks, type IntegrationServices } from "./integrations";
import { parseTaskResource } from "./task-resource";
import { unsupportedConstructs, unsupportedMessage, usesVariables } from "./unsupported";
import { JsonataInterpreter } from "./jsonata/interpreter";
import { jsonataDefinitionErrors } from "./jsonata/validate";
import type { ValidatedDefinitions } from "./validated-definitions";
import { validateStateMachineDefinition, type ValidationAnswer } from "./validate-definition";
import { checkDefinitionSize, checkRoleArn, checkStateMachineName, loggingConfigurationOf, tagsOf, tracingConfigurationOf } from "./state-machine-requests";

interface DeployedStateMachine extends RunnableStateMachine {
  readonly view: StateMachineView;
  readonly creationDate: Date;
}

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  inputDetails: { included: true };
  output?: string;
  outputDetails?: { included: true };
  error?: string;
  cause?: string;
  redriveCount: 0;
  redriveStatus: "NOT_REDRIVABLE";
}

export type ExecutionListItem = Pick<ExecutionDescription, "executionArn" | "stateMachineArn" | "name" | "status" | "startDate" | "stopDate">;

/** GetExecutionHistory, ListExecutions and ListStateMachines: "The default is 100" (maxResults, API reference). */
const DEFAULT_PAGE_SIZE = 100;
/** ListExecutions' statusFilter: any ExecutionStatus; PENDING_REDRIVE matches nothing here (no redrives). */
export type StatusFilter = ExecutionStatus | "PENDING_REDRIVE";
const MAX_INPUT_BYTES = 256 * 1024;

export class DefinitionError extends Error {
  override readonly name = "DefinitionError";
}

/**
 * Step Functions: the model's state machines, deployed as AWS would refuse or accept them (the definition
 * is validated), executed by the ASL interpreter with the sandbox's task handlers. Every API call is
 * authorized against the caller; the executions' own calls against the state machine's role.
 */
export class StepFunctionsService {
  private readonly machines = new Map<string, DeployedStateMachine>();
  private readonly executions = new Map<string, Execution>();
  /**
   * Deleted machines, with their executions: still described (DescribeExecution, history) and still in their log
   * group, but no longer listed, and their names free for a new machine and its executions.
   */
  private readonly deleted: { machine: DeployedStateMachine; executions: Map<string, Execution> }[] = [];

  constructor(
    views: readonly StateMachineView[],
    private readonly options: {
      readonly region: string;
      readonly accountId: string;
      readonly timeScale: number;
      readonly validatedDefinitions?: ValidatedDefinitions;
      /** Whether states.amazonaws.com may assume a role (IAM): CreateStateMachine and UpdateStateMachine check it. */
      readonly stepFunctionsMayAssume?: (roleArn: string) => boolean;
    },
    private readonly integrations: IntegrationServices,
    private readonly principals: PrincipalDirectory,
    private readonly authorizer: Authorizer,
  ) {
    for (const view of views) this.machines.set(view.arn, deploy(view, options.timeScale, options.validatedDefinitions));
  }

  async startExecution(caller: Principal, request: { stateMachineArn: string; name?: string; input?: string }): Promise<{ executionArn: string; startDate: Date }> {
    const machine = this.machine(request.stateMachineArn);
    await this.authorizer.authorize({ principal: caller, action: "states:StartExecution", resourceArn: machine.arn });
    const name = request.name ?? randomUUID();
    checkExecutionName(name);
    const input = request.input ?? "{}";
    if (Buffer.byteLength(input, "utf8") > MAX_INPUT_BYTES) {
      throw new AwsServiceError("InvalidExecutionInput", `Invalid Execution Input: the input is larger than ${MAX_INPUT_BYTES} bytes`);
    }
    try {
      JSON.parse(input);
    } catch (error) {
      throw new AwsServiceError("InvalidExecutionInput", `Invalid State Machine Execution Input: '${(error as Error).message}'`);
    }
    const executionArn = `arn:aws:states:${this.options.region}:${this.options.accountId}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // StartExecution is idempotent for STANDARD workflows: the same name and input as a running execution
      // returns that execution; closed, different input, or EXPRESS: ExecutionAlreadyExists (API reference).
      if (machine.view.type === "STANDARD" && existing.status === "RUNNING" && existing.input === input) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new AwsServiceError("ExecutionAlreadyExists", `Execution Already Exists: '${executionArn}'`);
    }
    // Step Functions assumes the machine's role once per execution, under a random session name.
    const session = randomBytes(16).toString("hex");
    const principal = this.principals.roleSession(machine.roleArn, session).principal;
    const execution = new Execution(machine, executionArn, name, input, principal, this.integrations);
    this.executions.set(executionArn, execution);
    execution.start();
    return { executionArn, startDate: execution.startDate };
  }

  async describeExecution(caller: Principal, executionArn: string): Promise<ExecutionDescription> {
    const execution = this.execution(executionArn);
    await this.authorizer.authorize({ principal: caller, action: "states:DescribeExecution", resourceArn: executionArn });
    return describe(execution);
  }

  async getExecutionHistory(
    caller: Principal,
    request: { executionArn: string; reverseOrder?: boolean; maxResults?: number; nextToken?: string; includeExecutionData?: boolean },
  ): Promise<{ events: HistoryEvent[]; nextToken?: string }> {
    const execution = this.execution(request.executionArn);
    await this.authorizer.authorize({ principal: caller, action: "states:GetExecutionHistory", resourceArn: request.executionArn });
    const events = [...execution.events()];
    if (request.reverseOrder) events.reverse();
    // includeExecutionData: "You can select whether execution data (input or output of a history event) is returned. The default is true."
    const shown = request.includeExecutionData === false ? events.map(withoutExecutionData) : events;
    const scope = `GetExecutionHistory ${request.executionArn} ${request.reverseOrder === true}`;
    const { items, nextToken } = pageOf(shown, { size: request.maxResults, defaultSize: DEFAULT_PAGE_SIZE, nextToken: request.nextToken, scope, invalidToken });
    return nextToken ? { events: items, nextToken } : { events: items };
  }

  async listExecutions(
    caller: Principal,
    request: { stateMachineArn: string; statusFilter?: StatusFilter; maxResults?: number; nextToken?: string },
  ): Promise<{ executions: ExecutionListItem[]; nextToken?: string }> {
    const machine = this.machine(request.stateMachineArn);
    await this.authorizer.authorize({ principal: caller, action: "states:ListExecutions", resourceArn: machine.arn });
    const items = [...this.executions.values()]
      .filter((e) => e.stateMachine.arn === machine.arn && (!request.statusFilter || e.status === request.statusFilter))
      .reverse() // newest first, as Step Functions lists them
      .map((e) => {
        const { executionArn, stateMachineArn, name, status, startDate, stopDate } = describe(e);
        return { executionArn, stateMachineArn, name, status, startDate, ...(stopDate ? { stopDate } : {}) };
      });
    const scope = `ListExecutions ${machine.arn} ${request.statusFilter ?? ""}`;
    const { items: executions, nextToken } = pageOf(items, { size: request.maxResults, defaultSize: DEFAULT_PAGE_SIZE, nextToken: request.nextToken, scope, invalidToken });
    return nextToken ? { executions, nextToken } : { executions };
  }

  async stopExecution(caller: Principal, request: { executionArn: string; error?: string; cause?: string }): Promise<{ stopDate: Date }> {
    const execution = this.execution(request.executionArn);
    await this.authorizer.authorize({ principal: caller, action: "states:StopExecution", resourceArn: request.executionArn });
    execution.stop(request.error, request.cause);
    await execution.finished;
    return { stopDate: execution.stopDate ?? new Date() };
  }

  async sendTaskSuccess(caller: Principal, taskToken: string, output: string): Promise<void> {
    await this.authorizer.authorize({ principal: caller, action: "states:SendTaskSuccess", resourceArn: "*" });
    this.integrations.tokens.succeed(taskToken, output);
  }

  async sendTaskFailure(caller: Principal, taskToken: string, error?: string, cause?: string): Promise<void> {
    await this.authorizer.authorize({ principal: caller, action: "states:SendTaskFailure", resourceArn: "*" });
    this.integrations.tokens.fail(taskToken, error, cause);
  }

  async sendTaskHeartbeat(caller: Principal, taskToken: string): Promise<void> {
    await this.authorizer.authorize({ principal: caller, action: "states:SendTaskHeartbeat", resourceArn: "*" });
    this.integrations.tokens.heartbeat(taskToken);
  }

  async listStateMachines(
    caller: Principal,
    request: { maxResults?: number; nextToken?: string } = {},
  ): Promise<{ stateMachines: { stateMachineArn: string; name: string; type: string; creationDate: Date }[]; nextToken?: string }> {
    await this.authorizer.authorize({ principal: caller, action: "states:ListStateMachines", resourceArn: "*" });
    const all = [...this.machines.values()].map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.view.type, creationDate: m.creationDate }));
    const { items, nextToken } = pageOf(all, { size: request.maxResults, defaultSize: DEFAULT_PAGE_SIZE, nextToken: request.nextToken, scope: "ListStateMachines", invalidToken });
    return nextToken ? { stateMachines: items, nextToken } : { stateMachines: items };
  }

  async describeStateMachine(caller: Principal, stateMachineArn: string): Promise<StateMachineDescription> {
    const machine = this.machine(stateMachineArn);
    await this.authorizer.authorize({ principal: caller, action: "states:DescribeStateMachine", resourceArn: machine.arn });
    return { ...configurationOf(machine), status: "ACTIVE", type: machine.view.type, creationDate: machine.creationDate };
  }

  /** The state machine an execution runs; `updateDate` is required by the model: the machine was never updated. */
  async describeStateMachineForExecution(caller: Principal, executionArn: string): Promise<StateMachineConfiguration & { updateDate: Date }> {
    const execution = this.execution(executionArn);
    await this.authorizer.authorize({ principal: caller, action: "states:DescribeStateMachineForExecution", resourceArn: executionArn });
    const machine = this.machine(execution.stateMachine.arn);
    return { ...configurationOf(machine), updateDate: machine.creationDate };
  }

  /** The tags the program gave a state machine (the taggable resource the sandbox has), as [{key, value}]. */
  async listTagsForResource(caller: Principal, resourceArn: string): Promise<{ tags: { key: string; value: string }[] }> {
    const machine = this.taggable(resourceArn);
    await this.authorizer.authorize({ principal: caller, action: "states:ListTagsForResource", resourceArn });
    return { tags: Object.entries(machine.view.tags).map(([key, value]) => ({ key, value })) };
  }

  /**
   * CreateStateMachine (API reference): the request is checked as AWS checks it (state-machine-requests.ts),
   * the definition as a program's machine is (deploy), and the machine runs as the program's do, on its role.
   * "CreateStateMachine is an idempotent API": the same name, definition, role, type and configurations return
   * the existing machine; any difference is StateMachineAlreadyExists.
   */
  async createStateMachine(caller: Principal, request: CreateStateMachineRequest): Promise<{ stateMachineArn: string; creationDate: Date }> {
    checkStateMachineName(request.name);
    checkRoleArn(request.roleArn);
    checkDefinitionSize(request.definition);
    const type = request.type ?? "STANDARD";
    if (type !== "STANDARD" && type !== "EXPRESS") {
      throw new AwsServiceError(SFN_VALIDATION, `1 validation error detected: Value '${String(type)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`);
    }
    const arn = `arn:aws:states:${this.options.region}:${this.options.accountId}:stateMachine:${request.name}`;
    await this.authorizer.authorize({ principal: caller, action: "states:CreateStateMachine", resourceArn: arn });
    // Handing Step Functions a role is passing it: the caller needs iam:PassRole on it (IAM user guide, "Granting a
    // user permissions to pass a role to an AWS service").
    await this.authorizer.authorize({ principal: caller, action: "iam:PassRole", resourceArn: request.roleArn });
    const view: StateMachineView = {
      logicalName: request.name,
      name: request.name,
      arn,
      roleArn: request.roleArn,
      definition: request.definition,
      type,
      loggingConfiguration: loggingConfigurationOf(request.loggingConfiguration),
      tracingConfiguration: tracingConfigurationOf(request.tracingConfiguration),
      tags: tagsOf(request.tags),
    };
    this.checkAssumable(view.roleArn);
    const existing = this.machines.get(arn);
    if (existing) {
      if (sameConfiguration(existing.view, view)) return { stateMachineArn: arn, creationDate: existing.creationDate };
      throw new AwsServiceError("StateMachineAlreadyExists", `State Machine Already Exists: '${arn}'`);
    }
    const machine = deployRequested(view, this.options.timeScale, this.options.validatedDefinitions);
    this.machines.set(arn, machine);
    return { stateMachineArn: arn, creationDate: machine.creationDate };
  }

  /**
   * UpdateStateMachine: any of definition, roleArn, loggingConfiguration, tracingConfiguration; none of them is
   * MissingRequiredParameter (API reference). New executions use the update; running ones keep their definition.
   */
  async updateStateMachine(caller: Principal, request: UpdateStateMachineRequest): Promise<{ updateDate: Date }> {
    const machine = this.machine(request.stateMachineArn);
    await this.authorizer.authorize({ principal: caller, action: "states:UpdateStateMachine", resourceArn: machine.arn });
    const { definition, roleArn, loggingConfiguration, tracingConfiguration } = request;
    if (definition === undefined && roleArn === undefined && loggingConfiguration === undefined && tracingConfiguration === undefined) {
      throw new AwsServiceError("MissingRequiredParameter", "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified");
    }
    if (roleArn !== undefined) {
      checkRoleArn(roleArn);
      await this.authorizer.authorize({ principal: caller, action: "iam:PassRole", resourceArn: roleArn });
      this.checkAssumable(roleArn);
    }
    if (definition !== undefined) checkDefinitionSize(definition);
    const view: StateMachineView = {
      ...machine.view,
      ...(definition !== undefined ? { definition } : {}),
      ...(roleArn !== undefined ? { roleArn } : {}),
      ...(loggingConfiguration !== undefined ? { loggingConfiguration: loggingConfigurationOf(loggingConfiguration) } : {}),
      ...(tracingConfiguration !== undefined ? { tracingConfiguration: tracingConfigurationOf(tracingConfiguration) } : {}),
    };
    const updated = { ...deployRequested(view, this.options.timeScale, this.options.validatedDefinitions), creationDate: machine.creationDate };
    this.machines.set(machine.arn, updated);
    return { updateDate: new Date() };
  }

  /**
   * DeleteStateMachine (API reference): "On the next state transition, the state machine's executions are
   * terminated": they fail with States.Runtime "State machine <name> has been deleted." (AWS re:Post, "stuck
   * deleting"); here at once rather than at their next transition. The machine is gone for new calls when
   * the answer arrives (AWS shows DELETING until its executions end). An ARN that names no machine succeeds.
   */
  async deleteStateMachine(caller: Principal, stateMachineArn: string): Promise<Record<string, never>> {
    if (!STATE_MACHINE_ARN.test(stateMachineArn)) throw new AwsServiceError("InvalidArn", `Invalid Arn: '${stateMachineArn}'`);
    await this.authorizer.authorize({ principal: caller, action: "states:DeleteStateMachine", resourceArn: stateMachineArn });
    const machine = this.machines.get(stateMachineArn);
    this.machines.delete(stateMachineArn);
    if (machine) {
      const own = new Map([...this.executions].filter(([, e]) => e.stateMachine.arn === stateMachineArn));
      for (const arn of own.keys()) this.executions.delete(arn);
      this.deleted.push({ machine, executions: own });
      const running = [...own.values()].filter((e) => e.status === "RUNNING");
      for (const execution of running) execution.terminate("States.Runtime", `State machine ${machine.name} has been deleted.`);
      await Promise.all(running.map((e) => e.finished));
    }
    return {};
  }

  /** ValidateStateMachineDefinition: IAM action states:ValidateStateMachineDefinition, no resource type ("*"). */
  async validateDefinition(caller: Principal, request: Parameters<typeof validateStateMachineDefinition>[0]): Promise<ValidationAnswer> {
    await this.authorizer.authorize({ principal: caller, action: "states:ValidateStateMachineDefinition", resourceArn: "*" });
    return validateStateMachineDefinition(request);
  }

  /** TagResource: adds or overwrites the given tags of a state machine. */
  async tagResource(caller: Principal, resourceArn: string, tags: unknown): Promise<Record<string, never>> {
    const machine = this.taggable(resourceArn);
    await this.authorizer.authorize({ principal: caller, action: "states:TagResource", resourceArn });
    this.machines.set(resourceArn, { ...machine, view: { ...machine.view, tags: { ...machine.view.tags, ...tagsOf(tags) } } });
    return {};
  }

  /** UntagResource: removes the tags with the given keys; keys the machine does not have are ignored. */
  async untagResource(caller: Principal, resourceArn: string, tagKeys: readonly string[]): Promise<Record<string, never>> {
    const machine = this.taggable(resourceArn);
    await this.authorizer.authorize({ principal: caller, action: "states:UntagResource", resourceArn });
    const tags = Object.fromEntries(Object.entries(machine.view.tags).filter(([key]) => !tagKeys.includes(key)));
    this.machines.set(resourceArn, { ...machine, view: { ...machine.view, tags } });
    return {};
  }

  /** The machines and their executions, oldest first: what a machine's logging configuration sends to its log group. */
  executionLogs(): { machine: StateMachineView; executions: { executionArn: string; name: string; startDate: Date; events: readonly HistoryEvent[] }[] }[] {
    const logsOf = (executions: Iterable<Execution>) =>
      [...executions].map((e) => ({ executionArn: e.executionArn, name: e.name, startDate: e.startDate, events: e.events() }));
    return [
      ...this.deleted.map((d) => ({ machine: d.machine.view, executions: logsOf(d.executions.values()) })),
      ...[...this.machines.values()].map((m) => ({ machine: m.view, executions: logsOf([...this.executions.values()].filter((e) => e.stateMachine.arn === m.arn)) })),
    ];
  }

  /** Resolves when the execution has ended (sandbox-internal; API callers poll DescribeExecution). */
  async whenFinished(executionArn: string): Promise<ExecutionDescription> {
    const execution = this.execution(executionArn);
    await execution.finished;
    return describe(execution);
  }

  /** Stops every running execution and forgets them all. */
  async reset(): Promise<void> {
    const running = [...this.executions.values()].filter((e) => e.status === "RUNNING");
    for (const execution of running) execution.stop("Sandbox.Reset", "The sandbox was reset");
    await Promise.all(running.map((e) => e.finished));
    this.executions.clear();
    for (const d of this.deleted) d.executions.clear();
  }

  /**
   * Step Functions assumes the role when a machine is created or updated: a role that does not exist, or whose
   * trust policy does not name states.amazonaws.com, is AccessDeniedException with AWS's wording.
   */
  private checkAssumable(roleArn: string): void {
    if (this.options.stepFunctionsMayAssume && !this.options.stepFunctionsMayAssume(roleArn)) {
      throw new AwsServiceError("AccessDeniedException", "Neither the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided role.");
    }
  }

  /** The state machine a tagging call names: InvalidArn for no Step Functions ARN, ResourceNotFound for no machine. */
  private taggable(resourceArn: string): DeployedStateMachine {
    if (!/^arn:aws[\w-]*:states:[\w-]+:\d{12}:[A-Za-z]+:.+$/.test(resourceArn)) throw new AwsServiceError("InvalidArn", `Invalid Arn: '${resourceArn}'`);
    const machine = this.machines.get(resourceArn);
    if (!machine) throw new AwsServiceError("ResourceNotFound", `Resource not found: '${resourceArn}'`);
    return machine;
  }

  private machine(arn: string): DeployedStateMachine {
    const machine = this.machines.get(arn);
    if (!machine) {
      if (!STATE_MACHINE_ARN.test(arn ?? "")) throw new AwsServiceError("InvalidArn", `Invalid Arn: '${arn}'`);
      throw new AwsServiceError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`);
    }
    return machine;
  }

  private execution(arn: string): Execution {
    const execution = this.executions.get(arn) ?? this.deleted.find((d) => d.executions.has(arn))?.executions.get(arn);
    if (!execution) {
      if (!/^arn:aws[\w-]*:states:[\w-]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn ?? "")) throw new AwsServiceError("InvalidArn", `Invalid Arn: '${arn}'`);
      throw new AwsServiceError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
    }
    return execution;
  }
}

const SFN_VALIDATION = "ValidationException";
const STATE_MACHINE_ARN = /^arn:aws[\w-]*:states:[\w-]+:\d{12}:stateMachine:[^:]+$/;

export interface CreateStateMachineRequest {
  name: string;
  definition: string;
  roleArn: string;
  type?: string;
  loggingConfiguration?: unknown;
  tracingConfiguration?: unknown;
  tags?: unknown;
}

export interface UpdateStateMachineRequest {
  stateMachineArn: string;
  definition?: string;
  roleArn?: string;
  loggingConfiguration?: unknown;
  tracingConfiguration?: unknown;
}

/** What CreateStateMachine's idempotency compares (API reference, CreateStateMachine). */
function sameConfiguration(a: StateMachineView, b: StateMachineView): boolean {
  return (
    a.definition === b.definition &&
    a.roleArn === b.roleArn &&
    a.type === b.type &&
    JSON.stringify(a.loggingConfiguration) === JSON.stringify(b.loggingConfiguration) &&
    JSON.stringify(a.tracingConfiguration) === JSON.stringify(b.tracingConfiguration)
  );
}

/** deploy() for a machine an API call asked for: a definition the sandbox refuses is AWS's InvalidDefinition. */
function deployRequested(view: StateMachineView, timeScale: number, validated?: ValidatedDefinitions): DeployedStateMachine {
  try {
    return deploy(view, timeScale, validated);
  } catch (error) {
    if (error instanceof DefinitionError) throw new AwsServiceError("InvalidDefinition", `Invalid State Machine Definition: '${error.message}'`);
    throw error;
  }
}

/** Validates the definition as CreateStateMachine would, and prepares the interpreter for it. */
function deploy(view: StateMachineView, timeScale: number, validated?: ValidatedDefinitions): DeployedStateMachine {
  let definition: JsonObject;
  try {
    const parsed: unknown = JSON.parse(view.definition);
    if (!isObject(parsed)) throw new Error("the definition is not a JSON object");
    definition = parsed;
  } catch (error) {
    throw new DefinitionError(`State machine "${view.name}" has an invalid definition: ${(error as Error).message}`);
  }
  if (!validated?.has(view.definition)) {
    try {
      // asl-validator sets fields on what it checks: give it a copy.
      new StateMachine(structuredClone(definition) as never);
    } catch (error) {
      throw new DefinitionError(`State machine "${view.name}" has an invalid definition: ${(error as Error).message}`);
    }
    validated?.add(view.definition);
  }
  const jsonataErrors = jsonataDefinitionErrors(definition);
  if (jsonataErrors.length > 0) {
    const lines = jsonataErrors.map((e) => `  - ${e.state ? `state "${e.state}"` : "top level"}, field ${e.field}: ${e.message}`);
    throw new DefinitionError(`State machine "${view.name}" has an invalid definition:\n${lines.join("\n")}`);
  }
  // Never run a machine the sandbox would get wrong: refuse it, naming each state and field.
  const unsupported = unsupportedConstructs(definition);
  if (unsupported.length > 0) throw new DefinitionError(unsupportedMessage(view.name, unsupported));
  // Nor one with a Task whose integration the sandbox does not perform: the sandbox's limit, not AWS's
  // (CreateStateMachine in AWS accepts any integration the role may call).
  const expressOnly = view.type === "EXPRESS" ? expressViolations(definition) : [];
  if (expressOnly.length > 0) {
    const lines = expressOnly.map((t) => `  - state "${t.state}", Resource ${t.resource}: ${t.reason}`);
    throw new DefinitionError(`EXPRESS state machine "${view.name}" has Tasks Express workflows cannot run:\n${lines.join("\n")}`);
  }
  const unrunnable = unrunnableTasks(definition);
  if (unrunnable.length > 0) throw new DefinitionError(unrunnableMessage(view.name, unrunnable));
  const states = new Map<string, StateInfo>();
  for (const visit of walkDefinition(definition).states) {
    const type = visit.type ?? "";
    states.set(visit.name, {
      state: visit.state,
      type,
      ...(type === "Task" ? { resource: parseTaskResource(visit.state.Resource) } : {}),
    });
  }
  const scaled = scaleDefinitionTiming(definition, timeScale);
  // JSONata machines, and JSONPath machines that use workflow variables, run on the sandbox's interpreter;
  // other JSONPath machines on aws-local-stepfunctions, which knows no variables.
  const interpreter =
    definition.QueryLanguage === "JSONata" || usesVariables(definition)
      ? new JsonataInterpreter(scaled)
      : new StateMachine(scaled as never, { validationOptions: { noValidate: true } });
  return { view, arn: view.arn, name: view.name, roleArn: view.roleArn, interpreter, timeScale, states, creationDate: new Date() };
}

function describe(execution: Execution): ExecutionDescription {
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachine.arn,
    name: execution.name,
    status: execution.status,
    startDate: execution.startDate,
    ...(execution.stopDate ? { stopDate: execution.stopDate } : {}),
    input: execution.input,
    inputDetails: { included: true },
    ...(execution.output !== undefined ? { output: execution.output, outputDetails: { included: true } } : {}),
    ...(execution.error !== undefined ? { error: execution.error } : {}),
    ...(execution.cause !== undefined ? { cause: execution.cause } : {}),
    redriveCount: 0,
    redriveStatus: "NOT_REDRIVABLE",
  };
}

function invalidToken(token: string): AwsServiceError {
  return new AwsServiceError("InvalidToken", `Invalid Token: '${token}'`);
}

/** What DescribeStateMachine and DescribeStateMachineForExecution share. */
export interface StateMachineConfiguration {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  loggingConfiguration: StateMachineLogging;
  tracingConfiguration: { enabled: boolean };
}

export interface StateMachineDescription extends StateMachineConfiguration {
  status: "ACTIVE";
  type: "STANDARD" | "EXPRESS";
  creationDate: Date;
}

function configurationOf(machine: DeployedStateMachine): StateMachineConfiguration {
  return {
    stateMachineArn: machine.arn,
    name: machine.name,
    definition: machine.view.definition,
    roleArn: machine.roleArn,
    loggingConfiguration: machine.view.loggingConfiguration,
    tracingConfiguration: machine.view.tracingConfiguration,
  };
}
