// The narrow port `regress` reads CloudWatch windows through. The live adapter (GetMetricData)
// lives with the other AWS probes; tests pass a fake. One call returns the per-period values of
// one statistic over [from, to), so the samples the test compares are periods, not requests.

/** One metric, as a runbook's `metric` or `regress` probe names it. */
export interface SeriesQuery {
  namespace: string;
  metric: string;
  dimensions: Record<string, string>;
  /** The CloudWatch statistic per period: p95, Average, … */
  stat: string;
  /** Seconds per datapoint. */
  period: number;
}

export interface SeriesSource {
  /** The datapoints' values in [from, to), oldest first; empty when CloudWatch has none. */
  series(query: SeriesQuery, from: Date, to: Date): Promise<number[]>;
}
