/**
 * The patterns this library builds (the three integration patterns, and the event-driven callback), by the name used for stacks, machines and the CLI. Apart from the
 * builders so the CLI's operator commands can name patterns without loading Pulumi.
 */
export const PATTERN_NAMES = ["request-response", "run-job", "wait-for-callback", "event-driven-callback"] as const;
export type PatternName = (typeof PATTERN_NAMES)[number];
