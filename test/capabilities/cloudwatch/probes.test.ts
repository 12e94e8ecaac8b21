import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { periodFor } from '../../../src/capabilities/cloudwatch/metric.js';
import { MAX_QUERIES } from '../../../src/capabilities/cloudwatch/port.js';
import { gatherAll, metric, minutes, ok, probe, requests, source } from '../../helpers/live-probes.js';

const cw = mockClient(CloudWatchClient);
const at = new Date('2026-03-04T11:15:30Z');
// The wall clock two minutes after `at`: a recent window, 60 s periods allowed.
const now = () => at.getTime() + 120_000;

beforeEach(() => cw.reset());
afterEach(() => cw.reset());

function inputs(): GetMetricDataCommandInput[] {
  return cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
}

describe('GIVEN the metric probes of a tree', () => {
  const probes = {
    'ftl-haiku': metric('first_token_latency_ms', { dimensions: { Model: 'haiku' }, reduce: 'latest' }),
    'ftl-sonnet': metric('first_token_latency_ms', { dimensions: { Model: 'sonnet' }, stat: 'p99', reduce: 'max' }),
    misrouted: metric('misrouted_intents', { namespace: 'MangaAssist/Orchestrator', stat: 'Sum', period: 300, window: '30m', reduce: 'sum' }),
    stream: probe({ kind: 'dynamodb.stream', table: 'inv' }),
  };

  it('WHEN gathered THEN one GetMetricData carries every query with its Stat, Dimensions and Period, over the widest window', async () => {
    const ts = minutes(at, 10);
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'q1', StatusCode: 'Complete', Timestamps: [...ts].reverse(), Values: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1000] },
        { Id: 'q0', StatusCode: 'Complete', Timestamps: ts, Values: [300, 310, 320, 330, 340, 350, 360, 370, 380, 390] },
        { Id: 'q2', StatusCode: 'Complete', Timestamps: minutes(at, 6, 300), Values: [0, 1, 0, 2, 0, 3] },
      ],
    });
    const src = source({ at, now });
    const { evidence } = await gatherAll(src, requests({ 'ftl-haiku': probes['ftl-haiku'], 'ftl-sonnet': probes['ftl-sonnet'], misrouted: probes.misrouted }));

    const calls = inputs();
    expect(calls).toHaveLength(1);
    const input = calls[0]!;
    expect(input.EndTime).toEqual(at);
    expect(input.StartTime).toEqual(new Date(at.getTime() - 30 * 60_000));
    expect(input.MetricDataQueries).toEqual([
      { Id: 'q0', ReturnData: true, MetricStat: { Metric: { Namespace: 'MangaAssist/Streaming', MetricName: 'first_token_latency_ms', Dimensions: [{ Name: 'Model', Value: 'haiku' }] }, Period: 60, Stat: 'p95' } },
      { Id: 'q1', ReturnData: true, MetricStat: { Metric: { Namespace: 'MangaAssist/Streaming', MetricName: 'first_token_latency_ms', Dimensions: [{ Name: 'Model', Value: 'sonnet' }] }, Period: 60, Stat: 'p99' } },
      { Id: 'q2', ReturnData: true, MetricStat: { Metric: { Namespace: 'MangaAssist/Orchestrator', MetricName: 'misrouted_intents', Dimensions: [] }, Period: 300, Stat: 'Sum' } },
    ]);
    // Ids map back to probes; datapoints oldest → newest; each probe's reducer applies.
    expect(ok(evidence['ftl-haiku']).value).toBe(390);
    expect(ok(evidence['ftl-sonnet']).value).toBe(1000);
    expect(ok(evidence['ftl-sonnet']).datapoints!.map((d) => d.v)).toEqual([1000, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ok(evidence['ftl-sonnet']).datapoints![0]!.t).toBe(ts[0]!.getTime());
    expect(ok(evidence.misrouted).value).toBe(6);
  });

  it('WHEN two probes read the same series THEN it is queried once and both cards get it', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'q0', StatusCode: 'Complete', Timestamps: minutes(at, 2), Values: [1, 2] }] });
    const { evidence } = await gatherAll(source({ at, now }), requests({ a: metric('x', { reduce: 'max' }), b: metric('x', { reduce: 'min' }) }));
    expect(inputs()[0]!.MetricDataQueries).toHaveLength(1);
    expect([ok(evidence.a).value, ok(evidence.b).value]).toEqual([2, 1]);
  });

  it('WHEN CloudWatch has no datapoints THEN the card is no data with the window, never 0', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'q0', StatusCode: 'Complete', Timestamps: [], Values: [] }] });
    const { evidence } = await gatherAll(source(), requests({ a: metric('quiet', { stat: 'Sum', reduce: 'sum' }) }));
    expect(evidence.a).toEqual({ status: 'nodata', reason: 'no datapoints in the last 10m' });
  });

  it('WHEN the walk is a replay (--at) THEN the no-data reason names the moment', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const { evidence } = await gatherAll(source({ at, now: () => at.getTime() + 2 * 3_600_000 }), requests({ a: metric('quiet') }));
    expect(evidence.a).toEqual({ status: 'nodata', reason: 'no datapoints in the 10m before 2026-03-04T11:15:30Z' });
  });

  it('WHEN a query comes back PartialData THEN the value stands and the card says partial', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'q0', StatusCode: 'PartialData', Timestamps: minutes(at, 3), Values: [5, 6, 7], Messages: [{ Code: 'MaxDatapointsExceeded', Value: 'too many' }] }],
    });
    const e = ok((await gatherAll(source({ at, now }), requests({ a: metric('x', { reduce: 'latest' }) }))).evidence.a);
    expect(e.value).toBe(7);
    expect(e.partial).toBe(true);
    expect(e.detail).toMatch(/PartialData.*MaxDatapointsExceeded/);
  });

  it('WHEN the answer is paginated THEN NextToken is followed and the pages joined per id', async () => {
    const ts = minutes(at, 4);
    cw.on(GetMetricDataCommand)
      .resolvesOnce({ NextToken: 'page-2', MetricDataResults: [{ Id: 'q0', StatusCode: 'PartialData', Timestamps: ts.slice(0, 2), Values: [1, 2] }] })
      .resolvesOnce({ MetricDataResults: [{ Id: 'q0', StatusCode: 'Complete', Timestamps: ts.slice(2), Values: [3, 4] }] });
    const e = ok((await gatherAll(source({ at, now }), requests({ a: metric('x', { reduce: 'sum' }) }))).evidence.a);
    const calls = inputs();
    expect(calls).toHaveLength(2);
    expect(calls[0]!.NextToken).toBeUndefined();
    expect(calls[1]!.NextToken).toBe('page-2');
    expect(e.value).toBe(10);
    expect(e.partial).toBeUndefined();
  });

  it(`WHEN a tree has 1200 metric queries THEN it takes ⌈1200/${MAX_QUERIES}⌉ = 3 requests, none over ${MAX_QUERIES}`, async () => {
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
      MetricDataResults: input.MetricDataQueries!.map((q) => ({ Id: q.Id, StatusCode: 'Complete', Timestamps: minutes(at, 1), Values: [Number(q.Id!.slice(1))] })),
    }));
    const many = Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`m${i}`, metric(`metric_${i}`)]));
    const { evidence } = await gatherAll(source({ at, now }), requests(many));
    const sizes = inputs().map((i) => i.MetricDataQueries!.length);
    expect(sizes).toEqual([500, 500, 200]);
    expect(ok(evidence.m0).value).toBe(0);
    expect(ok(evidence.m1199).value).toBe(1199);
  });

  it('WHEN a probe exceeds its timeout THEN it lands as no data with the reason, and the others do not wait for it', async () => {
    cw.on(GetMetricDataCommand).callsFake(() => new Promise((r) => setTimeout(() => r({ MetricDataResults: [] }), 1500)));
    const t0 = Date.now();
    const { evidence } = await gatherAll(source(), [
      { id: 'slow', probe: metric('x', { timeoutMs: 100 }), timeoutMs: 3000 },
    ]);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(evidence.slow).toEqual({ status: 'nodata', reason: 'no answer within 100 ms (probe timeout)' });
  });

  it('WHEN CloudWatch denies the call THEN every metric card says so in one line', async () => {
    const denied = Object.assign(new Error('User: arn:aws:iam::1:user/x is not authorized to perform: cloudwatch:GetMetricData'), { name: 'AccessDenied' });
    cw.on(GetMetricDataCommand).rejects(denied);
    const { evidence } = await gatherAll(source(), requests({ a: metric('x'), b: metric('y') }));
    for (const e of [evidence.a, evidence.b]) {
      expect(e!.status).toBe('error');
      expect(e!.status !== 'ok' && e!.reason).toMatch(/^cloudwatch:GetMetricData denied: .*not authorized.*iam-policy/);
    }
  });
});

describe('periodFor: CloudWatch retention rules', () => {
  const now = new Date('2026-03-04T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const H = 3_600_000;
  const D = 24 * H;
  it.each([
    [60, ago(10 * 60_000), 60],
    [1, ago(10 * 60_000), 1],
    [15, ago(10 * 60_000), 20],
    [90, ago(10 * 60_000), 120],
    [10, ago(4 * H), 60],
    [60, ago(14 * D), 60],
    [60, ago(16 * D), 300],
    [600, ago(16 * D), 600],
    [60, ago(64 * D), 3600],
    [300, ago(100 * D), 3600],
  ])('period %i s starting at %s → %i s', (requested, start, expected) => {
    expect(periodFor(requested, start, now).period).toBe(expected);
  });

  it('says why it raised a period', () => {
    expect(periodFor(60, ago(20 * D), now).note).toBe('period 60 s read as 300 s: CloudWatch keeps data older than 15 days at 300 s');
  });
});
