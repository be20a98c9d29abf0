/**
 * A message member given as JSON in the state (an object, or a token's carrier): Step Functions sends its
 * JSON text, as the SQS and SNS integration pages show with MessageBody / Message objects.
 */
export function messageText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}
