/** How the sandbox performs the aws-sdk:glue calls on crawlers and the Data Catalog: the Glue API's answers. */
import type { GlueCrawling } from "../../sandbox/glue/crawler-service";
import { TaskFailure, type IntegrationServices, type TaskAttempt } from "../performer";
import { callTask } from "./task-events";

/** Dates as the Glue SDK performers pass them on (epoch milliseconds), nested values included. */
function output(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return value.map(output);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, output(v)]));
  return value;
}

const str = (p: Record<string, unknown>, key: string) => String(p[key] ?? "");
const num = (p: Record<string, unknown>, key: string) => (typeof p[key] === "number" ? (p[key] as number) : undefined);
const optionalStr = (p: Record<string, unknown>, key: string) => (typeof p[key] === "string" ? (p[key] as string) : undefined);

/** A Glue API call made as the state machine's role; its response is the task's result. */
function crawlingCall(call: (p: Record<string, unknown>, attempt: TaskAttempt, crawling: GlueCrawling) => Promise<unknown>) {
  return (attempt: TaskAttempt, services: IntegrationServices) => {
    const p = (typeof attempt.parameters === "object" && attempt.parameters !== null ? attempt.parameters : {}) as Record<string, unknown>;
    return callTask(attempt, services, "glue", async () => {
      const crawling = services.glueCrawling;
      // A TaskFailure passes through as it is (the state fails with States.Runtime).
      if (!crawling) throw new TaskFailure("States.Runtime", `The state "${attempt.stateName}" (${attempt.resource.raw}) needs Glue's crawlers and Data Catalog, which this sandbox was started without`);
      return output(await call(p, attempt, crawling));
    });
  };
}

export const startCrawler = crawlingCall((p, a, c) => c.crawlers.startCrawler(a.principal, str(p, "Name")));
export const stopCrawler = crawlingCall((p, a, c) => c.crawlers.stopCrawler(a.principal, str(p, "Name")));
export const getCrawler = crawlingCall(async (p, a, c) => ({ Crawler: await c.crawlers.getCrawler(a.principal, str(p, "Name")) }));
export const getDatabase = crawlingCall(async (p, a, c) => ({ Database: await c.catalog.getDatabase(a.principal, str(p, "Name"), optionalStr(p, "CatalogId")) }));
export const getTable = crawlingCall(async (p, a, c) => ({ Table: await c.catalog.getTable(a.principal, str(p, "DatabaseName"), str(p, "Name"), optionalStr(p, "CatalogId")) }));
export const getTables = crawlingCall((p, a, c) =>
  c.catalog.getTables(a.principal, {
    databaseName: str(p, "DatabaseName"),
    expression: optionalStr(p, "Expression"),
    maxResults: num(p, "MaxResults"),
    nextToken: optionalStr(p, "NextToken"),
    catalogId: optionalStr(p, "CatalogId"),
  }),
);
