// What a probe tells: a value with its datapoints, no data with a reason, or an error.
// The engine only ever sees this shape; where it came from (CloudWatch, a drill case) is
// the evidence source's business.
export interface Datapoint {
  /** Epoch milliseconds; absent for simulated series. */
  t?: number;
  v: number;
}

export type Value = number | boolean | string;

export type Evidence =
  | {
      status: 'ok';
      value: Value;
      datapoints?: Datapoint[];
      /**
       * The datapoints are what the value was computed from (a test's two samples), not the
       * value over time: the card draws them on their own scale, not stretched to the
       * value's threshold (a p-value's 0.05 on a latency axis says nothing).
       */
      inputs?: true;
      /** CloudWatch said PartialData: the value stands but the card says so. */
      partial?: boolean;
      /** One line of context, e.g. "p = 0.003, n = 60 vs 60". */
      detail?: string;
    }
  | { status: 'nodata'; reason: string }
  | { status: 'error'; reason: string };

export type EvidenceMap = Record<string, Evidence>;
