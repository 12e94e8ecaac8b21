// DescribeAlarms through the live alarms port on the real SDK client (aws-sdk-client-mock):
// both alarm types asked for, every page followed, each alarm read into one shape.
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { alarmNameOf } from '../../../src/capabilities/cloudwatch/alarms.js';
import { createLiveAlarms } from '../../../src/capabilities/cloudwatch/alarms-live.js';
import { simulatedAlarms } from '../../../src/capabilities/cloudwatch/alarms-simulated.js';
import { createAws } from '../../../src/capabilities/aws.js';
import { iamPolicies } from '../../../src/capabilities/policies.js';

const cw = mockClient(CloudWatchClient);
const port = () => createLiveAlarms(createAws({ config: { region: 'ap-northeast-1' }, env: {} }));
const at = new Date('2026-03-04T11:15:00Z');

beforeEach(() => cw.reset());
afterAll(() => cw.restore());

describe('GIVEN alarms in ALARM across two pages, one of them composite', () => {
  beforeEach(() => {
    cw.on(DescribeAlarmsCommand, { NextToken: undefined }).resolves({
      MetricAlarms: [
        {
          AlarmName: 'first_token_p95',
          AlarmArn: 'arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:first_token_p95',
          StateValue: 'ALARM',
          StateUpdatedTimestamp: at,
          StateReason: 'Threshold Crossed: 10 datapoints were greater than the threshold (2000.0).',
          Namespace: 'MangaAssist/Streaming',
          MetricName: 'first_token_latency_ms',
          ExtendedStatistic: 'p95',
          Period: 60,
          Threshold: 2000,
          ComparisonOperator: 'GreaterThanThreshold',
        },
      ],
      NextToken: 'page2',
    });
    cw.on(DescribeAlarmsCommand, { NextToken: 'page2' }).resolves({
      MetricAlarms: [
        {
          AlarmName: 'cancel-ratio',
          StateValue: 'ALARM',
          Metrics: [
            { Id: 'e1', Expression: 'c / m' },
            { Id: 'c', MetricStat: { Metric: { Namespace: 'MangaAssist/Streaming', MetricName: 'stream_cancellations', Dimensions: [{ Name: 'Stage', Value: 'prod' }] }, Period: 3600, Stat: 'Sum' } },
          ],
        },
      ],
      CompositeAlarms: [{ AlarmName: 'chatbot-degraded', StateValue: 'ALARM', AlarmRule: 'ALARM("first_token_p95") OR ALARM("cancel-ratio")' }],
    });
  });

  it('WHEN the account is asked for its alarms in ALARM THEN every page is read, metric and composite alarms alike', async () => {
    const alarms = await port().inAlarm();
    expect(alarms.map((a) => [a.name, a.type])).toEqual([
      ['first_token_p95', 'metric'],
      ['cancel-ratio', 'metric'],
      ['chatbot-degraded', 'composite'],
    ]);
    expect(alarms[0]).toMatchObject({ stateUpdatedAt: at, threshold: { op: '>', value: 2000 }, metrics: [{ namespace: 'MangaAssist/Streaming', metric: 'first_token_latency_ms', stat: 'p95', period: 60, dimensions: {} }] });
    expect(alarms[1]!.metrics).toEqual([{ namespace: 'MangaAssist/Streaming', metric: 'stream_cancellations', dimensions: { Stage: 'prod' }, stat: 'Sum', period: 3600 }]);
    expect(alarms[2]!.rule).toContain('ALARM("first_token_p95")');
    const inputs = cw.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input);
    expect(inputs).toHaveLength(2);
    for (const input of inputs) expect(input).toMatchObject({ StateValue: 'ALARM', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
  });
});

describe('GIVEN an alarm asked for by name or ARN', () => {
  it('WHEN it exists THEN it is read; WHEN it does not THEN the answer is none', async () => {
    cw.on(DescribeAlarmsCommand, { AlarmNames: ['first_token_p95'] }).resolves({ MetricAlarms: [{ AlarmName: 'first_token_p95', StateValue: 'OK', MetricName: 'first_token_latency_ms' }] });
    cw.on(DescribeAlarmsCommand, { AlarmNames: ['nope'] }).resolves({ MetricAlarms: [], CompositeAlarms: [] });
    expect(alarmNameOf('arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:first_token_p95')).toBe('first_token_p95');
    expect((await port().byName('first_token_p95'))?.state).toBe('OK');
    expect(await port().byName('nope')).toBeUndefined();
  });
});

describe('GIVEN the drill world\'s alarms', () => {
  it('THEN only those in ALARM are listed, and one is found by name', async () => {
    const world = simulatedAlarms([{ name: 'a', type: 'metric', state: 'ALARM', metrics: [] }, { name: 'b', type: 'composite', state: 'OK', metrics: [] }]);
    expect((await world.inAlarm()).map((a) => a.name)).toEqual(['a']);
    expect((await world.byName('b'))?.state).toBe('OK');
  });
});

describe('GIVEN runbooks that declare alarms', () => {
  it('THEN the read policy allows DescribeAlarms on the account\'s alarms in the region, and only then', () => {
    const withAlarms = { probes: {}, nodes: {}, alarms: [{ metric: 'm' }] };
    const { reads } = iamPolicies([withAlarms], {}, { region: 'ap-northeast-1', account: '123456789012' });
    expect(reads.Statement).toContainEqual({ Sid: 'CloudWatchAlarms', Effect: 'Allow', Action: ['cloudwatch:DescribeAlarms'], Resource: ['arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:*'] });
    expect(iamPolicies([{ probes: {}, nodes: {} }], {}, { region: 'ap-northeast-1', account: '1' }).reads.Statement).toEqual([]);
  });
});
