// The metric.last-seen probe: how long ago a metric last had a datapoint above `above` — for a
// batch job that publishes one datapoint per successful run (scenario 4's nightly
// pre-computation: "last run 6 hours ago, expected < 24 hours"). Value: hours since the start
// of that datapoint's period. Read in the tree's one GetMetricData with the other metrics.
// No datapoint in the window is no data, never "a long time ago": a job that has not run and
// a misnamed metric look the same from here.
import { z } from 'zod';
import { deferred } from '../../core/deferred.js';
import type { Evidence } from '../../core/evidence.js';
import { fmtSpan, fmtTime, hoursOf } from '../../core/time.js';
import { duration, probeCommon, windowStart, windowText, type ReadContext } from '../probe-kind.js';
import { statistics } from './metric.js';
import type { SeriesResult } from './port.js';

export const LastSeenProbe = deferred(() => z.strictObject({
  kind: z.literal('metric.last-seen'),
  ...probeCommon,
  namespace: z.string().min(1),
  metric: z.string().min(1),
  dimensions: z.record(z.string(), z.string()).default({}),
  stat: z.enum(statistics).default('Sum'),
  period: z.number().int().positive().default(300),
  /** How far back to look for it. */
  window: duration.default('48h'),
  /** A datapoint counts when its value is above this (a job that reports 0 for a failed run). */
  above: z.number().default(0),
}));
export type LastSeenProbe = z.infer<typeof LastSeenProbe>;

export function lastSeenEvidence(probe: LastSeenProbe, series: SeriesResult, period: number, ctx: Pick<ReadContext, 'at' | 'now'>, note?: string): Evidence {
  const said = series.messages.length ? ` (${series.messages.join('; ')})` : '';
  if (series.status === 'Forbidden') return { status: 'error', reason: `CloudWatch refused ${probe.metric}: Forbidden${said}` };
  const from = windowStart(ctx, probe.window).getTime();
  const to = ctx.at.getTime();
  const seen = series.points.filter((p) => p.t! >= from - period * 1000 && p.t! < to && p.v > probe.above);
  if (seen.length === 0) {
    if (series.status === 'InternalError') return { status: 'error', reason: `CloudWatch InternalError for ${probe.metric}${said}` };
    const partial = series.status === 'PartialData' ? ' (CloudWatch said PartialData)' : '';
    return { status: 'nodata', reason: `no ${probe.metric} datapoint above ${probe.above} ${windowText(ctx, probe.window)}${partial}: not run, or not this metric` };
  }
  const latest = Math.max(...seen.map((p) => p.t!));
  const detail = [`last ${fmtSpan(to - latest)} ago, in the ${period} s period from ${fmtTime(latest)}`, note].filter(Boolean).join('; ');
  return { status: 'ok', value: hoursOf(to - latest), detail, ...(series.status === 'PartialData' && { partial: true }) };
}
