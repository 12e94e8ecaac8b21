// The CloudWatch Logs port: a Logs Insights query started, polled and stopped.

export interface QueryResults {
  /** Scheduled, Running, Complete, Failed, Cancelled, Timeout, Unknown. */
  status: string;
  /** The first result row's fields. */
  row: Record<string, string>;
  recordsScanned: number;
}

export interface LogsPort {
  /** StartQuery over [start, end] (whole seconds); the query id. */
  startQuery(input: { logGroup: string; start: Date; end: Date; query: string }, signal?: AbortSignal): Promise<string | undefined>;
  getQueryResults(queryId: string, signal?: AbortSignal): Promise<QueryResults>;
  stopQuery(queryId: string, signal?: AbortSignal): Promise<void>;
}
