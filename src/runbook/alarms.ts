// Which runbook answers an alarm: each runbook's `alarms:` matchers against the alarm's name
// and the metrics it watches. Pure: `alarms`, `diagnose --alarm` and `on-alarm` read the alarm
// (DescribeAlarms, an EventBridge event, an SNS notification) and ask here.
import type { AlarmInfo, AlarmMetric } from '../capabilities/cloudwatch/alarms.js';
import type { AlarmMatcher, Runbook } from './schema.js';

/** The alarm as matching needs it: a composite alarm has a name and no metric. */
export type AlarmLike = Pick<AlarmInfo, 'name' | 'metrics'>;

export interface AlarmMatch {
  runbook: string;
  matcher: AlarmMatcher;
  /** How much of the alarm the matcher pinned down: more dimensions, then metric, then name. */
  score: number;
  /** What matched, for a reader: "metric MangaAssist/Streaming first_token_latency_ms", "name *first_token_p95*". */
  why: string;
}

/** `*` is any run of characters; everything else is literal, case-sensitive (as EventBridge's wildcard). */
export function namePattern(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function metricMatches(m: AlarmMatcher, metric: AlarmMetric): boolean {
  if (m.metric !== metric.metric) return false;
  if (m.namespace !== undefined && m.namespace !== metric.namespace) return false;
  return Object.entries(m.dimensions ?? {}).every(([k, v]) => metric.dimensions[k] === v);
}

export function metricText(m: Pick<AlarmMetric, 'namespace' | 'metric' | 'dimensions'>): string {
  const d = Object.entries(m.dimensions ?? {});
  return `${m.namespace ? `${m.namespace} ` : ''}${m.metric}${d.length ? ` {${d.map(([k, v]) => `${k}=${v}`).join(', ')}}` : ''}`;
}

/** One matcher against one alarm: undefined when it does not match. */
export function matchOne(m: AlarmMatcher, alarm: AlarmLike): Omit<AlarmMatch, 'runbook' | 'matcher'> | undefined {
  if (m.name !== undefined && !namePattern(m.name).test(alarm.name)) return undefined;
  if (m.metric !== undefined) {
    const metric = alarm.metrics.find((x) => metricMatches(m, x));
    if (!metric) return undefined;
    const score = 10 + Object.keys(m.dimensions ?? {}).length * 10 + (m.namespace ? 2 : 0) + (m.name ? 1 : 0);
    return { score, why: `metric ${metricText({ namespace: m.namespace, metric: m.metric, dimensions: m.dimensions ?? {} })}${m.name ? ` and name ${m.name}` : ''}` };
  }
  return { score: 1, why: `name ${m.name}` };
}

/**
 * Every runbook that answers the alarm, best first (its best matcher's score; ties by id).
 * The first is the one to walk; the others are said, so a reader sees the choice was made.
 */
export function runbooksForAlarm(runbooks: Pick<Runbook, 'id' | 'alarms'>[], alarm: AlarmLike): AlarmMatch[] {
  const matches: AlarmMatch[] = [];
  for (const rb of runbooks) {
    let best: AlarmMatch | undefined;
    for (const matcher of rb.alarms) {
      const m = matchOne(matcher, alarm);
      if (m && (!best || m.score > best.score)) best = { runbook: rb.id, matcher, ...m };
    }
    if (best) matches.push(best);
  }
  return matches.sort((a, b) => b.score - a.score || a.runbook.localeCompare(b.runbook));
}

/** The alarm's metric(s) in one line, or its rule for a composite alarm: what "no runbook" names. */
export function alarmWatches(alarm: Pick<AlarmInfo, 'metrics' | 'rule' | 'type'>): string {
  if (alarm.metrics.length) return alarm.metrics.map(metricText).join(', ');
  return alarm.rule ? `composite: ${alarm.rule}` : alarm.type === 'composite' ? 'a composite alarm' : 'no metric';
}

/**
 * The EventBridge event pattern for the runbooks' alarms entering ALARM: alarm names by
 * wildcard, or the metric names their matchers watch. A coarse filter — the function checks
 * each event against the full matchers (namespace, dimensions) before it walks anything.
 */
export function eventPattern(runbooks: Pick<Runbook, 'alarms'>[]): Record<string, unknown> {
  const names = new Set<string>();
  const metrics = new Set<string>();
  for (const rb of runbooks) {
    for (const m of rb.alarms) {
      if (m.metric !== undefined) metrics.add(m.metric);
      else if (m.name !== undefined) names.add(m.name);
    }
  }
  const or: Record<string, unknown>[] = [];
  if (names.size) or.push({ alarmName: [...names].sort().map((n) => (n.includes('*') ? { wildcard: n } : n)) });
  if (metrics.size) or.push({ configuration: { metrics: { metricStat: { metric: { name: [...metrics].sort() } } } } });
  return {
    source: ['aws.cloudwatch'],
    'detail-type': ['CloudWatch Alarm State Change'],
    detail: { state: { value: ['ALARM'] }, ...(or.length === 1 ? or[0] : { $or: or }) },
  };
}
