// The regress probe: scenario 5's Mann-Whitney U between two adjacent windows of one metric —
// the `after` window ends at the walk's moment, the `before` window ends where `after` starts —
// judged by the stats module through the same comparison `mangaops regress` prints. Its value
// is the p-value, or the relative change of p95. In a walk both windows come out of the tree's
// one GetMetricData batch (one query spanning both); alone, through any SeriesSource.
import { z } from 'zod';
import { deferred } from '../../core/deferred.js';
import type { Evidence } from '../../core/evidence.js';
import { MangaopsError } from '../../core/errors.js';
import { durationMs } from '../../core/time.js';
import { assertDecidable, compareSamples } from '../../stats/compare.js';
import type { SeriesSource } from '../../stats/series-source.js';
import { duration, probeCommon, type ReadContext } from '../probe-kind.js';
import { statistics } from './metric.js';
import type { SeriesResult } from './port.js';

export const RegressProbe = deferred(() => z.strictObject({
  kind: z.literal('regress'),
  ...probeCommon,
  namespace: z.string(),
  metric: z.string(),
  dimensions: z.record(z.string(), z.string()).default({}),
  stat: z.enum(statistics),
  period: z.number().int().positive().default(60),
  /** The after window ends now; the before window ends where the after window starts. */
  before: duration.default('2h'),
  after: duration.default('1h'),
  alternative: z.enum(['greater', 'less', 'two-sided']).default('greater'),
  /** What the value is: the p-value or the relative change of p95 (0.33 = +33 %). */
  report: z.enum(['pValue', 'p95Change']).default('pValue'),
}));
export type RegressProbe = z.infer<typeof RegressProbe>;

export interface Window {
  from: Date;
  to: Date;
}

export function regressWindows(probe: RegressProbe, at: Date): { before: Window; after: Window } {
  const split = new Date(at.getTime() - durationMs(probe.after));
  return {
    before: { from: new Date(split.getTime() - durationMs(probe.before)), to: split },
    after: { from: split, to: at },
  };
}

/** The probe's value from two sample sets (drill samples, or two CloudWatch windows). */
export function regressionEvidence(probe: RegressProbe, before: number[], after: number[]): Evidence {
  try {
    assertDecidable(before.length, after.length, probe.alternative, 0.05);
  } catch (e) {
    if (e instanceof MangaopsError) return { status: 'nodata', reason: e.message };
    throw e;
  }
  const c = compareSamples(before, after, { alternative: probe.alternative });
  const pct = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)} %`);
  const detail = `p = ${c.test.pValue.toPrecision(2)} (${c.test.method}, ${probe.alternative}); p95 ${Math.round(c.before.p95)} → ${Math.round(c.after.p95)} (${pct(c.p95Change)}); n = ${before.length} vs ${after.length}`;
  // Before then after, so the card's sparkline shows the step the test is about.
  const series = [...before, ...after].map((v) => ({ v }));
  const drawn = { datapoints: series, inputs: true as const, detail };
  if (probe.report === 'pValue') return { status: 'ok', value: c.test.pValue, ...drawn };
  if (c.p95Change === null) return { status: 'nodata', reason: 'the before p95 is 0: no relative change' };
  return { status: 'ok', value: c.p95Change, ...drawn };
}

function withNote(evidence: Evidence, note: string | undefined, partial: boolean): Evidence {
  if (evidence.status !== 'ok' || (!note && !partial)) return evidence;
  const detail = [evidence.detail, partial ? 'CloudWatch returned PartialData: a window may be incomplete' : undefined, note].filter(Boolean).join('; ');
  return { ...evidence, ...(partial && { partial: true }), detail };
}

function judge(probe: RegressProbe, before: number[], after: number[]): Evidence {
  if (before.length === 0) return { status: 'nodata', reason: `no ${probe.metric} datapoints in the before window (${probe.before})` };
  if (after.length === 0) return { status: 'nodata', reason: `no ${probe.metric} datapoints in the after window (the last ${probe.after})` };
  return regressionEvidence(probe, before, after);
}

/** From the batch's series, which spans both windows. */
export function regressFromDatapoints(probe: RegressProbe, series: SeriesResult, ctx: Pick<ReadContext, 'at'>, note?: string): Evidence {
  if (series.status === 'Forbidden') return { status: 'error', reason: `CloudWatch refused ${probe.metric}: Forbidden` };
  const { before, after } = regressWindows(probe, ctx.at);
  const inside = (w: Window) => series.points.filter((p) => p.t! >= w.from.getTime() && p.t! < w.to.getTime()).map((p) => p.v);
  const evidence = judge(probe, inside(before), inside(after));
  return withNote(evidence, note, series.status === 'PartialData' || series.status === 'InternalError');
}

/** From any SeriesSource: one call per window. */
export async function regressFromSeries(probe: RegressProbe, source: SeriesSource, at: Date): Promise<Evidence> {
  const { before, after } = regressWindows(probe, at);
  const query = { namespace: probe.namespace, metric: probe.metric, dimensions: probe.dimensions, stat: probe.stat, period: probe.period };
  const [b, a] = await Promise.all([source.series(query, before.from, before.to), source.series(query, after.from, after.to)]);
  return judge(probe, b, a);
}
