// `mangaops alarms` and `diagnose --alarm` on mocked CloudWatch: the alarms in ALARM with the
// runbook that answers each, and a walk anchored at the alarm's state change.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAlarmsCommand, GetMetricDataCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/core/config.js';
import { findRunbook } from '../../src/runbook/catalog.js';
import { at, cw, dynamo, ecs, logs, mockAws, now, worldOf } from '../helpers/aws-world.js';
import { makeIo } from '../helpers/io.js';

const config = await loadConfig({ env: {} });
const env = () => ({ XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'mangaops-alarms-')), AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });

const firstToken: MetricAlarm = {
  AlarmName: 'first_token_p95',
  AlarmArn: 'arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:first_token_p95',
  StateValue: 'ALARM',
  StateUpdatedTimestamp: at,
  Namespace: 'MangaAssist/Streaming',
  MetricName: 'first_token_latency_ms',
  ExtendedStatistic: 'p95',
  Threshold: 2000,
  ComparisonOperator: 'GreaterThanThreshold',
};
const cpu: MetricAlarm = { AlarmName: 'ServerCpuTooHigh', StateValue: 'ALARM', StateUpdatedTimestamp: at, Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: 'i-0abc' }] };

beforeEach(() => {
  for (const m of [cw, ecs, dynamo, logs]) m.reset();
  cw.on(DescribeAlarmsCommand, { StateValue: 'ALARM' }).resolves({ MetricAlarms: [firstToken, cpu], CompositeAlarms: [{ AlarmName: 'chatbot-degraded', StateValue: 'ALARM', AlarmRule: 'ALARM("first_token_p95")' }] });
  cw.on(DescribeAlarmsCommand, { AlarmNames: ['first_token_p95'] }).resolves({ MetricAlarms: [firstToken] });
  cw.on(DescribeAlarmsCommand, { AlarmNames: ['ServerCpuTooHigh'] }).resolves({ MetricAlarms: [cpu] });
  cw.on(DescribeAlarmsCommand, { AlarmNames: ['gone'] }).resolves({ MetricAlarms: [] });
});

describe('mangaops alarms', () => {
  it('GIVEN three alarms in ALARM WHEN listed THEN each shows the runbook that answers it or "no runbook"', async () => {
    const t = makeIo({ env: env(), now, columns: 120 });
    expect(await main(['alarms'], t.io), t.err()).toBe(0);
    const lines = t.out().split('\n');
    expect(lines[0]).toMatch(/^ALARM\s+SINCE \(UTC\)\s+RUNBOOK\s+WATCHES/);
    expect(lines.find((l) => l.startsWith('first_token_p95'))).toMatch(/2026-03-04T11:15:00Z\s+first-token\s+MangaAssist\/Streaming first_token_latency_ms/);
    expect(lines.find((l) => l.startsWith('ServerCpuTooHigh'))).toMatch(/no runbook\s+AWS\/EC2 CPUUtilization \{InstanceId=i-0abc\}/);
    expect(lines.find((l) => l.startsWith('chatbot-degraded'))).toMatch(/no runbook\s+composite: ALARM\("first_token_p95"\)/);
    expect(t.err()).toContain('mangaops diagnose --alarm first_token_p95');
    expect(cw.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input).toMatchObject({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
  });

  it('GIVEN --json THEN one array on stdout with the runbook, what matched and the state change', async () => {
    const t = makeIo({ env: env(), now });
    expect(await main(['alarms', '--json'], t.io)).toBe(0);
    const rows = JSON.parse(t.out()) as { name: string; runbook: string | null; matchedBy: string | null; since: string; threshold: string | null }[];
    expect(rows[0]).toMatchObject({ name: 'first_token_p95', runbook: 'first-token', matchedBy: 'metric MangaAssist/Streaming first_token_latency_ms', since: '2026-03-04T11:15:00Z', threshold: '> 2000' });
    expect(rows[1]).toMatchObject({ name: 'ServerCpuTooHigh', runbook: null });
  });

  it('GIVEN CloudWatch denies DescribeAlarms THEN one line names the permission, exit 1', async () => {
    cw.reset();
    cw.on(DescribeAlarmsCommand).rejects(Object.assign(new Error('User is not authorized to perform: cloudwatch:DescribeAlarms'), { name: 'AccessDenied' }));
    const t = makeIo({ env: env(), now });
    expect(await main(['alarms'], t.io)).toBe(1);
    expect(t.err()).toMatch(/^mangaops: DescribeAlarms failed: AccessDenied/);
    expect(t.err()).toContain('cloudwatch:DescribeAlarms');
  });
});

describe('mangaops diagnose --alarm', () => {
  it('GIVEN the first-token alarm fired on cold connections WHEN diagnose --alarm runs THEN first-token is walked on evidence ending at the state change', async () => {
    const { runbook } = await findRunbook('first-token', config);
    const drill = runbook.drills.find((d) => d.name === 'cold-connections')!;
    mockAws(worldOf(runbook, drill).world);
    const t = makeIo({ env: env(), now });
    const code = await main(['diagnose', '--alarm', firstToken.AlarmArn!, '--auto', '--json'], t.io);
    const result = JSON.parse(t.out()) as { scenario: string; outcome: { id: string } };
    expect(result.scenario).toBe('first-token');
    expect(result.outcome.id).toBe('cold-connections');
    expect(code).toBe(0);
    expect(t.err().replace(/\s+/g, ' ')).toContain('alarm first_token_p95 is ALARM since 2026-03-04T11:15:00Z — runbook first-token: it answers metric MangaAssist/Streaming first_token_latency_ms; evidence as of 2026-03-04T11:15:00Z');
    const windowEnds = cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.EndTime!.getTime());
    expect(windowEnds).toHaveLength(1);
    expect(windowEnds[0]).toBeLessThanOrEqual(at.getTime());
  });

  it('GIVEN an alarm no runbook answers THEN it names the alarm\'s metric and lists the runbooks, exit 2, before any evidence', async () => {
    const t = makeIo({ env: env(), now });
    expect(await main(['diagnose', '--alarm', 'ServerCpuTooHigh', '--auto'], t.io)).toBe(2);
    expect(t.err()).toContain("mangaops: no runbook answers alarm 'ServerCpuTooHigh' (AWS/EC2 CPUUtilization {InstanceId=i-0abc})");
    expect(t.err()).toMatch(/runbooks: first-token, prompt-regression, prompt-rollout, rag-timeout, stale-precompute, websocket-drop/);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });

  it.each([
    [['diagnose', '--alarm', 'gone', '--auto'], "mangaops: no alarm named 'gone'"],
    [['diagnose', '--alarm', 'first_token_p95', '--at', '-1h', '--auto'], 'mangaops: --at and --alarm'],
    [['diagnose', '--auto'], 'mangaops: diagnose needs a scenario or --alarm'],
  ])('GIVEN %j (an alarm that does not exist, --at beside --alarm, neither scenario nor alarm) THEN a usage error naming it, exit 2', async (argv, message) => {
    const t = makeIo({ env: env(), now });
    expect(await main(argv, t.io)).toBe(2);
    expect(t.err().split('\n')[0]).toMatch(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});

describe('mangaops alarms --event-pattern', () => {
  it("prints the EventBridge pattern for the runbooks' alarms entering ALARM", async () => {
    const t = makeIo({ env: env(), now });
    expect(await main(['alarms', '--event-pattern'], t.io)).toBe(0);
    const pattern = JSON.parse(t.out()) as { source: string[]; detail: { state: unknown } };
    expect(pattern.source).toEqual(['aws.cloudwatch']);
    expect(pattern.detail.state).toEqual({ value: ['ALARM'] });
    expect(cw.calls()).toHaveLength(0);
  });
});
