import { DescribeStateMachineCommand, ListStateMachinesCommand } from "@aws-sdk/client-sfn";
import { PATTERN_NAMES, type PatternName } from "../../components/patternNames";
import { CliError } from "../errors";
import type { Target } from "./target";

/** A deployed state machine, as ListStateMachines names it. */
export interface DeployedMachine {
  readonly name: string;
  readonly arn: string;
}

/**
 * The state machines the commands address: on the sandbox, every one deployed there (the program's and any
 * created through the API, from ListStateMachines); on AWS, the stack's (its outputs), not the whole account's.
 */
export async function listMachines(target: Target): Promise<DeployedMachine[]> {
  if (target.kind === "aws") {
    return PATTERN_NAMES.map((p) => target.outputs.stateMachineArns[p]).map((arn) => ({ name: arn.split(":")[6] ?? arn, arn }));
  }
  const machines: DeployedMachine[] = [];
  let nextToken: string | undefined;
  do {
    const page = await target.sfn.send(new ListStateMachinesCommand({ nextToken, maxResults: 1000 }));
    for (const m of page.stateMachines ?? []) if (m.name && m.stateMachineArn) machines.push({ name: m.name, arn: m.stateMachineArn });
    nextToken = page.nextToken;
  } while (nextToken);
  return machines;
}

/** The lab pattern a machine runs, when the deployed program is the lab. */
export function patternOfMachine(target: Target, machineArn: string): PatternName | undefined {
  const outputs = target.labOutputs;
  return outputs ? PATTERN_NAMES.find((p) => outputs.stateMachineArns[p] === machineArn) : undefined;
}

function whatIsDeployed(target: Target, machines: readonly DeployedMachine[]): string {
  const names = machines.length > 0 ? machines.map((m) => m.name).join(", ") : "none";
  const shortcuts = target.labOutputs ? ` (the lab's pattern names ${PATTERN_NAMES.join(", ")} work too)` : "";
  return `deployed state machines: ${names}${shortcuts}`;
}

/**
 * A state machine named by its ARN, its name, or (when the deployed program is the lab) its pattern name;
 * anything else is refused with the list of what is deployed.
 */
export async function resolveMachine(target: Target, reference: string): Promise<DeployedMachine> {
  const outputs = target.labOutputs;
  if (outputs && (PATTERN_NAMES as readonly string[]).includes(reference)) {
    const arn = outputs.stateMachineArns[reference as PatternName];
    return { name: arn.split(":")[6] ?? reference, arn };
  }
  if (reference.startsWith("arn:")) {
    try {
      const described = await target.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: reference }));
      return { name: described.name ?? reference, arn: reference };
    } catch (error) {
      const name = (error as Error).name;
      if (name !== "StateMachineDoesNotExist" && name !== "InvalidArn") throw error;
      throw new CliError(`No state machine ${reference} on ${target.description}; ${whatIsDeployed(target, await listMachines(target))}`);
    }
  }
  const machines = await listMachines(target);
  const found = machines.find((m) => m.name === reference);
  if (found) return found;
  throw new CliError(`No state machine named "${reference}" on ${target.description}; ${whatIsDeployed(target, machines)}`);
}
