/**
 * Generated Step Functions definitions for the policy benchmark: a given number of states (counted at
 * every depth) of every type, with Parallel branches and Map item processors nested up to three levels,
 * the Glue and Lambda integrations the rules look at, and no findings (so the benchmark measures a clean
 * pass, the common case). Deterministic: the same size always gives the same text.
 */

type State = Record<string, unknown>;
interface Scope {
  StartAt: string;
  States: Record<string, State>;
}

const LAMBDA_RETRY = [{ ErrorEquals: ["Lambda.ServiceException", "Lambda.TooManyRequestsException"], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }];
const CATCH_ALL = (next: string) => [{ ErrorEquals: ["States.ALL"], Next: next, ResultPath: "$.error" }];

/** States per nested scope: a block of this size becomes a Parallel branch or a Map item processor. */
const NESTED_SCOPE_STATES = 12;
const MAX_DEPTH = 3;

/**
 * A linear run of `count` states (at every depth) named with `prefix`: ordinary states, then a Succeed;
 * with three or more, a Fail state that every catcher leads to.
 */
function buildScope(count: number, prefix: string, depth: number, comment: string): Scope {
  if (count < 1) throw new RangeError(`a scope needs at least one state, got ${count}`);
  const done = `Done ${prefix}`;
  if (count === 1) return { StartAt: done, States: { [done]: { Type: "Succeed", Comment: comment } } };
  if (count === 2) {
    const only = `Only ${prefix}`;
    return { StartAt: only, States: { [only]: { Type: "Pass", Comment: comment, Next: done }, [done]: { Type: "Succeed", Comment: comment } } };
  }
  const failed = `Failed ${prefix}`;
  const names: string[] = [];
  const bodies: ((next: string) => State)[] = [];
  let remaining = count - 2;
  const add = (name: string, body: (next: string) => State, size = 1) => {
    names.push(name);
    bodies.push(body);
    remaining -= size;
  };
  for (let i = 0; remaining > 0; i++) {
    const n = `${prefix}${i}`;
    const kind = i % 8;
    if (kind === 5 && depth < MAX_DEPTH && remaining >= 1 + 2 * 3) {
      // Parallel: itself plus two branches of equal size.
      const branchStates = Math.floor((Math.min(remaining, 1 + 2 * NESTED_SCOPE_STATES) - 1) / 2);
      add(
        `Fan out ${n}`,
        (next) => ({
          Type: "Parallel",
          Comment: comment,
          Branches: [buildScope(branchStates, `${n}a.`, depth + 1, comment), buildScope(branchStates, `${n}b.`, depth + 1, comment)],
          ResultPath: "$.branches",
          Catch: CATCH_ALL(failed),
          Next: next,
        }),
        1 + 2 * branchStates,
      );
    } else if (kind === 7 && depth < MAX_DEPTH && remaining >= 1 + 3) {
      const inner = Math.min(remaining - 1, NESTED_SCOPE_STATES);
      add(
        `Each item ${n}`,
        (next) => ({
          Type: "Map",
          Comment: comment,
          ItemsPath: "$.items",
          MaxConcurrency: 4,
          ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, ...buildScope(inner, `${n}m.`, depth + 1, comment) },
          ResultPath: "$.mapped",
          Catch: CATCH_ALL(failed),
          Next: next,
        }),
        1 + inner,
      );
    } else if (kind === 0 || kind === 5 || kind === 7) {
      add(`Check ${n}`, (next) => ({
        Type: "Task",
        Comment: comment,
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:check-file", Payload: { "executionId.$": "$$.Execution.Id", step: n } },
        ResultSelector: { "file.$": "$.Payload" },
        ResultPath: `$.results.check${i}`,
        TimeoutSeconds: 60,
        Retry: LAMBDA_RETRY,
        Catch: CATCH_ALL(failed),
        Next: next,
      }));
    } else if (kind === 1) {
      add(`Route ${n}`, (next) => ({
        Type: "Choice",
        Comment: comment,
        Choices: [
          { Variable: "$.results.mode", StringEquals: "fast", Next: next },
          { And: [{ Variable: "$.count", NumericGreaterThan: 100 }, { Variable: "$.region", IsPresent: true }], Next: next },
        ],
        Default: next,
      }));
    } else if (kind === 2) {
      add(`Run ETL ${n}`, (next) => ({
        Type: "Task",
        Comment: comment,
        Resource: "arn:aws:states:::glue:startJobRun.sync",
        Parameters: { JobName: "lab-etl-job", Arguments: { "--source_key.$": "$.key", "--step": n } },
        ResultSelector: { "JobRunId.$": "$.Id", "JobRunState.$": "$.JobRunState" },
        ResultPath: `$.etl${i}`,
        TimeoutSeconds: 1200,
        Retry: [{ ErrorEquals: ["Glue.ConcurrentRunsExceededException"], IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2 }],
        Catch: CATCH_ALL(failed),
        Next: next,
      }));
    } else if (kind === 3) {
      add(`Shape ${n}`, (next) => ({
        Type: "Pass",
        Comment: comment,
        Parameters: { "jobRunId.$": `$.etl${i - 1}.JobRunId`, "count.$": "States.ArrayLength($.items)", label: n },
        ResultPath: `$.shaped${i}`,
        Next: next,
      }));
    } else if (kind === 4) {
      add(`Pause ${n}`, (next) => ({ Type: "Wait", Comment: comment, Seconds: 5, Next: next }));
    } else {
      add(`Ask operator ${n}`, (next) => ({
        Type: "Task",
        Comment: comment,
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: { FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:notify", Payload: { "taskToken.$": "$$.Task.Token", step: n } },
        ResultPath: `$.approval${i}`,
        TimeoutSeconds: 86400,
        HeartbeatSeconds: 3600,
        Catch: CATCH_ALL(failed),
        Next: next,
      }));
    }
  }
  const states: Record<string, State> = {};
  names.forEach((name, k) => {
    states[name] = bodies[k](names[k + 1] ?? done);
  });
  states[done] = { Type: "Succeed", Comment: comment };
  states[failed] = { Type: "Fail", Comment: comment, Error: "StepFailed", CausePath: "$.error.Cause" };
  return { StartAt: names[0], States: states };
}

/** Counts states at every depth (Parallel branches, Map processors and iterators). */
export function countStates(scope: { States?: Record<string, State> }): number {
  let total = 0;
  for (const state of Object.values(scope.States ?? {})) {
    total++;
    for (const branch of (state.Branches as Scope[] | undefined) ?? []) total += countStates(branch);
    const processor = (state.ItemProcessor ?? state.Iterator) as Scope | undefined;
    if (processor) total += countStates(processor);
  }
  return total;
}

export interface GeneratedDefinition {
  readonly label: string;
  readonly states: number;
  readonly text: string;
}

/** A definition with `states` states (at every depth), as JSON text indented like a checked-in file. */
export function generateDefinition(states: number, comment = "generated for the policy benchmark"): GeneratedDefinition {
  const scope = buildScope(states, "S", 0, comment);
  const definition = { Comment: `${states} states`, StartAt: scope.StartAt, States: scope.States };
  return { label: `${states.toLocaleString("en-US")} states`, states: countStates(definition), text: JSON.stringify(definition, null, 2) };
}

/**
 * The largest generated definition that fits Step Functions' 1 MB limit (1,048,576 bytes of JSON): the
 * state count is searched so the text lands just under the limit.
 */
export function definitionAtSizeLimit(limitBytes = 1_048_576): GeneratedDefinition {
  const size = (n: number) => Buffer.byteLength(generateDefinition(n).text, "utf8");
  let low = 10;
  let high = 20;
  while (size(high) <= limitBytes) {
    low = high;
    high *= 2;
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (size(mid) <= limitBytes) low = mid;
    else high = mid;
  }
  const def = generateDefinition(low);
  return { ...def, label: `1 MB limit (${def.states.toLocaleString("en-US")} states, ${Buffer.byteLength(def.text, "utf8").toLocaleString("en-US")} bytes)` };
}

/** A JSONPath that starts at the state input ("$.", not the context object's "$$."). */
const INPUT_PATH = /(?<!\$)\$\./g;
const SALT_WIDTH = 3;

/**
 * The text with every input path moved under a field named after `sample` ("$.x" becomes "$.s0a1.x"), so
 * no path string in it has been seen before: the analysis remembers its path and JSONata format answers,
 * which makes analysing the same text again cheaper than analysing a new one.
 */
export function saltPaths(text: string, sample: number): string {
  const salt = `s${(sample % 36 ** SALT_WIDTH).toString(36).padStart(SALT_WIDTH, "0")}.`;
  return text.replace(INPUT_PATH, `$.${salt}`);
}

/**
 * The largest generated definition whose salted variants (`saltPaths`) still fit the 1 MB limit, so a
 * never-seen definition is measured at the same size as the one analysed again and again.
 */
export function saltableDefinitionAtSizeLimit(limitBytes = 1_048_576): GeneratedDefinition {
  const growth = (text: string) => Buffer.byteLength(saltPaths(text, 0), "utf8") - Buffer.byteLength(text, "utf8");
  const def = definitionAtSizeLimit(limitBytes - growth(definitionAtSizeLimit(limitBytes).text));
  const bytes = Buffer.byteLength(saltPaths(def.text, 0), "utf8");
  return { ...def, label: `1 MB limit, never seen (${def.states.toLocaleString("en-US")} states, ${bytes.toLocaleString("en-US")} bytes, paths salted per sample)` };
}

/**
 * Parallel states nested `levels` deep, each with a second branch holding a Lambda task: the shape whose
 * analysis once doubled in time per level (the schema's oneOf validated each nested branch twice).
 */
export function nestedParallelDefinition(levels: number): GeneratedDefinition {
  const task = (): State => ({
    Type: "Task",
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: { FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:check-file", "Payload.$": "$" },
    End: true,
  });
  let scope: Scope = { StartAt: "Innermost", States: { Innermost: task() } };
  for (let i = levels; i >= 1; i--) {
    scope = {
      StartAt: `Level ${i}`,
      States: { [`Level ${i}`]: { Type: "Parallel", Branches: [scope, { StartAt: `Side ${i}`, States: { [`Side ${i}`]: task() } }], End: true } },
    };
  }
  const definition = { Comment: `Parallel nested ${levels} levels`, ...scope };
  // Compact: indented, the text itself would grow with the square of the depth.
  return { label: `Parallel nested ${levels} levels`, states: countStates(definition), text: JSON.stringify(definition) };
}
