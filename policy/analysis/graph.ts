import { isObject, JsonObject, StateScope } from "./walk";

/** A transition out of a state, with the JSON pointer suffix of the field that names its target. */
export interface Transition {
  target: string;
  /** Relative to the state, e.g. `/Next`, `/Choices/0/Next`, `/Catch/1/Next`. */
  field: string;
  /** Branches of a Choice (its Choices and Default); the edges a polling loop turns back on. */
  isChoiceBranch: boolean;
}

/** Every transition a state declares: Next, a Choice's Choices and Default, and Catch targets. */
export function transitionsOf(state: JsonObject): Transition[] {
  const out: Transition[] = [];
  if (typeof state.Next === "string") out.push({ target: state.Next, field: "/Next", isChoiceBranch: false });
  if (state.Type === "Choice") {
    if (Array.isArray(state.Choices)) {
      state.Choices.forEach((choice, i) => {
        if (isObject(choice) && typeof choice.Next === "string") {
          out.push({ target: choice.Next, field: `/Choices/${i}/Next`, isChoiceBranch: true });
        }
      });
    }
    if (typeof state.Default === "string") out.push({ target: state.Default, field: "/Default", isChoiceBranch: true });
  }
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((catcher, i) => {
      if (isObject(catcher) && typeof catcher.Next === "string") {
        out.push({ target: catcher.Next, field: `/Catch/${i}/Next`, isChoiceBranch: false });
      }
    });
  }
  return out;
}

/** The transition graph of one scope: state name -> names it can go to (within the scope). */
export class ScopeGraph {
  private readonly edges = new Map<string, string[]>();
  private readonly reachCache = new Map<string, Set<string>>();

  constructor(readonly scope: StateScope) {
    for (const [name, state] of Object.entries(scope.states ?? {})) {
      const targets = isObject(state) ? transitionsOf(state).map((t) => t.target) : [];
      this.edges.set(
        name,
        targets.filter((t) => this.has(t)),
      );
    }
  }

  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.scope.states ?? {}, name);
  }

  state(name: string): JsonObject | undefined {
    const state = this.scope.states?.[name];
    return isObject(state) ? state : undefined;
  }

  names(): string[] {
    return [...this.edges.keys()];
  }

  successors(name: string): string[] {
    return this.edges.get(name) ?? [];
  }

  /** States reachable from `from` (including `from` itself). */
  reachableFrom(from: string): Set<string> {
    const cached = this.reachCache.get(from);
    if (cached) return cached;
    const seen = new Set<string>();
    const stack = this.has(from) ? [from] : [];
    while (stack.length > 0) {
      const name = stack.pop() as string;
      if (seen.has(name)) continue;
      seen.add(name);
      stack.push(...this.successors(name));
    }
    this.reachCache.set(from, seen);
    return seen;
  }

  reaches(from: string, to: string): boolean {
    return this.reachableFrom(from).has(to);
  }

  private components: string[][] | undefined;

  /** Strongly connected components of the whole scope, over every transition. */
  stronglyConnectedComponents(): string[][] {
    this.components ??= stronglyConnected(this.names(), (name) => this.successors(name));
    return this.components;
  }
}

/**
 * Strongly connected components (Tarjan's algorithm, iterative: definitions can hold thousands of states),
 * sinks first, of the graph of `nodes` with `successors`.
 */
export function stronglyConnected(nodes: readonly string[], successorsOf: (name: string) => readonly string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; next: number; successors: readonly string[] }> = [{ node: root, next: 0, successors: successorsOf(root) }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.next < frame.successors.length) {
        const child = frame.successors[frame.next++];
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ node: child, next: 0, successors: successorsOf(child) });
        } else if (onStack.has(child)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(child) as number));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent) as number, low.get(frame.node) as number));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}
