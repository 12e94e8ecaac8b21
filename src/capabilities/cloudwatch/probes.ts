// CloudWatch's probe kinds: metric, metric.last-seen and regress, read together in one GetMetricData.
import type { Evidence } from '../../core/evidence.js';
import { fmtSpan } from '../../core/time.js';
import { reduceSeries } from '../../stats/reduce.js';
import { defineProbeKind, simulateScalar } from '../probe-kind.js';
import { LastSeenProbe } from './last-seen.js';
import { MetricProbe, metricName } from './metric.js';
import { metricDataReader } from './read.js';
import { RegressProbe, regressionEvidence } from './regress.js';

// GetMetricData takes no resource: it is "*" or nothing.
const iamReads = (_: unknown, iam: { allow(sid: string, actions: string[], resources: string[]): void }) => iam.allow('CloudWatchMetricData', ['cloudwatch:GetMetricData'], ['*']);

// Preflight looks back a day at hourly datapoints: a metric with none in a day is most likely
// a typo in its namespace, name or dimensions, not a quiet hour.
const noDatapoints = (e: Evidence) =>
  e.status === 'nodata' && /^no .*datapoints/.test(e.reason) ? { status: 'not found' as const, detail: 'no datapoints in the last 24 h: check namespace, metric and dimensions' } : undefined;

export const metricKind = defineProbeKind({
  kind: 'metric',
  schema: MetricProbe,
  describe: (p) => `${metricName(p)} · ${p.stat} · ${p.period}s · last ${p.window} (${p.reduce})`,
  iamReads,
  simulate(probe, sim) {
    if (!Array.isArray(sim)) return simulateScalar(sim);
    return { status: 'ok', value: reduceSeries(sim, probe.reduce)!, datapoints: sim.map((v) => ({ v })) };
  },
  reader: metricDataReader,
  preflight: { widen: (p) => ({ ...p, window: '1d', period: 3600 }), judge: noDatapoints },
});

export const regressKind = defineProbeKind({
  kind: 'regress',
  schema: RegressProbe,
  describe: (p) => `Mann-Whitney U on ${metricName(p)} ${p.stat}: last ${p.after} vs the ${p.before} before (${p.report})`,
  iamReads,
  simulate(probe, sim) {
    if (sim !== undefined && typeof sim === 'object' && 'before' in sim) return regressionEvidence(probe, sim.before, sim.after);
    return simulateScalar(sim);
  },
  reader: metricDataReader,
  preflight: { widen: (p) => ({ ...p, period: 3600, before: '23h', after: '1h' }), judge: noDatapoints },
});

export const lastSeenKind = defineProbeKind({
  kind: 'metric.last-seen',
  schema: LastSeenProbe,
  describe: (p) => `${metricName(p)} · ${p.stat} · ${p.period}s · latest datapoint above ${p.above} in the last ${p.window}`,
  iamReads,
  simulate(_, sim) {
    const e = simulateScalar(sim);
    return e.status === 'ok' && typeof e.value === 'number' ? { ...e, detail: `last ${fmtSpan(e.value * 3_600_000)} ago` } : e;
  },
  reader: metricDataReader,
  preflight: { judge: noDatapoints },
});
