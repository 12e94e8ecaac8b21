// The regress probe live: the per-period values of one metric in two adjacent windows — the
// `after` window ends at the walk's moment, the `before` window ends where `after` starts —
// judged by the stats module (src/probes/regression.ts → Mann-Whitney U). In a walk both
// windows come out of the tree's one GetMetricData batch (one query spanning both); alone,
// through any SeriesSource (two calls).
import type { Evidence } from '../../engine/evidence.js';
import type { RegressionProbe } from '../../runbook/schema.js';
import type { SeriesSource } from '../../stats/series-source.js';
import { regressionEvidence } from '../regression.js';
import { durationMs } from './at.js';
import type { SeriesResult } from './cloudwatch.js';
import type { LiveContext } from './context.js';
import type { z } from 'zod';

type Regress = z.infer<typeof RegressionProbe>;

export interface Window {
  from: Date;
  to: Date;
}

export function regressWindows(probe: Regress, at: Date): { before: Window; after: Window } {
  const split = new Date(at.getTime() - durationMs(probe.after));
  return {
    before: { from: new Date(split.getTime() - durationMs(probe.before)), to: split },
    after: { from: split, to: at },
  };
}

function withNote(evidence: Evidence, note: string | undefined, partial: boolean): Evidence {
  if (evidence.status !== 'ok' || (!note && !partial)) return evidence;
  const detail = [evidence.detail, partial ? 'CloudWatch returned PartialData: a window may be incomplete' : undefined, note].filter(Boolean).join('; ');
  return { ...evidence, ...(partial && { partial: true }), detail };
}

function judge(probe: Regress, before: number[], after: number[]): Evidence {
  if (before.length === 0) return { status: 'nodata', reason: `no ${probe.metric} datapoints in the before window (${probe.before})` };
  if (after.length === 0) return { status: 'nodata', reason: `no ${probe.metric} datapoints in the after window (the last ${probe.after})` };
  return regressionEvidence(probe, before, after);
}

/** From the batch's series, which spans both windows. */
export function regressFromDatapoints(probe: Regress, series: SeriesResult, ctx: Pick<LiveContext, 'at'>, note?: string): Evidence {
  if (series.status === 'Forbidden') return { status: 'error', reason: `CloudWatch refused ${probe.metric}: Forbidden` };
  const { before, after } = regressWindows(probe, ctx.at);
  const inside = (w: Window) => series.points.filter((p) => p.t! >= w.from.getTime() && p.t! < w.to.getTime()).map((p) => p.v);
  const evidence = judge(probe, inside(before), inside(after));
  return withNote(evidence, note, series.status === 'PartialData' || series.status === 'InternalError');
}

/** From any SeriesSource: one call per window. */
export async function regressFromSeries(probe: Regress, source: SeriesSource, at: Date): Promise<Evidence> {
  const { before, after } = regressWindows(probe, at);
  const query = { namespace: probe.namespace, metric: probe.metric, dimensions: probe.dimensions, stat: probe.stat, period: probe.period };
  const [b, a] = await Promise.all([source.series(query, before.from, before.to), source.series(query, after.from, after.to)]);
  return judge(probe, b, a);
}
