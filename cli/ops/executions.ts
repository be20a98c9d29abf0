import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  type ExecutionListItem,
  type HistoryEvent,
} from "@aws-sdk/client-sfn";
import type { PatternName } from "../../components/patterns";
import { CliError } from "../errors";
import { listMachines, patternOfMachine } from "../targets/machines";
import type { Target } from "../targets/target";
import { readHistory, type ExecutionView } from "./history";

/** Every event of an execution, oldest first, following nextToken. */
export async function fetchHistory(target: Target, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await target.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000, includeExecutionData: true }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

export async function readExecution(target: Target, executionArn: string): Promise<ExecutionView> {
  return readHistory(await fetchHistory(target, executionArn));
}

/** Starts an execution of a pattern's machine; `input` must be a JSON document (default "{}"). */
export async function startPattern(target: Target, pattern: PatternName, input = "{}"): Promise<string> {
  return startMachine(target, target.outputs.stateMachineArns[pattern], input);
}

/** Starts an execution of any deployed machine; `input` must be a JSON document. */
export async function startMachine(target: Target, stateMachineArn: string, input = "{}"): Promise<string> {
  try {
    JSON.parse(input);
  } catch (error) {
    throw new CliError(`--input is not valid JSON: ${(error as Error).message}`);
  }
  const started = await target.sfn.send(new StartExecutionCommand({ stateMachineArn, input }));
  if (!started.executionArn) throw new CliError(`StartExecution on ${stateMachineArn} returned no executionArn`);
  return started.executionArn;
}

/** The pattern whose machine ran an execution ("arn:...:execution:<machine name>:<id>"). */
export function patternOfExecution(target: Target, executionArn: string): PatternName | undefined {
  const machine = machineArnOfExecution(executionArn);
  return machine === undefined ? undefined : patternOfMachine(target, machine);
}

/** arn:aws:states:r:a:execution:M:id -> arn:aws:states:r:a:stateMachine:M */
export function machineArnOfExecution(executionArn: string): string | undefined {
  const parts = executionArn.split(":");
  if (parts.length < 8 || parts[5] !== "execution") return undefined;
  return [...parts.slice(0, 5), "stateMachine", parts[6]].join(":");
}

/**
 * An execution given as its ARN, or as its name (looked up in every deployed machine), so an operator can
 * paste either.
 */
export async function resolveExecutionArn(target: Target, reference: string): Promise<string> {
  if (reference.startsWith("arn:")) {
    if (!machineArnOfExecution(reference)) throw new CliError(`"${reference}" is not a Step Functions execution ARN`);
    return reference;
  }
  for (const { arn: machineArn } of await listMachines(target)) {
    const parts = machineArn.split(":");
    const candidate = [...parts.slice(0, 5), "execution", parts[6], reference].join(":");
    try {
      await target.sfn.send(new DescribeExecutionCommand({ executionArn: candidate }));
      return candidate;
    } catch (error) {
      if ((error as Error).name !== "ExecutionDoesNotExist") throw error;
    }
  }
  throw new CliError(`No execution named "${reference}" in the deployed state machines; pass the execution ARN`);
}

/** RUNNING executions of a machine, newest first. */
export async function runningExecutions(target: Target, stateMachineArn: string): Promise<ExecutionListItem[]> {
  const items: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await target.sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: "RUNNING", nextToken }));
    items.push(...(page.executions ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return items;
}

/** A machine's ASL definition, parsed. */
export async function machineDefinition(target: Target, stateMachineArn: string): Promise<unknown> {
  const described = await target.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
  return JSON.parse(described.definition ?? "{}");
}
