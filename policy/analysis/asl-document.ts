/**
 * The definition as asl-validator 4.0.0's checks see it, found in one pass instead of the library's
 * jsonpath-plus recursive descents, and never copied whole.
 *
 * The library's queries are recursive descents over every field, not over the states of the ASL
 * structure: `$..States` also finds a "States" field inside a Task's payload (a state machine passed
 * to `sfn:createStateMachine`), and `$..[Parameters,ResultSelector]` finds a Map ItemReader's Parameters
 * and a Parameters field nested in a payload. So this pass visits every object and array, in the order
 * jsonpath-plus does (a node's own matches, then its children in key order), which is linear and cheap.
 *
 * The library's first step sets `QueryLanguage` (the machine's, else JSONPath) on every state of every
 * "States" object that lacks a truthy one, on the object it is given; its schema requires the field.
 * `withDefaultQueryLanguage` builds that view without touching the definition: only the states it sets
 * the field on, and the objects and arrays above them, are copied.
 */
import { isObject, JsonObject } from "./walk";

/** What the library's `$..` queries find, in its order. */
export interface KeyedValues {
  /** The value of every "States" field at any depth (`$..States`). */
  readonly states: unknown[];
  /** The value of every "Parameters" and "ResultSelector" field at any depth (`$..[Parameters,ResultSelector]`). */
  readonly payloads: unknown[];
}

/** An object or an array: what jsonpath-plus descends into. */
export type Node = JsonObject | unknown[];

export function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null;
}

function field(node: Node, key: string): unknown {
  return (node as JsonObject)[key];
}

/** One pass over every object and array: a node's own fields first, then its children in key order. */
export function findKeyedValues(definition: JsonObject): KeyedValues {
  const states: unknown[] = [];
  const payloads: unknown[] = [];
  const visit = (node: Node): void => {
    if (Array.isArray(node)) {
      if (Object.hasOwn(node, "States")) states.push(field(node, "States"));
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        if (isNode(child)) visit(child);
      }
      return;
    }
    // The fields the queries look for, found in the one scan of the keys (cheaper than three lookups).
    const keys = Object.keys(node);
    let hasStates = false;
    let hasParameters = false;
    let hasResultSelector = false;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === "States") hasStates = true;
      else if (key === "Parameters") hasParameters = true;
      else if (key === "ResultSelector") hasResultSelector = true;
    }
    if (hasStates) states.push(node.States);
    if (hasParameters) payloads.push(node.Parameters);
    if (hasResultSelector) payloads.push(node.ResultSelector);
    for (let i = 0; i < keys.length; i++) {
      const child = node[keys[i]];
      if (isNode(child)) visit(child);
    }
  };
  visit(definition);
  return { states, payloads };
}

/** The machine-wide QueryLanguage the library gives states without one. */
export function defaultQueryLanguage(definition: JsonObject): unknown {
  return definition.QueryLanguage ?? "JSONPath";
}

/**
 * The states the library sets QueryLanguage on: the object members of every "States" value that have no
 * truthy QueryLanguage. A member that is not an object makes the library throw; it is skipped here (the
 * schema check reports it). Arrays are skipped: a field set on an array changes nothing the checks see.
 */
export function statesWithoutQueryLanguage(statesValues: readonly unknown[]): Set<JsonObject> {
  const found = new Set<JsonObject>();
  for (const states of statesValues) {
    if (!isNode(states)) continue;
    for (const name of Object.keys(states)) {
      const state = field(states, name);
      if (isObject(state) && !state.QueryLanguage) found.add(state);
    }
  }
  return found;
}

/**
 * The definition with QueryLanguage set on `states`, sharing every part that does not change. Every
 * occurrence of such a state is replaced, so a state object used at two places (a definition built in
 * code, a YAML alias) reads as the library's mutation leaves it.
 */
export function withDefaultQueryLanguage(definition: JsonObject, states: ReadonlySet<JsonObject>, language: unknown): JsonObject {
  if (states.size === 0) return definition;
  const view = (node: Node): Node => {
    if (Array.isArray(node)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        if (!isNode(child)) continue;
        const replaced = view(child);
        if (replaced === child) continue;
        copy ??= node.slice();
        copy[i] = replaced;
      }
      return copy ?? node;
    }
    let copy: JsonObject | undefined;
    const keys = Object.keys(node);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const child = node[key];
      if (!isNode(child)) continue;
      const replaced = view(child);
      if (replaced === child) continue;
      copy ??= { ...node };
      copy[key] = replaced;
    }
    if (states.has(node)) {
      copy ??= { ...node };
      copy.QueryLanguage = language;
    }
    return copy ?? node;
  };
  return view(definition) as JsonObject;
}
