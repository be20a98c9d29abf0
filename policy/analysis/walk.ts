import { escapePointerSegment } from "./json-source";
import { QueryLanguage } from "./types";

/** A JSON object, as states and definitions are. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * One set of states that transition among themselves: the machine itself, a Parallel branch, or a Map's
 * ItemProcessor (or legacy Iterator). Transitions never cross scopes.
 */
export interface StateScope {
  /** JSON pointer of the object holding StartAt and States ("" for the machine). */
  pointer: string;
  /** Path segments leading to this scope, e.g. ["Fan out", "Branch 2"]; [] for the machine. */
  pathSegments: string[];
  startAt: unknown;
  /** The States object as written (undefined when missing or not an object). */
  states: JsonObject | undefined;
  /**
   * Path of the Distributed Map whose children this scope's states are, when it runs them as Express
   * workflows (`ProcessorConfig: {Mode: DISTRIBUTED, ExecutionType: EXPRESS}`), here or further out.
   */
  expressMap?: string;
}

/** A state found at any depth, with where it is. */
export interface StateVisit {
  name: string;
  /** The state object as written (non-object states are skipped: the validator reports them). */
  state: JsonObject;
  type: string | undefined;
  /** e.g. `Fan out > Branch 2 > StartEtl`. */
  path: string;
  /** e.g. `/States/Fan out/Branches/1/States/StartEtl`. */
  pointer: string;
  scope: StateScope;
  queryLanguage: QueryLanguage;
}

export interface WalkResult {
  scopes: StateScope[];
  states: StateVisit[];
}

export const PATH_SEPARATOR = " > ";

export function formatPath(segments: readonly string[]): string {
  return segments.join(PATH_SEPARATOR);
}

function queryLanguageOf(value: unknown): QueryLanguage | undefined {
  return value === "JSONata" || value === "JSONPath" ? value : undefined;
}

/** "Using Map state in Distributed mode": ExecutionType EXPRESS runs each child workflow as an Express workflow. */
function runsChildrenAsExpress(processor: JsonObject): boolean {
  const config = processor.ProcessorConfig;
  return isObject(config) && config.Mode === "DISTRIBUTED" && config.ExecutionType === "EXPRESS";
}

/**
 * Visits every state at any depth: Parallel Branches (`Branch N`, 1-based), Map ItemProcessor and the
 * legacy Iterator. Tolerates malformed definitions (missing or odd-typed fields are skipped).
 */
export function walkDefinition(definition: unknown): WalkResult {
  const result: WalkResult = { scopes: [], states: [] };
  if (!isObject(definition)) return result;
  const machineLanguage = queryLanguageOf(definition.QueryLanguage) ?? "JSONPath";

  const visitScope = (container: JsonObject, pointer: string, pathSegments: string[], expressMap?: string): void => {
    const states = isObject(container.States) ? container.States : undefined;
    const scope: StateScope = { pointer, pathSegments, startAt: container.StartAt, states, ...(expressMap !== undefined ? { expressMap } : {}) };
    result.scopes.push(scope);
    if (!states) return;
    for (const [name, state] of Object.entries(states)) {
      if (!isObject(state)) continue;
      const segments = [...pathSegments, name];
      const statePointer = `${pointer}/States/${escapePointerSegment(name)}`;
      result.states.push({
        name,
        state,
        type: typeof state.Type === "string" ? state.Type : undefined,
        path: formatPath(segments),
        pointer: statePointer,
        scope,
        queryLanguage: queryLanguageOf(state.QueryLanguage) ?? machineLanguage,
      });
      if (state.Type === "Parallel" && Array.isArray(state.Branches)) {
        state.Branches.forEach((branch, i) => {
          if (isObject(branch)) visitScope(branch, `${statePointer}/Branches/${i}`, [...segments, `Branch ${i + 1}`], expressMap);
        });
      }
      if (state.Type === "Map") {
        for (const key of ["ItemProcessor", "Iterator"] as const) {
          const processor = state[key];
          if (isObject(processor)) visitScope(processor, `${statePointer}/${key}`, [...segments, key], runsChildrenAsExpress(processor) ? formatPath(segments) : expressMap);
        }
      }
    }
  };

  visitScope(definition, "", []);
  return result;
}
