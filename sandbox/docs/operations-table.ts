import { ENDPOINT_ENV_NAMES } from "../client-environment";
import { JSON_SERVICES, type JsonServices } from "../endpoints/protocols";
import { iamProtocol } from "../iam/iam-protocol";
import type { IamService } from "../iam/iam-service";
import { snsProtocol } from "../sns/sns-protocol";
import type { SnsService } from "../sns/sns-service";
import { LAMBDA_OPERATIONS } from "../lambda/lambda-protocol";

/** The README markers between which the generated table sits. */
export const BEGIN = "<!-- operations:begin (generated from the operation tables by npm run docs:operations) -->";
export const END = "<!-- operations:end -->";

/** The protocol tables only close over their service: listing their operations never calls it. */
const LISTING_ONLY = {} as JsonServices;

/** Per JSON service: the operations its table implements, in the table's order. */
export function implementedOperations(): { name: string; targetPrefix: string; envName: string; contentType: string; operations: string[] }[] {
  return JSON_SERVICES.map((service) => {
    const protocol = service.protocol(LISTING_ONLY);
    return {
      name: service.name,
      targetPrefix: service.targetPrefix,
      envName: ENDPOINT_ENV_NAMES[service.endpoint],
      contentType: protocol.contentType,
      operations: Object.keys(protocol.operations),
    };
  });
}

/** The query-protocol services (IAM, SNS): form-encoded POSTs without X-Amz-Target, routed by their signature's service and their Action. */
export function queryOperations(): { name: string; envName: string; operations: string[] }[] {
  return [
    { name: "IAM", envName: ENDPOINT_ENV_NAMES.iam, operations: Object.keys(iamProtocol({} as IamService).operations) },
    { name: "SNS", envName: ENDPOINT_ENV_NAMES.sns, operations: Object.keys(snsProtocol({} as SnsService).operations) },
  ];
}

/** The REST-JSON service (Lambda): routed by method and path. */
export function restOperations(): { name: string; envName: string; operations: string[] } {
  return { name: "Lambda", envName: ENDPOINT_ENV_NAMES.lambda, operations: Object.keys(LAMBDA_OPERATIONS) };
}

/** The Markdown table for the README. */
export function renderOperationsTable(): string {
  const rows = implementedOperations().map(
    (s) => `| ${s.name} | \`${s.targetPrefix}.*\` (${s.contentType.replace("application/", "")}) | \`${s.envName}\` | ${s.operations.join(", ")} |`,
  );
  for (const query of queryOperations()) {
    rows.push(`| ${query.name} | none: \`Action=\` in a form-encoded body (query protocol, XML answers) | \`${query.envName}\` | ${query.operations.join(", ")} |`);
  }
  const rest = restOperations();
  rows.push(`| ${rest.name} | none: method and path \`/2015-03-31/functions...\` (REST-JSON) | \`${rest.envName}\` | ${rest.operations.join(", ")} |`);
  return ["| Service | X-Amz-Target | Endpoint variable | Operations |", "|---|---|---|---|", ...rows].join("\n");
}

/** The README with the table between its markers replaced; throws when the markers are missing. */
export function withOperationsTable(readme: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`the README has no "${BEGIN}" ... "${END}" section`);
  return `${readme.slice(0, start + BEGIN.length)}\n${renderOperationsTable()}\n${readme.slice(end)}`;
}
