// Every CloudWatch probe of a tree — metric and regress alike — in one GetMetricData request
// (split only past CloudWatch's 500 queries a request), paginated by NextToken, each query's
// id mapped back to the probes that asked for it. One time range serves the whole batch: it
// starts at the earliest window and ends at the walk's moment; each probe then keeps the
// datapoints of its own window. A metric with no datapoints is no data, never 0.
import type { CloudWatchClient, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { Aws, CloudWatchSdk, Sdk } from '../../aws/clients.js';
import { credentialsError, errorLine, errorName, isCredentialsError } from '../../aws/clients.js';
import type { Datapoint, Evidence } from '../../engine/evidence.js';
import { reduceSeries } from '../../engine/reduce.js';
import { MangaopsError } from '../../errors.js';
import type { Probe } from '../../runbook/schema.js';
import type { SeriesQuery, SeriesSource } from '../../stats/series-source.js';
import type { ProbeRequest } from '../port.js';
import { chunks, shared, windowStart, windowText, type LiveContext, type Pending } from './context.js';
import { regressWindows, regressFromDatapoints } from './regress.js';

/** CloudWatch's limit of metric queries in one GetMetricData request. */
export const MAX_QUERIES = 500;
/** A runaway NextToken loop stops here; what came so far is reported as partial. */
const MAX_PAGES = 50;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const HIGH_RES_PERIODS = [1, 5, 10, 20, 30];

/**
 * The period CloudWatch will answer for a request starting at `start` (MetricStat.Period):
 * 1, 5, 10, 20, 30 or a multiple of 60; a multiple of 60 once the start is more than 3 hours
 * ago, of 300 past 15 days, of 3600 past 63 days — otherwise it returns no datapoints for the
 * older part. A period is only ever raised, and the card says so.
 */
export function periodFor(requested: number, start: Date, now: Date): { period: number; note?: string } {
  let period = requested < 60 ? HIGH_RES_PERIODS.find((p) => p >= requested) ?? 60 : Math.ceil(requested / 60) * 60;
  const age = now.getTime() - start.getTime();
  const step = age > 63 * DAY ? 3600 : age > 15 * DAY ? 300 : age > 3 * HOUR ? 60 : 1;
  period = Math.ceil(period / step) * step;
  if (period === requested) return { period };
  const kept = step === 3600 ? '63 days' : step === 300 ? '15 days' : '3 hours';
  const why = requested % step !== 0 && step > 1 ? `CloudWatch keeps data older than ${kept} at ${step} s` : 'CloudWatch periods are 1, 5, 10, 20, 30 s or multiples of 60 s';
  return { period, note: `period ${requested} s read as ${period} s: ${why}` };
}

export interface SeriesResult {
  /** Oldest first. */
  points: Datapoint[];
  /** CloudWatch's StatusCode for the query after the last page: Complete, PartialData, InternalError, Forbidden. */
  status: string;
  messages: string[];
}

export interface MetricQuery {
  id: string;
  metric: SeriesQuery;
}

function toQuery({ id, metric }: MetricQuery): MetricDataQuery {
  return {
    Id: id,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: metric.namespace,
        MetricName: metric.metric,
        Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: metric.period,
      Stat: metric.stat,
    },
  };
}

async function fetchChunk(
  cw: Sdk<CloudWatchClient, CloudWatchSdk>,
  queries: MetricQuery[],
  start: Date,
  end: Date,
  signal: AbortSignal | undefined,
  out: Map<string, SeriesResult>,
): Promise<number> {
  let token: string | undefined;
  let pages = 0;
  const common: string[] = [];
  for (const q of queries) out.set(q.id, { points: [], status: 'Complete', messages: [] });
  do {
    const res = await cw.client.send(
      new cw.sdk.GetMetricDataCommand({
        MetricDataQueries: queries.map(toQuery),
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampAscending',
        ...(token && { NextToken: token }),
      }),
      { abortSignal: signal },
    );
    pages++;
    for (const m of res.Messages ?? []) common.push(`${m.Code ?? ''}: ${m.Value ?? ''}`.trim());
    for (const r of res.MetricDataResults ?? []) {
      const entry = r.Id && out.get(r.Id);
      if (!entry) continue;
      const ts = r.Timestamps ?? [];
      const vs = r.Values ?? [];
      for (let i = 0; i < Math.min(ts.length, vs.length); i++) entry.points.push({ t: new Date(ts[i]!).getTime(), v: vs[i]! });
      entry.status = r.StatusCode ?? entry.status;
      for (const m of r.Messages ?? []) entry.messages.push(`${m.Code ?? ''}: ${m.Value ?? ''}`.trim());
    }
    token = res.NextToken || undefined;
  } while (token && pages < MAX_PAGES);
  for (const entry of out.values()) {
    entry.points.sort((a, b) => a.t! - b.t!);
    entry.messages.push(...common);
    if (token) {
      entry.status = 'PartialData';
      entry.messages.push(`stopped after ${MAX_PAGES} pages`);
    }
  }
  return pages;
}

/**
 * GetMetricData for these queries over [start, end): ⌈queries/500⌉ requests in parallel,
 * each followed through its NextToken pages. Returns the series by query id.
 */
export async function getMetricData(
  cw: Sdk<CloudWatchClient, CloudWatchSdk>,
  queries: MetricQuery[],
  start: Date,
  end: Date,
  signal?: AbortSignal,
): Promise<Map<string, SeriesResult>> {
  const out = new Map<string, SeriesResult>();
  await Promise.all(chunks(queries, MAX_QUERIES).map((chunk) => fetchChunk(cw, chunk, start, end, signal, out)));
  return out;
}

type MetricProbe = Extract<Probe, { kind: 'metric' }>;
type CloudWatchProbe = Extract<Probe, { kind: 'metric' | 'regress' }>;

export function isCloudWatchProbe(probe: Probe): probe is CloudWatchProbe {
  return probe.kind === 'metric' || probe.kind === 'regress';
}

/** The earliest moment a CloudWatch probe looks at. */
function probeStart(probe: CloudWatchProbe, ctx: Pick<LiveContext, 'at'>): Date {
  return probe.kind === 'metric' ? windowStart(ctx, probe.window) : regressWindows(probe, ctx.at).before.from;
}

export interface Batch {
  start: Date;
  end: Date;
  queries: MetricQuery[];
  /** Probe id → query id and the period note, if the period had to change. */
  byProbe: Map<string, { query: string; period: number; note?: string }>;
}

/** One query per distinct (namespace, metric, dimensions, stat, period); ids q0, q1, … */
export function planBatch(requests: { id: string; probe: CloudWatchProbe }[], ctx: Pick<LiveContext, 'at' | 'now'>): Batch {
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

function joinNotes(notes: (string | undefined)[]): string | undefined {
  const kept = notes.filter((n): n is string => Boolean(n));
  return kept.length ? kept.join('; ') : undefined;
}

/** A metric probe's card from its query's series. */
export function metricEvidence(probe: MetricProbe, series: SeriesResult, period: number, ctx: Pick<LiveContext, 'at' | 'now'>, note?: string): Evidence {
  const from = windowStart(ctx, probe.window).getTime();
  const to = ctx.at.getTime();
  // Periods that overlap the window: CloudWatch stamps a datapoint with its period's start.
  const points = series.points.filter((p) => p.t! > from - period * 1000 && p.t! < to);
  const said = series.messages.length ? ` (${series.messages.join('; ')})` : '';
  if (series.status === 'Forbidden') return { status: 'error', reason: `CloudWatch refused ${probe.metric}: Forbidden${said}` };
  if (points.length === 0) {
    if (series.status === 'InternalError') return { status: 'error', reason: `CloudWatch InternalError for ${probe.metric}${said}` };
    const partial = series.status === 'PartialData' ? ' (CloudWatch said PartialData)' : '';
    return { status: 'nodata', reason: `no datapoints ${windowText(ctx, probe.window)}${partial}` };
  }
  const partial = series.status === 'PartialData' || series.status === 'InternalError';
  const value = reduceSeries(points.map((p) => p.v), probe.reduce)!;
  const detail = joinNotes([partial ? `CloudWatch returned ${series.status}: the series may be incomplete${said}` : undefined, note]);
  return { status: 'ok', value, datapoints: points, ...(partial && { partial: true }), ...(detail && { detail }) };
}

/** Every metric and regress probe of the gather, settled from one batch. */
export function gatherCloudWatch(requests: ProbeRequest[], ctx: LiveContext): Pending {
  const cw = requests.flatMap((r) => (isCloudWatchProbe(r.probe) ? [{ id: r.id, probe: r.probe, timeoutMs: r.timeoutMs }] : []));
  if (cw.length === 0) return new Map();
  const batch = planBatch(cw, ctx);
  // One request serves every probe: it may run as long as the most patient of them.
  const signal = ctx.signal(Math.max(...cw.map((r) => r.timeoutMs)));
  const work = (async () => {
    const client = await ctx.aws.cloudwatch();
    const series = await getMetricData(client, batch.queries, batch.start, batch.end, signal);
    const out = new Map<string, Evidence>();
    for (const { id, probe } of cw) {
      const { query, period, note } = batch.byProbe.get(id)!;
      const s = series.get(query) ?? { points: [], status: 'Complete', messages: [] };
      out.set(id, probe.kind === 'metric' ? metricEvidence(probe, s, period, ctx, note) : regressFromDatapoints(probe, s, ctx, note));
    }
    return out;
  })();
  return shared(cw.map((r) => r.id), work, 'cloudwatch:GetMetricData');
}

/**
 * The stats module's SeriesSource on CloudWatch: one GetMetricData for one metric over
 * [from, to), values oldest first; empty when CloudWatch has none. Errors are thrown as one
 * MangaopsError line (credentials: the same message as a walk's).
 */
export function cloudWatchSeries(aws: Aws, options: { now?: () => Date; signal?: AbortSignal } = {}): SeriesSource {
  return {
    async series(query: SeriesQuery, from: Date, to: Date): Promise<number[]> {
      const now = options.now?.() ?? new Date();
      const { period } = periodFor(query.period, from, now);
      try {
        const cw = await aws.cloudwatch();
        const res = await getMetricData(cw, [{ id: 'q0', metric: { ...query, period } }], from, to, options.signal);
        const s = res.get('q0')!;
        if (s.status === 'Forbidden' || (s.status === 'InternalError' && s.points.length === 0)) {
          throw new MangaopsError(`CloudWatch ${s.status} for ${query.namespace} ${query.metric}${s.messages.length ? `: ${s.messages.join('; ')}` : ''}`);
        }
        return s.points.filter((p) => p.t! >= from.getTime() && p.t! < to.getTime()).map((p) => p.v);
      } catch (error) {
        if (error instanceof MangaopsError) throw error;
        if (isCredentialsError(error)) throw credentialsError(error, aws);
        throw new MangaopsError(`cloudwatch:GetMetricData failed for ${query.namespace} ${query.metric}: ${errorName(error)}: ${errorLine(error)}`);
      }
    },
  };
}

