// Numbers and probes as a tired human reads them.
import type { Probe } from '../runbook/schema.js';
import type { Evidence } from '../engine/evidence.js';
import { formatNumber } from '../util/number.js';

export { formatNumber };


export function formatValue(v: number | boolean | string, unit?: string): string {
  if (typeof v !== 'number') return String(v);
  return unit ? `${formatNumber(v)} ${unit}` : formatNumber(v);
}

/** Where a probe's value comes from, in one line. */
export function describeProbe(p: Probe): string {
  const dims = (d: Record<string, string>) => Object.entries(d).map(([k, v]) => `${k}=${v}`).join(' ');
  switch (p.kind) {
    case 'metric':
      return `${p.namespace} ${p.metric}${Object.keys(p.dimensions).length ? ` {${dims(p.dimensions)}}` : ''} · ${p.stat} · ${p.period}s · last ${p.window} (${p.reduce})`;
    case 'regress':
      return `Mann-Whitney U on ${p.namespace} ${p.metric}${Object.keys(p.dimensions).length ? ` {${dims(p.dimensions)}}` : ''} ${p.stat}: last ${p.after} vs the ${p.before} before (${p.report})`;
    case 'ecs.service':
      return `ECS DescribeServices ${p.cluster}/${p.service} · ${p.field}${['recentDeployments', 'taskRestarts'].includes(p.field) ? ` in the last ${p.since}` : ''}`;
    case 'dynamodb.stream':
      return `DynamoDB DescribeTable ${p.table} · StreamSpecification.StreamEnabled`;
    case 'dynamodb.stock':
      return `DynamoDB BatchGetItem ${p.table} · out-of-stock recommended products`;
    case 'dynamodb.activations':
      return `DynamoDB ${p.table} · activations${p.intent ? ` of ${p.intent}` : ''} in the last ${p.since}`;
    case 'logs.count':
      return `Logs Insights ${p.logGroup} · count of ${p.filter} · last ${p.window}`;
  }
}

export function evidenceValue(e: Evidence | undefined, unit?: string): string {
  if (!e) return 'not gathered';
  if (e.status === 'ok') return formatValue(e.value, unit) + (e.partial ? ' (partial data)' : '');
  return `no data — ${e.reason}`;
}
