// The metric probe: one CloudWatch statistic over a window, reduced to the value a rule
// compares. A metric with no datapoints is no data, never 0.
import { z } from 'zod';
import { deferred } from '../../core/deferred.js';
import type { Evidence } from '../../core/evidence.js';
import { reduceSeries, reducers } from '../../stats/reduce.js';
import { duration, probeCommon, windowStart, windowText, type ReadContext } from '../probe-kind.js';
import type { SeriesResult } from './port.js';

export const statistics = ['p50', 'p90', 'p95', 'p99', 'Average', 'Sum', 'Maximum', 'Minimum', 'SampleCount'] as const;

export const MetricProbe = deferred(() => z.strictObject({
  kind: z.literal('metric'),
  ...probeCommon,
  namespace: z.string().min(1),
  metric: z.string().min(1),
  dimensions: z.record(z.string(), z.string()).default({}),
  stat: z.enum(statistics),
  /** Seconds per datapoint. */
  period: z.number().int().positive().default(60),
  /** How far back the evidence looks. */
  window: duration.default('10m'),
  reduce: z.enum(reducers).default('mean'),
}));
export type MetricProbe = z.infer<typeof MetricProbe>;

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

function joinNotes(notes: (string | undefined)[]): string | undefined {
  const kept = notes.filter((n): n is string => Boolean(n));
  return kept.length ? kept.join('; ') : undefined;
}

/** A metric probe's card from its query's series. */
export function metricEvidence(probe: MetricProbe, series: SeriesResult, period: number, ctx: Pick<ReadContext, 'at' | 'now'>, note?: string): Evidence {
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

const dims = (d: Record<string, string>) => Object.entries(d).map(([k, v]) => `${k}=${v}`).join(' ');

/** "MangaAssist/Streaming first_token_latency_ms {Model=haiku}" */
export function metricName(p: { namespace: string; metric: string; dimensions: Record<string, string> }): string {
  return `${p.namespace} ${p.metric}${Object.keys(p.dimensions).length ? ` {${dims(p.dimensions)}}` : ''}`;
}
