// Which runbook answers an alarm, from the shipped runbooks' own `alarms:` — the seed's alarm
// per scenario — and the EventBridge pattern the deploy template installs for them.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AlarmInfo } from '../../src/capabilities/cloudwatch/alarms.js';
import { loadConfig } from '../../src/core/config.js';
import { alarmWatches, eventPattern, namePattern, runbooksForAlarm } from '../../src/runbook/alarms.js';
import { loadAll } from '../../src/runbook/catalog.js';
import { AlarmMatcher } from '../../src/runbook/schema.js';
import { validate } from '../../src/commands/validate.js';
import { makeIo } from '../helpers/io.js';

const runbooks = (await loadAll(await loadConfig({ env: {} }))).map((l) => l.runbook);

function alarm(name: string, metrics: AlarmInfo['metrics'] = []): AlarmInfo {
  return { name, type: metrics.length ? 'metric' : 'composite', state: 'ALARM', metrics };
}
const metric = (namespace: string, name: string, dimensions: Record<string, string> = {}) => ({ namespace, metric: name, dimensions });

describe('GIVEN the shipped runbooks and their alarms', () => {
  it.each([
    ['MangaAssist/Streaming', 'first_token_latency_ms', {}, 'first-token'],
    ['MangaAssist/Orchestrator', 'parallel_rag_latency_ms', {}, 'rag-timeout'],
    ['MangaAssist/Streaming', 'stream_cancellations', {}, 'websocket-drop'],
    ['MangaAssist/Recommendations', 'recommendation_to_purchase_rate', {}, 'stale-precompute'],
    ['MangaAssist/Streaming', 'response_latency_ms', { Intent: 'recommendation' }, 'prompt-regression'],
  ])('WHEN an alarm watches %s %s THEN %s answers it', (ns, name, dims, expected) => {
    const [best, ...others] = runbooksForAlarm(runbooks, alarm('some-alarm', [metric(ns, name, dims)]));
    expect(best?.runbook).toBe(expected);
    expect(others).toEqual([]);
  });

  it('WHEN the metric is right but the namespace or a required dimension is not THEN no runbook answers', () => {
    expect(runbooksForAlarm(runbooks, alarm('x', [metric('Other/App', 'first_token_latency_ms')]))).toEqual([]);
    expect(runbooksForAlarm(runbooks, alarm('x', [metric('MangaAssist/Streaming', 'response_latency_ms', { Intent: 'faq' })]))).toEqual([]);
  });

  it('WHEN a composite alarm is named like the seed\'s alarm THEN the name pattern picks the runbook, and says so', () => {
    const [best] = runbooksForAlarm(runbooks, alarm('prod-first_token_p95-high'));
    expect(best).toMatchObject({ runbook: 'first-token', why: 'name *first_token_p95*' });
  });

  it('WHEN a metric-math alarm watches several metrics THEN the one a runbook declares picks it', () => {
    const [best] = runbooksForAlarm(runbooks, alarm('ratio', [metric('AWS/ApiGateway', 'MessageCount'), metric('MangaAssist/Streaming', 'stream_cancellations')]));
    expect(best?.runbook).toBe('websocket-drop');
  });

  it('WHEN two runbooks match THEN the more specific matcher (a metric over a name) comes first', () => {
    const both = [
      { id: 'by-name', alarms: [AlarmMatcher.parse({ name: 'latency-*' })] },
      { id: 'by-metric', alarms: [AlarmMatcher.parse({ namespace: 'A', metric: 'm' })] },
    ];
    expect(runbooksForAlarm(both, alarm('latency-high', [metric('A', 'm')])).map((m) => m.runbook)).toEqual(['by-metric', 'by-name']);
  });

  it('WHEN an alarm no runbook declares fires THEN nothing answers and its metric is named', () => {
    const cpu = alarm('ServerCpuTooHigh', [metric('AWS/EC2', 'CPUUtilization', { InstanceId: 'i-1' })]);
    expect(runbooksForAlarm(runbooks, cpu)).toEqual([]);
    expect(alarmWatches({ ...cpu })).toBe('AWS/EC2 CPUUtilization {InstanceId=i-1}');
  });
});

describe('GIVEN name patterns and matchers', () => {
  it('THEN * is any run of characters, the rest literal and case-sensitive', () => {
    expect(namePattern('*first_token_p95*').test('prod-first_token_p95')).toBe(true);
    expect(namePattern('*first_token_p95*').test('prod-FIRST_TOKEN_P95')).toBe(false);
    expect(namePattern('a.b').test('axb')).toBe(false);
  });

  it('THEN a matcher needs a name or a metric, and namespace only beside a metric', () => {
    expect(AlarmMatcher.safeParse({}).success).toBe(false);
    expect(AlarmMatcher.safeParse({ namespace: 'A' }).success).toBe(false);
    expect(AlarmMatcher.safeParse({ name: 'x', namespace: 'A' }).success).toBe(false);
  });

  it('THEN the EventBridge pattern takes ALARM transitions of the declared names and metrics', () => {
    const pattern = eventPattern(runbooks) as { detail: { state: unknown; $or: Record<string, unknown>[] } };
    expect(pattern.detail.state).toEqual({ value: ['ALARM'] });
    expect(pattern.detail.$or[0]).toEqual({ alarmName: [{ wildcard: '*first_token_p95*' }, { wildcard: '*parallel_rag_latency*' }, { wildcard: '*prompt-regression*' }, { wildcard: '*stream_cancellations*' }] });
    expect(JSON.stringify(pattern.detail.$or[1])).toContain('"first_token_latency_ms"');
  });
});

describe('GIVEN two runbooks that declare the same alarm', () => {
  it('THEN validate says an alarm would not know which to pick, at the second one\'s line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mangaops-alarms-lint-'));
    const good = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'runbooks', 'good.yaml'), 'utf8');
    const withAlarm = (id: string) => good.replace('id: tiny', `id: ${id}`).replace('root: alarm', 'alarms:\n  - { namespace: Test/NS, metric: latency_ms }\nroot: alarm');
    writeFileSync(join(dir, 'a.yaml'), withAlarm('tiny-a'));
    writeFileSync(join(dir, 'b.yaml'), withAlarm('tiny-b'));
    const t = makeIo();
    expect(await validate({ files: [join(dir, 'a.yaml'), join(dir, 'b.yaml')] }, t.io)).toBe(1);
    expect(t.out()).toMatch(/✗ .*b\.yaml:6 alarms\.0: tiny-a answers the same alarms/);
  });
});
