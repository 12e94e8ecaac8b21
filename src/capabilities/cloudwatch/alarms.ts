// The alarms port: CloudWatch DescribeAlarms, metric and composite alarms alike. `alarms`,
// `diagnose --alarm` and `on-alarm` read through it; the runbook that answers an alarm is
// chosen from what it says here (runbook/alarms.ts). The alarm as an EventBridge event or an
// SNS notification carries the same fields and is read into the same shape (alarm/event.ts).
import type { IamReads } from '../iam.js';

/** A metric an alarm watches (a metric alarm's own, or each of a metric-math alarm's). */
export interface AlarmMetric {
  namespace?: string;
  metric: string;
  dimensions: Record<string, string>;
  stat?: string;
  period?: number;
}

export interface AlarmInfo {
  name: string;
  arn?: string;
  type: 'metric' | 'composite';
  /** ALARM, OK or INSUFFICIENT_DATA. */
  state: string;
  /** When CloudWatch last updated the alarm's state (StateUpdatedTimestamp): where the evidence window ends. */
  stateUpdatedAt?: Date;
  reason?: string;
  description?: string;
  metrics: AlarmMetric[];
  /** A metric alarm's comparison: "> 2000". */
  threshold?: { op: string; value: number };
  /** A composite alarm's rule: ALARM("a") OR ALARM("b"). */
  rule?: string;
}

export interface AlarmsPort {
  /** Every alarm now in ALARM, metric and composite, every page followed. */
  inAlarm(signal?: AbortSignal): Promise<AlarmInfo[]>;
  /** One alarm by name; undefined when there is none. */
  byName(name: string, signal?: AbortSignal): Promise<AlarmInfo | undefined>;
}

const OPS: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '>=',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside the band',
  GreaterThanUpperThreshold: 'above the band',
  LessThanLowerThreshold: 'below the band',
};

/** CloudWatch's comparison operator as a reader says it: GreaterThanThreshold → ">". */
export function comparisonOp(operator: string | undefined): string | undefined {
  return operator === undefined ? undefined : OPS[operator] ?? operator;
}

/** An alarm ARN or name → its name: arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:X → X. */
export function alarmNameOf(nameOrArn: string): string {
  const m = /^arn:aws[\w-]*:cloudwatch:[^:]*:\d*:alarm:(.+)$/.exec(nameOrArn);
  return m ? m[1]! : nameOrArn;
}

/** DescribeAlarms is a read of alarms, scoped to the account's alarms in the region. */
export function alarmsIamReads(iam: Pick<IamReads, 'allow'>, where: { region: string; account: string }): void {
  iam.allow('CloudWatchAlarms', ['cloudwatch:DescribeAlarms'], [`arn:aws:cloudwatch:${where.region}:${where.account}:alarm:*`]);
}
