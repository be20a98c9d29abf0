/**
 * How one crawl ended, as GetCrawler's LastCrawl reports it (Status SUCCEEDED | CANCELLED | FAILED, ErrorMessage),
 * and the one call a Glue workflow's trigger makes on the crawler engine: start the crawler, as a trigger does
 * (with the crawler's own role), and learn how the crawl ended.
 */
export interface CrawlOutcome {
  readonly State: "SUCCEEDED" | "FAILED" | "CANCELLED";
  readonly ErrorMessage?: string;
}

export interface CrawlStarter {
  /** Starts the named crawler and resolves when its crawl ends; rejects as StartCrawler would (e.g. CrawlerRunningException). */
  startCrawlFor(crawlerName: string): Promise<CrawlOutcome>;
}
