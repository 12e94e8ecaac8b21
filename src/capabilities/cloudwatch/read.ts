// Every CloudWatch probe of a tree — metric, metric.last-seen and regress alike — in one GetMetricData request
// (split only past CloudWatch's 500 queries a request), each query's id mapped back to the
// probes that asked for it. One time range serves the whole batch: it starts at the earliest
// window and ends at the walk's moment; each probe then keeps the datapoints of its own window.
import type { SeriesQuery } from '../../stats/series-source.js';
import { shared } from '../failure.js';
import { windowStart, type Reader, type ReadContext } from '../probe-kind.js';
import { lastSeenEvidence, type LastSeenProbe } from './last-seen.js';
import { metricEvidence, periodFor, type MetricProbe } from './metric.js';
import type { MetricQuery } from './port.js';
import { regressFromDatapoints, regressWindows, type RegressProbe } from './regress.js';

export type CloudWatchProbe = MetricProbe | LastSeenProbe | RegressProbe;

/** The earliest moment a CloudWatch probe looks at. */
function probeStart(probe: CloudWatchProbe, ctx: Pick<ReadContext, 'at'>): Date {
  return probe.kind === 'regress' ? regressWindows(probe, ctx.at).before.from : windowStart(ctx, probe.window);
}

export interface Batch {
  start: Date;
  end: Date;
  queries: MetricQuery[];
  /** Probe id → query id and the period note, if the period had to change. */
  byProbe: Map<string, { query: string; period: number; note?: string }>;
}

/** One query per distinct (namespace, metric, dimensions, stat, period); ids q0, q1, … */
function planBatch(requests: { id: string; probe: CloudWatchProbe }[], ctx: Pick<ReadContext, 'at' | 'now'>): Batch {
  const start = new Date(Math.min(...requests.map((r) => probeStart(r.probe, ctx).getTime())));
  const queries: MetricQuery[] = [];
  const seen = new Map<string, string>();
  const byProbe: Batch['byProbe'] = new Map();
  for (const { id, probe } of requests) {
    const { period, note } = periodFor(probe.period, start, ctx.now);
    const metric: SeriesQuery = { namespace: probe.namespace, metric: probe.metric, dimensions: probe.dimensions, stat: probe.stat, period };
    const key = JSON.stringify([metric.namespace, metric.metric, Object.entries(metric.dimensions).sort(), metric.stat, period]);
    let qid = seen.get(key);
    if (!qid) {
      qid = `q${queries.length}`;
      seen.set(key, qid);
      queries.push({ id: qid, metric });
    }
    byProbe.set(id, { query: qid, period, ...(note && { note }) });
  }
  return { start, end: ctx.at, queries, byProbe };
}

export const metricDataReader: Reader<CloudWatchProbe> = {
  read(requests, ctx) {
    if (requests.length === 0) return new Map();
    const batch = planBatch(requests, ctx);
    // One request serves every probe: it may run as long as the most patient of them.
    const signal = ctx.signal(Math.max(...requests.map((r) => r.timeoutMs)));
    const work = (async () => {
      const cw = await ctx.ports.cloudwatch();
      const series = await cw.getMetricData(batch.queries, batch.start, batch.end, signal);
      return new Map(
        requests.map(({ id, probe }) => {
          const { query, period, note } = batch.byProbe.get(id)!;
          const s = series.get(query) ?? { points: [], status: 'Complete', messages: [] };
          if (probe.kind === 'metric') return [id, metricEvidence(probe, s, period, ctx, note)];
          if (probe.kind === 'metric.last-seen') return [id, lastSeenEvidence(probe, s, period, ctx, note)];
          return [id, regressFromDatapoints(probe, s, ctx, note)];
        }),
      );
    })();
    return shared(requests.map((r) => r.id), work, 'cloudwatch:GetMetricData');
  },
};
