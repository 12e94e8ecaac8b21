// metric.last-seen on the real CloudWatch client (aws-sdk-client-mock): the time since a batch
// job's last successful run, read in the same GetMetricData as the tree's other metrics.
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { gatherAll, metric, ok, probe, requests, source } from '../../helpers/live-probes.js';

const cw = mockClient(CloudWatchClient);
const at = new Date('2026-03-04T11:15:00Z');
const now = () => at.getTime() + 60_000;
const hoursAgo = (h: number) => new Date(at.getTime() - h * 3_600_000);
const lastRun = probe({ kind: 'metric.last-seen', namespace: 'MangaAssist/Precompute', metric: 'precompute_job_success', period: 300, window: '48h' });

beforeEach(() => cw.reset());

describe('GIVEN the pre-computation job publishes a datapoint per run', () => {
  it('WHEN its runs were 30 h and 6 h ago THEN the card says 6 h, from the same GetMetricData as the other metrics', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'q0', StatusCode: 'Complete', Timestamps: [], Values: [] },
        // A failed run reports 0: not a run.
        { Id: 'q1', StatusCode: 'Complete', Timestamps: [hoursAgo(30), hoursAgo(6), hoursAgo(1)], Values: [1, 1, 0] },
      ],
    });
    const { evidence } = await gatherAll(source({ at, now }), requests({ conversion: metric('recommendation_to_purchase_rate'), 'last-run': lastRun }));
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    const input = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(input.StartTime).toEqual(hoursAgo(48));
    expect(input.MetricDataQueries![1]!.MetricStat).toMatchObject({ Metric: { MetricName: 'precompute_job_success' }, Period: 300, Stat: 'Sum' });
    expect(ok(evidence['last-run'])).toMatchObject({ value: 6, detail: 'last 6 h ago, in the 300 s period from 2026-03-04T05:15:00Z' });
  });

  it('WHEN the job has no datapoint in the window THEN no data: never run and misnamed look alike', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'q0', StatusCode: 'Complete', Timestamps: [hoursAgo(2)], Values: [0] }] });
    const { evidence } = await gatherAll(source({ at, now }), requests({ 'last-run': lastRun }));
    expect(evidence['last-run']).toEqual({ status: 'nodata', reason: 'no precompute_job_success datapoint above 0 in the last 48h: not run, or not this metric' });
  });
});
