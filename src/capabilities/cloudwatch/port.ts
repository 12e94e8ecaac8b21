// The CloudWatch port: GetMetricData for a batch of metric queries over one time range. The
// probes (metric, regress), `regress --metric` and preflight all read through it.
import type { Datapoint } from '../../core/evidence.js';
import type { SeriesQuery } from '../../stats/series-source.js';

/** CloudWatch's limit of metric queries in one GetMetricData request. */
export const MAX_QUERIES = 500;

export interface MetricQuery {
  id: string;
  metric: SeriesQuery;
}

export interface SeriesResult {
  /** Oldest first. */
  points: Datapoint[];
  /** CloudWatch's StatusCode for the query after the last page: Complete, PartialData, InternalError, Forbidden. */
  status: string;
  messages: string[];
}

export interface CloudWatchPort {
  /**
   * The series of every query over [start, end): ⌈queries/500⌉ requests in parallel, each
   * followed through its NextToken pages; the series by query id.
   */
  getMetricData(queries: MetricQuery[], start: Date, end: Date, signal?: AbortSignal): Promise<Map<string, SeriesResult>>;
}
