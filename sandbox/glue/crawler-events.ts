import type { CrawlSummary } from "./crawler-service";

/**
 * Glue's "Glue Crawler State Change" events (EventBridge user guide, "AWS Glue events": the Crawler Succeeded
 * and Crawler Failed examples): source aws.glue, resources [], and a detail whose values are all strings. A
 * cancelled crawl has no example there, so it sends no event.
 */
export const GLUE_CRAWLER_STATE_CHANGE = "Glue Crawler State Change";

export function glueCrawlerStateChange(summary: CrawlSummary, accountId: string, region: string): Record<string, string> | undefined {
  const logLink = `https://console.aws.amazon.com/cloudwatch/home?region=${region}#logEventViewer:group=/aws-glue/crawlers;stream=${summary.crawlerName}`;
  if (summary.outcome.State === "SUCCEEDED") {
    return {
      tablesCreated: String(summary.tablesCreated),
      warningMessage: "N/A",
      partitionsUpdated: "0",
      tablesUpdated: String(summary.tablesUpdated),
      message: "Crawler Succeeded",
      partitionsDeleted: String(summary.partitionsDeleted),
      accountId,
      "runningTime (sec)": String(Math.round((summary.completionDate.getTime() - summary.startTime.getTime()) / 1000)),
      tablesDeleted: String(summary.tablesDeleted),
      crawlerName: summary.crawlerName,
      completionDate: summary.completionDate.toISOString().replace(/\.\d{3}Z$/, "Z"),
      state: "Succeeded",
      partitionsCreated: String(summary.partitionsCreated),
      cloudWatchLogLink: logLink,
    };
  }
  if (summary.outcome.State === "FAILED") {
    return {
      crawlerName: summary.crawlerName,
      errorMessage: summary.outcome.ErrorMessage ?? "Internal Service Exception",
      accountId,
      cloudWatchLogLink: logLink,
      state: "Failed",
      message: "Crawler Failed",
    };
  }
  return undefined;
}
