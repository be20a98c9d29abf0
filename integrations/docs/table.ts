/**
 * The README table of integrations, generated from the registry: each action's Resource, its patterns in
 * STANDARD and EXPRESS workflows, whether the sandbox runs it, and its AWS page.
 */
import { actionLabel, allActions, EXPRESS_PATTERNS, patternSuffix, type IntegrationAction } from "..";
import type { IntegrationPattern } from "../../policy/analysis/types";

const BEGIN = "<!-- integrations:begin (generated from the integration registry by npm run docs:integrations) -->";
const END = "<!-- integrations:end -->";

function patterns(list: readonly IntegrationPattern[]): string {
  return list.map((p) => (p === "request-response" ? "request-response" : `\`${patternSuffix(p)}\``)).join(", ") || "none";
}

function row(entry: IntegrationAction): string {
  const { module, support } = entry;
  const express = support.patterns.filter((p) => EXPRESS_PATTERNS.includes(p));
  const resource = module.kind === "lambda-function" ? "Lambda function ARN" : `\`${actionLabel(entry)}\``;
  const sandbox = support.perform ? "runs" : "refused at deployment";
  return `| ${resource} | ${patterns(support.patterns)} | ${patterns(express)} | ${sandbox} | [docs](${module.docs}) |`;
}

export function renderIntegrationsTable(): string {
  return [
    "| Resource (`arn:aws:states:::` omitted) | STANDARD | EXPRESS | Sandbox | AWS page |",
    "|---|---|---|---|---|",
    ...allActions().map(row),
  ].join("\n");
}

/** `text` with the table between its markers replaced; a text without the markers is refused. */
export function withIntegrationsTable(text: string): string {
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`The README has no "${BEGIN}" ... "${END}" markers to put the integrations table between`);
  return `${text.slice(0, begin + BEGIN.length)}\n${renderIntegrationsTable()}\n${text.slice(end)}`;
}
