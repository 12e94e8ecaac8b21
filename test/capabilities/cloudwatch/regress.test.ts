import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAws } from '../../../src/capabilities/aws.js';
import { cloudWatchSeries } from '../../../src/capabilities/cloudwatch/series.js';
import { regressFromSeries, regressWindows } from '../../../src/capabilities/cloudwatch/regress.js';
import { gatherAll, ok, probe, requests, source } from '../../helpers/live-probes.js';

const cw = mockClient(CloudWatchClient);
const at = new Date('2026-03-04T06:00:00Z');
const now = () => at.getTime() + 60_000;
const regress = probe({ kind: 'regress', namespace: 'MangaAssist/Streaming', metric: 'response_latency_ms', dimensions: { Intent: 'recommendation' }, stat: 'p95', before: '2h', after: '1h' });

/** One value a minute over [from, to). */
function perMinute(from: Date, to: Date, value: (i: number) => number) {
  const ts: Date[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += 60_000) ts.push(new Date(t));
  return { Timestamps: ts, Values: ts.map((_, i) => value(i)) };
}

beforeEach(() => cw.reset());

describe('GIVEN a regress probe (scenario 5: recommendation p95 2400 → 3200 ms)', () => {
  const w = regressWindows(regress as never, at);
  const before = perMinute(w.before.from, w.before.to, (i) => 2400 + (i % 7) * 10);
  const after = perMinute(w.after.from, w.after.to, (i) => 3200 + (i % 5) * 10);

  it('WHEN gathered in a walk THEN one query spans both windows, and the per-minute values are split at the window edge and tested', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'q0', StatusCode: 'Complete', Timestamps: [...before.Timestamps, ...after.Timestamps], Values: [...before.Values, ...after.Values] }],
    });
    const e = ok((await gatherAll(source({ at, now }), requests({ r: regress }))).evidence.r);
    const input = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(input.StartTime).toEqual(new Date(at.getTime() - 3 * 3_600_000));
    expect(input.EndTime).toEqual(at);
    expect(input.MetricDataQueries).toHaveLength(1);
    expect(e.value).toBeLessThan(1e-10);
    expect(e.detail).toMatch(/n = 120 vs 60/);
  });

  it('WHEN the after window is empty THEN it is no data, not a p-value', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'q0', StatusCode: 'Complete', ...before }] });
    const { evidence } = await gatherAll(source({ at, now }), requests({ r: regress }));
    expect(evidence.r).toEqual({ status: 'nodata', reason: 'no response_latency_ms datapoints in the after window (the last 1h)' });
  });

  it('WHEN read through the SeriesSource adapter THEN each window is one GetMetricData and the values come back oldest first', async () => {
    cw.on(GetMetricDataCommand).callsFake((input) => {
      const which = input.StartTime.getTime() === w.before.from.getTime() ? before : after;
      return { MetricDataResults: [{ Id: 'q0', StatusCode: 'Complete', Timestamps: [...which.Timestamps].reverse(), Values: [...which.Values].reverse() }] };
    });
    const series = cloudWatchSeries(createAws({ env: {} }), { now: () => new Date(now()) });
    const e = ok(await regressFromSeries(regress as never, series, at));
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(2);
    expect(e.value).toBeLessThan(1e-10);
    const values = await series.series({ namespace: 'N', metric: 'm', dimensions: {}, stat: 'p95', period: 60 }, w.after.from, w.after.to);
    expect(values).toEqual(after.Values);
  });
});
