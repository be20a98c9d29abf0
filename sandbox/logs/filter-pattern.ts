import { AwsServiceError } from "../aws-error";

/**
 * The part of CloudWatch Logs' filter pattern syntax the sandbox evaluates ("Filter pattern syntax for
 * metric filters, subscription filters, and filter log events", unstructured log events): terms
 * separated by spaces, each a word or a "quoted phrase", all of which must occur in the message,
 * case-sensitively; an empty pattern matches every event. The rest of the syntax (?OR terms, -exclusions,
 * %regex%, JSON { } and space-delimited [ ] patterns) is refused with InvalidParameterException rather
 * than evaluated differently from AWS.
 */
export type EventMatcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): EventMatcher {
  const text = (pattern ?? "").trim();
  if (text === "") return () => true;
  const terms: string[] = [];
  const token = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const match of text.matchAll(token)) {
    if (match[1] !== undefined) {
      terms.push(match[1].replace(/\\(.)/g, "$1"));
      continue;
    }
    const word = match[2];
    if (/^[?\-%{[]/.test(word) || /["%{}[\]]/.test(word)) throw unsupported(pattern ?? "", word);
    terms.push(word);
  }
  return (message) => terms.every((term) => message.includes(term));
}

function unsupported(pattern: string, term: string): AwsServiceError {
  return new AwsServiceError(
    "InvalidParameterException",
    `The sandbox evaluates filter patterns made of plain or "quoted" terms only; '${term}' in '${pattern}' uses syntax it does not evaluate (?OR, -exclusion, %regex%, JSON or [space-delimited] patterns)`,
  );
}
