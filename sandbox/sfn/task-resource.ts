/**
 * How the sandbox reads a Task's Resource: the analysis core's classifier, shared with the policy pack, the
 * components and the lint CLI, so every part of the project agrees on what a Resource means.
 */
export { parseResource as parseTaskResource } from "../../policy/analysis/resource";
export type { IntegrationPattern, ParsedResource } from "../../policy/analysis/types";
