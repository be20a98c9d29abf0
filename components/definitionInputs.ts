import * as pulumi from "@pulumi/pulumi";

/**
 * A definition may hold Pulumi inputs (an ARN that is not known yet) at its leaves. To analyse it when the
 * component is constructed (so `pulumi preview` fails at once on a bad definition, even while ARNs are
 * unknown), each such leaf is swapped for a placeholder string; the resolved definition puts the values back.
 */
export interface DefinitionSkeleton {
  /** The definition as plain JSON, with placeholders where inputs were. */
  readonly skeleton: unknown;
  /** The inputs, by placeholder index. */
  readonly inputs: readonly pulumi.Input<unknown>[];
}

const PLACEHOLDER = /^\{\{pulumi-input:(\d+)\}\}$/;

export function placeholderFor(index: number): string {
  return `{{pulumi-input:${index}}}`;
}

/** The input a placeholder stands for, or undefined when the value is a literal. */
export function inputForPlaceholder(value: unknown, skeleton: DefinitionSkeleton): pulumi.Input<unknown> | undefined {
  if (typeof value !== "string") return undefined;
  const match = PLACEHOLDER.exec(value);
  return match ? skeleton.inputs[Number(match[1])] : undefined;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

export function toSkeleton(definition: object): DefinitionSkeleton {
  const inputs: pulumi.Input<unknown>[] = [];
  const walk = (value: unknown): unknown => {
    if (pulumi.Output.isInstance(value) || isPromiseLike(value)) {
      inputs.push(value as pulumi.Input<unknown>);
      return placeholderFor(inputs.length - 1);
    }
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
    }
    return value;
  };
  return { skeleton: walk(definition), inputs };
}

/** The definition's JSON text, once every input it holds is known. */
export function resolveSkeleton(skeleton: DefinitionSkeleton): pulumi.Output<string> {
  return pulumi.all(skeleton.inputs as pulumi.Input<unknown>[]).apply((values) => {
    const fill = (value: unknown): unknown => {
      if (typeof value === "string") {
        const match = PLACEHOLDER.exec(value);
        return match ? values[Number(match[1])] : value;
      }
      if (Array.isArray(value)) return value.map(fill);
      if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fill(inner)]));
      }
      return value;
    };
    return JSON.stringify(fill(skeleton.skeleton), null, 2);
  });
}
