// The alarm event `on-alarm` takes, in the two shapes AWS delivers it: an EventBridge
// "CloudWatch Alarm State Change" event, or an SNS notification whose Message is CloudWatch's
// alarm JSON (as a Lambda subscribed to the topic receives it: Records[].Sns.Message). Both
// become the same AlarmEvent; anything else is a usage error that says what was expected.
import { comparisonOp, type AlarmInfo, type AlarmMetric } from '../capabilities/cloudwatch/alarms.js';
import { UsageError } from '../core/errors.js';

export interface AlarmEvent {
  /** The alarm as it stands after the transition: state, reason, metrics, threshold. */
  alarm: AlarmInfo;
  previousState?: string;
  /** When the state changed: with the alarm, what makes a delivery a duplicate. */
  stateChangedAt: Date;
  region?: string;
  account?: string;
  via: 'eventbridge' | 'sns';
}

const EXPECTED = 'give an EventBridge "CloudWatch Alarm State Change" event, or an SNS notification of a CloudWatch alarm (Records[].Sns.Message)';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** CloudWatch writes 2019-10-01T13:56:40.987+0000; Date.parse takes it. */
function time(v: unknown, what: string): Date {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw new UsageError(`the alarm event has no readable ${what} (${JSON.stringify(v) ?? 'missing'})`, EXPECTED);
  return new Date(t);
}

function regionOfArn(arn: string | undefined): string | undefined {
  return arn?.split(':')[3] || undefined;
}

// ── EventBridge ──────────────────────────────────────────────────────────────────────

function eventBridgeMetrics(configuration: Json | undefined): AlarmMetric[] {
  const metrics = Array.isArray(configuration?.metrics) ? configuration.metrics : [];
  return metrics.flatMap((m) => {
    const stat = obj(obj(m)?.metricStat);
    const metric = obj(stat?.metric);
    const name = str(metric?.name);
    if (!name) return [];
    const dims = obj(metric?.dimensions) ?? {};
    return [{ namespace: str(metric?.namespace), metric: name, dimensions: Object.fromEntries(Object.entries(dims).map(([k, v]) => [k, String(v)])), stat: str(stat?.stat), period: num(stat?.period) }];
  });
}

/** The threshold from the state's reasonData ({"threshold": 2000.0, …}), when CloudWatch gives one. */
function thresholdFromReason(reasonData: unknown, reason: string | undefined): AlarmInfo['threshold'] {
  let data: Json | undefined;
  try {
    data = typeof reasonData === 'string' ? obj(JSON.parse(reasonData)) : undefined;
  } catch {
    data = undefined;
  }
  const value = num(data?.threshold);
  if (value === undefined) return undefined;
  const op = /was not/.test(reason ?? '') ? undefined : /greater than or equal/.test(reason ?? '') ? '>=' : /greater than/.test(reason ?? '') ? '>' : /less than or equal/.test(reason ?? '') ? '<=' : /less than/.test(reason ?? '') ? '<' : undefined;
  return op ? { op, value } : undefined;
}

function fromEventBridge(e: Json): AlarmEvent {
  const detail = obj(e.detail);
  const name = str(detail?.alarmName);
  const state = obj(detail?.state);
  if (!detail || !name || !state) throw new UsageError('the EventBridge event has no detail.alarmName and detail.state', EXPECTED);
  const configuration = obj(detail.configuration);
  const arn = Array.isArray(e.resources) ? str(e.resources[0]) : undefined;
  const metrics = eventBridgeMetrics(configuration);
  const reason = str(state.reason);
  const stateChangedAt = time(state.timestamp, 'detail.state.timestamp');
  const alarm: AlarmInfo = {
    name,
    arn,
    type: str(configuration?.alarmRule) ? 'composite' : 'metric',
    state: str(state.value) ?? '?',
    stateUpdatedAt: stateChangedAt,
    reason,
    description: str(configuration?.description),
    metrics,
    rule: str(configuration?.alarmRule),
  };
  const threshold = thresholdFromReason(state.reasonData, reason);
  if (threshold) alarm.threshold = threshold;
  return { alarm, previousState: str(obj(detail.previousState)?.value), stateChangedAt, region: str(e.region) ?? regionOfArn(arn), account: str(e.account), via: 'eventbridge' };
}

// ── SNS ──────────────────────────────────────────────────────────────────────────────

function snsDims(list: unknown): Record<string, string> {
  // CloudWatch writes them lower-case here: [{"value": "i-1", "name": "InstanceId"}].
  return Object.fromEntries((Array.isArray(list) ? list : []).flatMap((d) => {
    const o = obj(d);
    const k = str(o?.name) ?? str(o?.Name);
    return k ? [[k, String(o?.value ?? o?.Value ?? '')]] : [];
  }));
}

function snsMetrics(trigger: Json | undefined): AlarmMetric[] {
  const name = str(trigger?.MetricName);
  if (name) return [{ namespace: str(trigger?.Namespace), metric: name, dimensions: snsDims(trigger?.Dimensions), stat: str(trigger?.ExtendedStatistic) ?? str(trigger?.Statistic), period: num(trigger?.Period) }];
  const metrics = Array.isArray(trigger?.Metrics) ? trigger.Metrics : [];
  return metrics.flatMap((m) => {
    const stat = obj(obj(m)?.MetricStat);
    const metric = obj(stat?.Metric);
    const n = str(metric?.MetricName);
    return n ? [{ namespace: str(metric?.Namespace), metric: n, dimensions: snsDims(metric?.Dimensions), stat: str(stat?.Stat), period: num(stat?.Period) }] : [];
  });
}

/** CloudWatch's alarm notification, the JSON inside an SNS Message. */
function fromAlarmNotification(m: Json): AlarmEvent {
  const name = str(m.AlarmName);
  if (!name || !str(m.NewStateValue)) throw new UsageError('the SNS message is not a CloudWatch alarm notification (no AlarmName and NewStateValue)', EXPECTED);
  const trigger = obj(m.Trigger);
  const arn = str(m.AlarmArn);
  const stateChangedAt = time(m.StateChangeTime, 'StateChangeTime');
  const op = comparisonOp(str(trigger?.ComparisonOperator));
  const value = num(trigger?.Threshold);
  const alarm: AlarmInfo = {
    name,
    arn,
    type: str(m.AlarmRule) ? 'composite' : 'metric',
    state: str(m.NewStateValue)!,
    stateUpdatedAt: stateChangedAt,
    reason: str(m.NewStateReason),
    description: str(m.AlarmDescription),
    metrics: snsMetrics(trigger),
    rule: str(m.AlarmRule),
    ...(op && value !== undefined && { threshold: { op, value } }),
  };
  // Region here is a display name ("Asia Pacific (Tokyo)"): the ARN's is the one AWS takes.
  return { alarm, previousState: str(m.OldStateValue), stateChangedAt, region: regionOfArn(arn), account: str(m.AWSAccountId), via: 'sns' };
}

function fromSnsRecord(r: unknown): AlarmEvent {
  const message = str(obj(obj(r)?.Sns)?.Message);
  if (!message) throw new UsageError('an SNS record without Sns.Message', EXPECTED);
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw new UsageError('the SNS message is not JSON, so not a CloudWatch alarm notification', EXPECTED);
  }
  return fromAlarmNotification(obj(parsed) ?? {});
}

/** Every alarm transition in one delivery: an EventBridge event is one, an SNS batch may hold several. */
export function parseAlarmEvent(input: unknown): AlarmEvent[] {
  const e = obj(input);
  if (!e) throw new UsageError('the alarm event is not a JSON object', EXPECTED);
  if (e['detail-type'] === 'CloudWatch Alarm State Change' || (e.source === 'aws.cloudwatch' && obj(e.detail))) return [fromEventBridge(e)];
  if (Array.isArray(e.Records)) {
    if (e.Records.length === 0) throw new UsageError('the SNS notification has no records', EXPECTED);
    return e.Records.map(fromSnsRecord);
  }
  // The Message alone, as saved from an email or the console.
  if (str(e.AlarmName)) return [fromAlarmNotification(e)];
  if (typeof e['detail-type'] === 'string') throw new UsageError(`an EventBridge "${e['detail-type']}" event is not an alarm state change`, EXPECTED);
  throw new UsageError('not a CloudWatch alarm event', EXPECTED);
}

/** The text of an event file or stdin as JSON; a usage error naming where it came from. */
export function readAlarmEventText(text: string, where: string): AlarmEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${where} is not JSON: ${(e as Error).message}`, EXPECTED);
  }
  return parseAlarmEvent(json);
}
