/** Cost section of the benchmark: the cost model over the executions the sandbox section recorded. */
import { byPattern } from "../cli/cost/records-file";
import { costOfPattern, type ExecutionRecord, type PatternCost } from "../cli/cost/pattern-cost";
import { loadPriceTable, type PriceTable } from "../cli/cost/price-table";

export interface CostResult {
  readonly prices: PriceTable;
  readonly patterns: readonly PatternCost[];
}

export function costFromRecords(records: readonly ExecutionRecord[]): CostResult {
  const prices = loadPriceTable();
  return { prices, patterns: [...byPattern(records).values()].map((group) => costOfPattern(group, prices)) };
}
