/** The cost table `sfn-lab cost` and the benchmark print, as text and as JSON. Pure. */
import { syncAddedSeconds } from "./latency";
import type { PatternCost } from "./pattern-cost";
import type { PriceTable } from "./price-table";

function money(amount: number): string {
  if (amount === 0) return "0";
  if (amount >= 1) return amount.toFixed(2);
  return amount.toPrecision(3);
}

function num(value: number, digits = 2): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

function seconds(value: number | undefined): string {
  return value === undefined ? "-" : `${num(value, 1)} s`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)];
}

function latencyText(cost: PatternCost): string {
  if (cost.wait === "sync") {
    return `.sync adds ${seconds(cost.syncAddedSeconds)} after a ${seconds(cost.glueRunSeconds)} run (mean ${seconds(cost.meanSyncAddedSeconds)}); a callback on the job's state-change event would add about ${seconds(cost.callbackAddedSeconds)}`;
  }
  if (cost.wait === "event") {
    return (
      `resumed ${seconds(cost.eventPathSeconds)} after the run ended (measured: the run's Glue Job State Change event, the rule's delivery ` +
      `to event-callback, its verification and SendTaskSuccess; on AWS add EventBridge's delivery, best effort with no published latency) ` +
      `where .sync would add ${seconds(cost.glueRunSeconds === undefined ? undefined : syncAddedSeconds(cost.glueRunSeconds))} for a ${seconds(cost.glueRunSeconds)} run; ` +
      "plus one event-callback invocation per run, outside the execution's history and not priced here"
    );
  }
  if (cost.wait === "callback") {
    return `resumes when the callback arrives: sent on the job's state-change event, about ${seconds(cost.callbackAddedSeconds)} after the run ends (here an operator sends it)`;
  }
  return "does not wait for the job: validation runs before the output exists";
}

/** Markdown tables: usage and cost per 1,000 runs of each pattern, then the completion latency each adds. */
export function formatCostReport(costs: readonly PatternCost[], prices: PriceTable): string {
  const c = prices.currency === "USD" ? "$" : `${prices.currency} `;
  const lines = [
    `Cost per 1,000 runs, ${prices.region} prices checked ${prices.checkedOn} (${prices.currency}; free tiers left out)`,
    "",
    ...table(
      ["pattern", "ends", "transitions", "Lambda requests", "Lambda GB-s", "Glue DPU-s", "Step Functions", "Lambda", "Glue", "total / 1,000 runs"],
      costs.map((p) => [
        p.pattern,
        [...new Set(p.statuses)].join("/"),
        num(p.perExecution.transitions),
        num(p.perExecution.lambdaRequests),
        p.perExecution.lambdaGbSeconds.toFixed(3),
        num(p.perExecution.glueDpuSeconds, 3),
        `${c}${money(p.per1000.stepFunctions)}`,
        `${c}${money(p.per1000.lambdaRequestsCost + p.per1000.lambdaDurationCost)}`,
        `${c}${money(p.per1000.glue)}`,
        `${c}${money(p.per1000.total)}`,
      ]),
    ),
    "",
    "Usage columns are per execution; money columns per 1,000 runs. Lambda GB-s use the time from TaskStarted to the",
    `function's answer (an upper bound of the billed duration). Glue Python shell bills at least ${prices.glue.pythonShellMinimumBilledSeconds} s per run; ` +
      `a Glue 5.0 Spark run (etlEngine spark) bills its workers x DPU at ${money(prices.glue.sparkPerDpuHour)} per DPU-hour, at least ${prices.glue.sparkMinimumBilledSeconds} s.`,
    "",
    "Completion latency the pattern adds after the Glue run ends (.sync: Step Functions polls a Glue run once a minute for",
    "10 minutes, then every 5 minutes; the Developer Guide gives no interval, this is AWS Support's answer on AWS re:Post,",
    "applied to the measured run time):",
    ...costs.map((p) => `- ${p.pattern}: ${latencyText(p)}`),
  ];
  return lines.join("\n");
}

/** The cost section of the benchmark's JSON: per pattern, cost per 1,000 runs and the latency figures. */
export function costJson(costs: readonly PatternCost[], prices: PriceTable): Record<string, unknown> {
  const round = (v: number | undefined, digits = 6) => (v === undefined ? null : Number(v.toFixed(digits)));
  return {
    region: prices.region,
    pricesCheckedOn: prices.checkedOn,
    currency: prices.currency,
    patterns: Object.fromEntries(
      costs.map((p) => [
        p.pattern,
        {
          status: [...new Set(p.statuses)].join("/"),
          transitions: round(p.perExecution.transitions, 2),
          lambdaRequests: round(p.perExecution.lambdaRequests, 2),
          lambdaGbSeconds: round(p.perExecution.lambdaGbSeconds),
          glueDpuSeconds: round(p.perExecution.glueDpuSeconds),
          costPer1000Runs: round(p.per1000.total),
          syncAddedSeconds: round(p.syncAddedSeconds, 1),
          callbackAddedSeconds: round(p.callbackAddedSeconds, 1),
          eventPathSeconds: round(p.eventPathSeconds, 1),
        },
      ]),
    ),
  };
}
