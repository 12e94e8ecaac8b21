// The live alarms port on the SDK client of capabilities/aws.ts: DescribeAlarms for both
// alarm types (without AlarmTypes CloudWatch returns metric alarms only), NextToken followed.
import type { CompositeAlarm, DescribeAlarmsCommandInput, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { Aws } from '../aws.js';
import { comparisonOp, type AlarmInfo, type AlarmMetric, type AlarmsPort } from './alarms.js';

/** A runaway NextToken loop stops here. */
const MAX_PAGES = 50;

function dims(list: { Name?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).flatMap((d) => (d.Name ? [[d.Name, d.Value ?? '']] : [])));
}

function metricsOf(a: MetricAlarm): AlarmMetric[] {
  if (a.MetricName) {
    return [{ namespace: a.Namespace, metric: a.MetricName, dimensions: dims(a.Dimensions), stat: a.ExtendedStatistic ?? a.Statistic, period: a.Period }];
  }
  return (a.Metrics ?? []).flatMap((q) => {
    const m = q.MetricStat?.Metric;
    return m?.MetricName ? [{ namespace: m.Namespace, metric: m.MetricName, dimensions: dims(m.Dimensions), stat: q.MetricStat?.Stat, period: q.MetricStat?.Period }] : [];
  });
}

/** What metric and composite alarms both carry. */
function common(a: MetricAlarm | CompositeAlarm) {
  return { name: a.AlarmName ?? '?', arn: a.AlarmArn, state: a.StateValue ?? '?', stateUpdatedAt: a.StateUpdatedTimestamp, reason: a.StateReason, description: a.AlarmDescription };
}

export function fromMetricAlarm(a: MetricAlarm): AlarmInfo {
  const op = comparisonOp(a.ComparisonOperator);
  return {
    ...common(a),
    type: 'metric',
    metrics: metricsOf(a),
    ...(op && a.Threshold !== undefined && { threshold: { op, value: a.Threshold } }),
  };
}

export function fromCompositeAlarm(a: CompositeAlarm): AlarmInfo {
  return {
    ...common(a),
    type: 'composite',
    metrics: [],
    rule: a.AlarmRule,
  };
}

export function createLiveAlarms(aws: Pick<Aws, 'cloudwatch'>): AlarmsPort {
  async function describe(input: DescribeAlarmsCommandInput, signal?: AbortSignal): Promise<AlarmInfo[]> {
    const cw = await aws.cloudwatch();
    const out: AlarmInfo[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await cw.client.send(new cw.sdk.DescribeAlarmsCommand({ ...input, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], ...(token && { NextToken: token }) }), { abortSignal: signal });
      out.push(...(res.MetricAlarms ?? []).map(fromMetricAlarm), ...(res.CompositeAlarms ?? []).map(fromCompositeAlarm));
      token = res.NextToken || undefined;
    } while (token && ++pages < MAX_PAGES);
    return out;
  }
  return {
    inAlarm: (signal) => describe({ StateValue: 'ALARM', MaxRecords: 100 }, signal),
    async byName(name, signal) {
      return (await describe({ AlarmNames: [name] }, signal)).find((a) => a.name === name);
    },
  };
}
