// `mangaops on-alarm` end to end on mocked AWS: alarm event fixtures (EventBridge and SNS; into
// ALARM, out of it, delivered twice) in; the first-token runbook walked on the mocked account as
// of the state change; the journal; one message to a local stand-in for the chat webhook.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/core/config.js';
import { readJournal } from '../../src/journal/journal.js';
import { findRunbook } from '../../src/runbook/catalog.js';
import { at, cw, dynamo, ecs, logs, mockAws, now, worldOf } from '../helpers/aws-world.js';
import { makeIo } from '../helpers/io.js';
import { startWebhook, WEBHOOK_SECRET, type WebhookStandin } from '../helpers/webhook-standin.js';

const config = await loadConfig({ env: {} });
const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', 'alarms', name);
let webhook: WebhookStandin;

beforeAll(async () => {
  webhook = await startWebhook();
});
afterAll(() => webhook.close());
beforeEach(() => {
  for (const m of [cw, ecs, dynamo, logs]) m.reset();
  webhook.posts.length = 0;
  webhook.respond.length = 0;
});

function stateDir() {
  return mkdtempSync(join(tmpdir(), 'mangaops-on-alarm-'));
}
function envFor(state: string, extra: Record<string, string> = {}) {
  return { XDG_STATE_HOME: state, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', MANGAOPS_WEBHOOK_URL: webhook.url, ...extra };
}

async function play(name: string) {
  const { runbook } = await findRunbook('first-token', config);
  mockAws(worldOf(runbook, runbook.drills.find((d) => d.name === name)!).world);
}

/** The orchestrator service as ECS answers it; UpdateService moves its counts (verify sees them at once). */
function mockOrchestrator() {
  const td = 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/orchestrator:12';
  let count = 4;
  ecs.on(UpdateServiceCommand).callsFake((input: { desiredCount?: number }) => {
    count = input.desiredCount ?? count;
    return { service: { serviceName: 'orchestrator', desiredCount: count } };
  });
  ecs.on(DescribeServicesCommand).callsFake(() => ({
    services: [{ serviceName: 'orchestrator', status: 'ACTIVE', desiredCount: count, runningCount: count, pendingCount: 0, taskDefinition: td, deployments: [{ status: 'PRIMARY', taskDefinition: td, desiredCount: count, runningCount: count, rolloutState: 'COMPLETED' }] }],
  }));
  ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: td, family: 'orchestrator', revision: 12, containerDefinitions: [{ name: 'orchestrator', image: 'orchestrator:latest', environment: [{ name: 'BEDROCK_POOL_SIZE', value: '5' }] }] }, tags: [] });
  ecs.on(ListTasksCommand).resolves({ taskArns: [] });
  ecs.on(DescribeTasksCommand).resolves({ tasks: [] });
}

describe('GIVEN the first-token alarm enters ALARM on cold connections (EventBridge)', () => {
  it('THEN the runbook is walked as of the state change, journaled, and ONE message with the diagnosis, its evidence and the resume command reaches the webhook; a redelivery does nothing', async () => {
    await play('cold-connections');
    const state = stateDir();
    const t = makeIo({ env: envFor(state), now });
    const code = await main(['on-alarm', '--event', fixture('eventbridge-first-token-alarm.json'), '--json'], t.io);
    expect(code, t.err()).toBe(0);
    const { handled } = JSON.parse(t.out()) as { handled: { status: string; incident: string; journal: string; outcome: { id: string }; held: { action: string }[]; postedTo: string }[] };
    const h = handled[0]!;
    expect(h).toMatchObject({ status: 'pre-diagnosed', outcome: { id: 'cold-connections' }, postedTo: webhook.url.split('/')[2] });
    expect(h.held.map((f) => f.action)).toEqual(['ecs.exec', 'ecs.set-env', 'ecs.scale']);

    // One message, Slack's shape, saying what the engineer needs.
    expect(webhook.posts).toHaveLength(1);
    expect(webhook.posts[0]!.contentType).toBe('application/json');
    const said = webhook.said();
    expect(said).toContain('first_token_p95 is in ALARM');
    expect(said).toContain('MangaAssist/Streaming first_token_latency_ms &gt; 2000) in ALARM since 2026-03-04T11:15:00Z');
    expect(said).toContain('*Pre-diagnosis:* Root Cause A confirmed: Cold connections to Bedrock');
    const evidence = said.split('*Evidence*\n')[1]!.split('\n').slice(0, 3);
    expect(evidence).toEqual([
      '✗ Bedrock connection-pool health pings failing: 72 % (healthy ≤ 5 %)',
      '✗ Bedrock InvocationLatency p95, Haiku: 1,800 ms (healthy ≤ 1,500 ms)',
      '✗ First-token latency p95, Haiku (target &lt; 400 ms): 1,820 ms (healthy ≤ 400 ms)',
    ]);
    expect(said).toContain('Fixes held for you: ecs.exec, ecs.set-env, ecs.scale');
    expect(said).toContain('Nothing was applied.');
    expect(said).toContain(`\`\`\`mangaops resume ${h.incident}\`\`\``);

    // Evidence as of the alarm, in one GetMetricData; nothing changed in the account.
    const ends = cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.EndTime!.getTime());
    expect(ends).toHaveLength(1);
    expect(ends[0]).toBeLessThanOrEqual(at.getTime());
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);

    // The journal is any walk's; the held fixes leave it open for the engineer.
    const records = readJournal(h.journal);
    expect(records[0]).toMatchObject({ type: 'start', mode: 'diagnose', runbook: 'first-token', options: { trigger: 'on-alarm', alarm: 'first_token_p95', at: at.toISOString() } });
    expect(records.at(-1)).toMatchObject({ type: 'end', status: 'needs-human', outcome: 'cold-connections' });
    expect(t.out() + t.err()).not.toContain(WEBHOOK_SECRET);

    // The same transition again: nothing walked, nothing posted, one line.
    const again = makeIo({ env: envFor(state), now });
    expect(await main(['on-alarm', '--event', fixture('eventbridge-first-token-redelivered.json')], again.io)).toBe(0);
    expect(again.err()).toMatch(/^mangaops: first_token_p95 entering ALARM at 2026-03-04T11:15:00Z was already pre-diagnosed \(a duplicate delivery; local markers in .*\)\n$/);
    expect(again.out()).toBe('');
    expect(webhook.posts).toHaveLength(1);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(1);
  });
});

describe('GIVEN a transition out of ALARM, or an alarm no runbook answers', () => {
  it.each(['eventbridge-first-token-ok.json', 'sns-first-token-ok.json'])('WHEN %s arrives THEN nothing is read or posted; one line says why, exit 0', async (name) => {
    const t = makeIo({ env: envFor(stateDir()), now });
    expect(await main(['on-alarm', '--event', fixture(name)], t.io)).toBe(0);
    expect(t.err()).toBe('mangaops: first_token_p95 went ALARM → OK at 2026-03-04T11:45:00Z: only a transition into ALARM is pre-diagnosed\n');
    expect(webhook.posts).toHaveLength(0);
    expect(cw.calls()).toHaveLength(0);
  });

  it('WHEN an EC2 CPU alarm fires THEN it names the metric and the runbooks, posts nothing, exit 2', async () => {
    const t = makeIo({ env: envFor(stateDir()), now });
    expect(await main(['on-alarm', '--event', fixture('eventbridge-unanswered-alarm.json')], t.io)).toBe(2);
    expect(t.err()).toContain('mangaops: no runbook answers ServerCpuTooHigh (AWS/EC2 CPUUtilization {InstanceId=i-12345678901234567}); runbooks: first-token, ');
    expect(webhook.posts).toHaveLength(0);
  });

  it('WHEN the event is not an alarm event THEN a usage error says what is expected, exit 2', async () => {
    const dir = stateDir();
    writeFileSync(join(dir, 'x.json'), JSON.stringify({ 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2', detail: {} }));
    const t = makeIo({ env: envFor(dir), now });
    expect(await main(['on-alarm', '--event', join(dir, 'x.json')], t.io)).toBe(2);
    expect(t.err()).toContain('is not an alarm state change');
  });
});

describe('GIVEN the alarm arrives through SNS and the pool metric is missing', () => {
  it('THEN the message asks the open question; resume with the answer reaches the diagnosis', async () => {
    await play('cold-connections-no-ping-metric');
    const state = stateDir();
    const t = makeIo({ env: envFor(state), now });
    const events = readFileSync(fixture('sns-first-token-alarm.json'), 'utf8');
    expect(await main(['on-alarm', '--event', '-', '--json'], { ...t.io, readStdin: async () => events }), t.err()).toBe(0);
    const h = (JSON.parse(t.out()) as { handled: { incident: string; question: { node: string } }[] }).handled[0]!;
    expect(h.question.node).toBe('check-pool');
    const said = webhook.said();
    expect(said).toContain('*Open question:* Connection pool health pings succeeding? [check-pool] — "Yes - pings OK", "No - pings failing"; no data — pool-ping-failure-rate: no datapoints in the last 10m');
    expect(said).toContain(`mangaops resume ${h.incident}`);

    mockOrchestrator();
    const r = makeIo({ env: envFor(state), now });
    expect(await main(['resume', h.incident, '--auto', '--answer', 'check-pool=No - pings failing', '--json'], r.io), r.err()).toBe(0);
    expect((JSON.parse(r.out()) as { outcome: { id: string } }).outcome.id).toBe('cold-connections');
  });
});

describe('GIVEN no webhook is configured', () => {
  it('THEN the walk and the journal are the same and the message is printed, with a note that it was not posted', async () => {
    await play('cold-connections');
    const { MANGAOPS_WEBHOOK_URL: _none, ...env } = envFor(stateDir());
    const t = makeIo({ env, now });
    expect(await main(['on-alarm', '--event', fixture('eventbridge-first-token-alarm.json')], t.io), t.err()).toBe(0);
    expect(t.out().replace(/\s+/g, ' ')).toContain('Alarm: first_token_p95 (MangaAssist/Streaming first_token_latency_ms > 2000) in ALARM since 2026-03-04T11:15:00Z');
    expect(t.out()).toContain('Pre-diagnosis: Root Cause A confirmed: Cold connections to Bedrock');
    expect(t.out()).toMatch(/Continue: mangaops resume 20260304-\d{6}-first-token-[0-9a-f]{4}\n$/);
    expect(t.err()).toContain('no chat webhook (notify.webhook or MANGAOPS_WEBHOOK_URL): the message is printed, not posted');
    expect(webhook.posts).toHaveLength(0);
  });
});

describe('GIVEN the webhook fails', () => {
  it('WHEN it answers 500 twice THEN one line names the host, never the URL, exit 1; the redelivery tries again, and its one retry gets past a single 500', async () => {
    await play('cold-connections');
    webhook.respond.push(500, 500, 500);
    const state = stateDir();
    const t = makeIo({ env: envFor(state), now });
    expect(await main(['on-alarm', '--event', fixture('eventbridge-first-token-alarm.json')], t.io)).toBe(1);
    expect(t.err()).toMatch(/mangaops: chat webhook http:\/\/127\.0\.0\.1:\d+\/… refused the message: HTTP 500 \(internal_error\) \(tried twice\)/);
    expect(t.out() + t.err()).not.toContain(WEBHOOK_SECRET);
    const again = makeIo({ env: envFor(state), now });
    expect(await main(['on-alarm', '--event', fixture('eventbridge-first-token-redelivered.json')], again.io), again.err()).toBe(0);
    expect(webhook.posts).toHaveLength(4);
    expect(again.out()).toContain('posted the pre-diagnosis to the chat webhook (http://127.0.0.1:');
  });
});

describe('GIVEN autoApply allows ecs.scale for cold connections', () => {
  it('THEN that fix goes through the runner as --yes would, is verified and announced; the others stay held', async () => {
    await play('cold-connections');
    mockOrchestrator();
    const dir = stateDir();
    writeFileSync(join(dir, 'config.yaml'), 'autoApply:\n  cold-connections: [ecs.scale]\n');
    const t = makeIo({ env: envFor(dir), now: () => Date.now() });
    expect(await main(['on-alarm', '--config', join(dir, 'config.yaml'), '--event', fixture('eventbridge-first-token-alarm.json'), '--json', '--no-watch'], t.io), t.err()).toBe(0);
    const h = (JSON.parse(t.out()) as { handled: { applied: { action: string; status: string }[]; held: { action: string }[]; journal: string }[] }).handled[0]!;
    expect(h.applied).toEqual([{ action: 'ecs.scale', text: expect.any(String), status: 'verified' }]);
    expect(h.held.map((f) => f.action)).toEqual(['ecs.exec', 'ecs.set-env']);
    expect(ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input.desiredCount)).toEqual([8]);
    expect(webhook.said()).toContain('Applied under autoApply: ecs.scale (verified)');
    expect(readJournal(h.journal).filter((r) => r.type === 'step').map((r) => (r as { status: string }).status)).toEqual(['planned', 'confirmed', 'applied', 'verified']);
  });

  it('THEN once the message is out the fix is watched like any other: first-token p95 back under 2000 ms is journaled as recovered', async () => {
    const { runbook } = await findRunbook('first-token', config);
    const { world } = worldOf(runbook, runbook.drills.find((d) => d.name === 'cold-connections')!);
    // After the scale-out the symptom goes: first-token p95 at 800 ms for the half hour after the alarm.
    for (const [key, series] of world.metrics) if (key.includes('first_token_latency_ms')) for (let i = 1; i <= 40; i++) series.points.push({ t: now() + i * 60_000, v: 800 });
    mockAws(world);
    mockOrchestrator();
    const dir = stateDir();
    writeFileSync(join(dir, 'config.yaml'), 'autoApply:\n  cold-connections: [ecs.scale]\n');
    let clock = now();
    const t = makeIo({ env: envFor(dir), now: () => clock, sleep: async (ms: number) => void (clock += ms) });
    expect(await main(['on-alarm', '--config', join(dir, 'config.yaml'), '--event', fixture('eventbridge-first-token-alarm.json'), '--json', '--watch-interval', '60s'], t.io), t.err()).toBe(0);
    const h = (JSON.parse(t.out()) as { handled: { journal: string; recovery?: { status: string; after: number } }[] }).handled[0]!;
    expect(h.recovery).toMatchObject({ status: 'recovered' });
    expect(h.recovery!.after).toBeLessThanOrEqual(5 * 60);
    expect(webhook.posts).toHaveLength(1);
    const ended = readJournal(h.journal).filter((r) => r.type === 'recovery').map((r) => (r as { status: string }).status);
    expect(ended).toEqual(['watching', 'recovered']);
  });
});
