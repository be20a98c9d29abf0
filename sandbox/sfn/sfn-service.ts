import { StateMachine } from "aws-local-stepfunctions";
import { randomBytes, randomUUID } from "node:crypto";
import { isObject, walkDefinition, type JsonObject } from "../../policy/analysis/walk";
import { AwsServiceError } from "../aws-error";
import type { Authorizer } from "../iam/authorizer";
import type { Principal, PrincipalDirectory } from "../iam/principals";
import type { StateMachineView } from "../model-view";
import { scaleDefinitionTiming } from "./definition-timing";
import { Execution, type ExecutionStatus, type RunnableStateMachine, type StateInfo } from "./execution";
import type { HistoryEvent } from "./history";
import type { IntegrationServices } from "./integrations";
import { parseTaskResource } from "./task-resource";
import type { ValidatedDefinitions } from "./validated-definitions";

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

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;
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

  constructor(
    views: readonly StateMachineView[],
    private readonly options: {
      readonly region: string;
      readonly accountId: string;
      readonly timeScale: number;
      readonly validatedDefinitions?: ValidatedDefinitions;
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
    if (!NAME_PATTERN.test(name)) throw new AwsServiceError("InvalidName", `Invalid Name: '${name}'`);
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
    if (this.executions.has(executionArn)) {
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
    return page(events, request.maxResults, request.nextToken, 1000);
  }

  async listExecutions(
    caller: Principal,
    request: { stateMachineArn: string; statusFilter?: ExecutionStatus; maxResults?: number; nextToken?: string },
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
    const { events, nextToken } = page(items, request.maxResults, request.nextToken, 100);
    return nextToken ? { executions: events, nextToken } : { executions: events };
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

  async listStateMachines(caller: Principal): Promise<{ stateMachines: { stateMachineArn: string; name: string; type: string; creationDate: Date }[] }> {
    await this.authorizer.authorize({ principal: caller, action: "states:ListStateMachines", resourceArn: "*" });
    return {
      stateMachines: [...this.machines.values()].map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.view.type, creationDate: m.creationDate })),
    };
  }

  async describeStateMachine(caller: Principal, stateMachineArn: string) {
    const machine = this.machine(stateMachineArn);
    await this.authorizer.authorize({ principal: caller, action: "states:DescribeStateMachine", resourceArn: machine.arn });
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: "ACTIVE",
      definition: machine.view.definition,
      roleArn: machine.roleArn,
      type: machine.view.type,
      creationDate: machine.creationDate,
    };
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
  }

  private machine(arn: string): DeployedStateMachine {
    const machine = this.machines.get(arn);
    if (!machine) {
      if (!/^arn:aws[\w-]*:states:[\w-]+:\d{12}:stateMachine:[^:]+$/.test(arn ?? "")) throw new AwsServiceError("InvalidArn", `Invalid Arn: '${arn}'`);
      throw new AwsServiceError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`);
    }
    return machine;
  }

  private execution(arn: string): Execution {
    const execution = this.executions.get(arn);
    if (!execution) {
      if (!/^arn:aws[\w-]*:states:[\w-]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn ?? "")) throw new AwsServiceError("InvalidArn", `Invalid Arn: '${arn}'`);
      throw new AwsServiceError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
    }
    return execution;
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
  const states = new Map<string, StateInfo>();
  for (const visit of walkDefinition(definition).states) {
    const type = visit.type ?? "";
    states.set(visit.name, {
      state: visit.state,
      type,
      ...(type === "Task" ? { resource: parseTaskResource(visit.state.Resource) } : {}),
    });
  }
  const interpreter = new StateMachine(scaleDefinitionTiming(definition, timeScale) as never, { validationOptions: { noValidate: true } });
  return { view, arn: view.arn, name: view.name, roleArn: view.roleArn, interpreter, states, creationDate: new Date() };
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

/** Pages a list; the token is the offset of the next page. */
function page<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined, defaultSize: number): { events: T[]; nextToken?: string } {
  const size = maxResults && maxResults > 0 ? maxResults : defaultSize;
  const start = nextToken ? Number.parseInt(nextToken, 10) : 0;
  if (!Number.isInteger(start) || start < 0) throw new AwsServiceError("InvalidToken", `Invalid Token: '${nextToken}'`);
  const slice = items.slice(start, start + size);
  return start + size < items.length ? { events: slice, nextToken: String(start + size) } : { events: slice };
}
