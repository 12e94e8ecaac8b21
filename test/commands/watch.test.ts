// The recovery watch on live evidence: aws-sdk-client-mock on the real CloudWatch and ECS
// clients, a fake clock that the watch's sleeps move. GIVEN the orchestrator overloaded
// (first-token's ecs-overload case as the account answers it) WHEN the scale-out is applied
// THEN first-token p95 is polled with one GetMetricData per poll until it recovers, does not,
// or gets worse — and then the recorded undo is offered, or applied under autoApply.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/core/config.js';
import { listJournals, readJournal } from '../../src/journal/journal.js';
import { findRunbook } from '../../src/runbook/catalog.js';
import { cw, dynamo, ecs, logs, mockAws, now, worldOf } from '../helpers/aws-world.js';
import { makeIo } from '../helpers/io.js';
import type { Script } from '../helpers/scripted-prompter.js';

const config = await loadConfig({ env: {} });
const rb = (await findRunbook('first-token', config)).runbook;
const overload = rb.drills.find((d) => d.name === 'ecs-overload')!;

beforeEach(() => {
  for (const m of [cw, ecs, dynamo, logs]) m.reset();
});

interface Recovery {
  status: string;
  after: number;
  polls: number;
  step: number;
  action: string;
  simulated: boolean;
  probes: { probe: string; atFix: number; last: number; values: number[] }[];
  undone?: { step: number; status: string };
}

/**
 * The account: the ecs-overload case's metrics for the walk's gather; after it, each
 * GetMetricData is a poll of the watch and gets the next first-token p95 of `polls` (the last
 * repeats); the orchestrator at 4 tasks, whose UpdateService takes at once.
 */
function account(polls: number[], options: { pollsFail?: boolean } = {}) {
  const state = mkdtempSync(join(tmpdir(), 'mangaops-watch-'));
  const { world } = worldOf(rb, overload);
  mockAws(world);
  let calls = 0;
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
    calls++;
    if (options.pollsFail && calls > 1) throw Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException' });
    return {
      MetricDataResults: input.MetricDataQueries!.map((q) => {
        const m = q.MetricStat!.Metric!;
        const dims = Object.fromEntries((m.Dimensions ?? []).map((d) => [d.Name!, d.Value!]));
        const key = JSON.stringify([m.Namespace, m.MetricName, Object.entries(dims).sort(), q.MetricStat!.Stat]);
        const own = (world.metrics.get(key)?.points ?? []).filter((p) => p.t >= input.StartTime!.getTime() && p.t < input.EndTime!.getTime());
        const watched = m.MetricName === 'first_token_latency_ms' && !m.Dimensions?.length && calls > 1;
        const points = watched ? [...own, { t: input.EndTime!.getTime() - 30_000, v: polls[Math.min(calls - 2, polls.length - 1)]! }] : own;
        return { Id: q.Id, StatusCode: 'Complete', Timestamps: points.map((p) => new Date(p.t)), Values: points.map((p) => p.v) };
      }),
    };
  });
  let desired = 4;
  const td = 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/orchestrator:12';
  ecs.on(DescribeServicesCommand).callsFake(() => ({
    services: [{ serviceName: 'orchestrator', status: 'ACTIVE', desiredCount: desired, runningCount: desired, pendingCount: 0, taskDefinition: td, deployments: [{ status: 'PRIMARY', taskDefinition: td, desiredCount: desired, runningCount: desired, rolloutState: 'COMPLETED' }] }],
  }));
  ecs.on(UpdateServiceCommand).callsFake((input: { desiredCount: number }) => {
    desired = input.desiredCount;
    return { service: { serviceName: 'orchestrator', desiredCount: desired } };
  });
  let clock = now();
  const io = (script?: Script) =>
    makeIo({ env: { XDG_STATE_HOME: state, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }, now: () => clock, sleep: async (ms) => void (clock += ms), ...(script && { interactive: true, script }) });
  const journal = () => readJournal(listJournals({ XDG_STATE_HOME: state })[0]!.file);
  return {
    io,
    journal,
    incident: () => listJournals({ XDG_STATE_HOME: state })[0]!.incident,
    state,
    getMetricData: () => cw.commandCalls(GetMetricDataCommand).length,
    scaledTo: () => ecs.commandCalls(UpdateServiceCommand).map((c) => (c.args[0].input as { desiredCount: number }).desiredCount),
  };
}

describe('diagnose --auto --yes watches the fix it applied', () => {
  it('GIVEN p95 2,350 → 2,000 → 1,700 after the scale-out THEN recovered 1 min after, one GetMetricData per poll, in the journal and --json', async () => {
    const a = account([2350, 2000, 1700]);
    const t = a.io();
    const code = await main(['diagnose', 'first-token', '--auto', '--yes', '--json'], t.io);
    expect(code, t.err()).toBe(0);
    const result = JSON.parse(t.out()) as { outcome: { id: string }; recovery: Recovery; steps: { action?: string; status: string; recovery?: Recovery }[] };
    expect(result.outcome.id).toBe('ecs-overload');
    expect(a.scaledTo()).toEqual([8]);
    expect(result.recovery).toMatchObject({ status: 'recovered', after: 60, polls: 3, step: 1, action: 'ecs.scale', simulated: false, probes: [{ probe: 'first-token-p95', atFix: 2350, last: 1700, values: [2350, 2000, 1700] }] });
    expect(result.steps.find((s) => s.action)).toMatchObject({ status: 'verified', recovery: { status: 'recovered' } });
    // The walk's gather, then exactly one request per poll.
    expect(a.getMetricData()).toBe(1 + 3);
    const watchRequests = cw.commandCalls(GetMetricDataCommand).slice(1);
    expect(watchRequests.map((c) => c.args[0].input.MetricDataQueries!.map((q) => q.MetricStat!.Metric!.MetricName))).toEqual([['first_token_latency_ms'], ['first_token_latency_ms'], ['first_token_latency_ms']]);
    expect(watchRequests.map((c) => (c.args[0].input.EndTime!.getTime() - watchRequests[0]!.args[0].input.EndTime!.getTime()) / 1000)).toEqual([0, 60, 120]);
    expect(t.err().replace(/\s+/g, ' ')).toContain('✓ recovered 1 min after ecs.scale: ✓ First-token latency p95 (all models) 2,350 → 1,700 ms (healthy ≤ 2,000 ms)');
    expect(a.journal().filter((r) => r.type === 'recovery').map((r) => r.type === 'recovery' && [r.status, r.after])).toEqual([
      ['watching', undefined],
      ['recovered', 60],
    ]);
  });

  it('GIVEN p95 stuck at 2,350 THEN not recovered within 15 min; without a terminal the undo is offered as a command, not applied', async () => {
    const a = account([2350]);
    const t = a.io();
    const code = await main(['diagnose', 'first-token', '--auto', '--yes', '--watch-interval', '5m'], t.io);
    expect(code).toBe(0);
    const out = t.out().replace(/\s+/g, ' ');
    expect(out).toContain('✗ not recovered within 15 min of ecs.scale');
    expect(out).toContain(`undo: mangaops undo ${a.incident()} 1 (scale orchestrator back to 4 task(s))`);
    expect(out).toContain('no further fix at this outcome');
    expect(a.getMetricData()).toBe(1 + 4);
    expect(a.scaledTo()).toEqual([8]);
  });

  it('GIVEN p95 climbing after the scale-out and config autoApply allowing it THEN worse after two polls, and its undo is applied through the runner', async () => {
    const a = account([2350, 2700, 2900]);
    const file = join(a.state, 'config.yaml');
    writeFileSync(file, 'autoApply:\n  ecs-overload: [ecs.scale]\n');
    const t = a.io();
    const code = await main(['diagnose', 'first-token', '--auto', '--yes', '--json', '--config', file], t.io);
    expect(code, t.err()).toBe(0);
    const result = JSON.parse(t.out()) as { recovery: Recovery };
    expect(result.recovery).toMatchObject({ status: 'worse', after: 120, undone: { step: 2, status: 'verified' } });
    expect(a.scaledTo()).toEqual([8, 4]);
    expect(t.err().replace(/\s+/g, ' ')).toContain('worse, and config autoApply allows ecs.scale at ecs-overload: applying its undo now');
    const undo = a.journal().filter((r) => r.type === 'step' && r.step === 2);
    expect(undo.map((r) => r.type === 'step' && r.status)).toEqual(['planned', 'confirmed', 'applied', 'verified']);
    expect(undo[0]).toMatchObject({ text: 'undo step 1: scale orchestrator back to 4 task(s)', detail: { undoOf: 1 } });
  });

  it('GIVEN worse at a terminal without autoApply THEN the undo is offered through the runner, its plan shown and confirmed by the engineer', async () => {
    const a = account([2350, 2700, 2900]);
    const t = a.io({ 'which-intents': '\n', 'check-bedrock': '\n', 'which-component': '\n', 'apply:ecs.scale': [true, true] });
    expect(await main(['diagnose', 'first-token'], t.io)).toBe(0);
    expect(t.prompter.asked.filter((q) => q.id === 'apply:ecs.scale').map((q) => [q.message, q.defaultValue])).toEqual([
      ['Apply: Scale orchestrator from 4 to 8 task(s)?', false],
      ['Apply: Scale orchestrator from 8 to 4 task(s)?', false],
    ]);
    expect(a.scaledTo()).toEqual([8, 4]);
    const out = t.out().replace(/\s+/g, ' ');
    expect(out).toContain('✗ worse 2 min after ecs.scale');
    expect(out).toContain('the recorded undo, offered now: scale orchestrator back to 4 task(s)');
  });

  it('GIVEN credentials that expire after the fix THEN the watch stops with one line saying how to re-attach, and the walk ends as it would', async () => {
    const a = account([2350], { pollsFail: true });
    const t = a.io();
    expect(await main(['diagnose', 'first-token', '--auto', '--yes'], t.io)).toBe(0);
    expect(a.scaledTo()).toEqual([8]);
    expect(t.out().replace(/\s+/g, ' ')).toMatch(new RegExp(`recovery not watched: the watch stopped: AWS credentials .* have expired .*; once fixed: mangaops watch ${a.incident()}`));
    expect(a.journal().at(-1)).toMatchObject({ type: 'end', status: 'resolved', outcome: 'ecs-overload' });
  });
});

describe('mangaops watch <incident> and act --journal <incident>', () => {
  it('GIVEN a fix applied with --no-watch WHEN watch <incident> re-attaches THEN it polls from the fix on and says recovered, exit 0', async () => {
    const a = account([2350, 1900, 1800]);
    const first = a.io();
    expect(await main(['diagnose', 'first-token', '--auto', '--yes', '--no-watch'], first.io)).toBe(0);
    expect(first.out()).toContain('recovery not watched (--no-watch)');
    expect(a.getMetricData()).toBe(1);

    const t = a.io();
    const code = await main(['watch', a.incident(), '--json'], t.io);
    expect(code, t.err()).toBe(0);
    const result = JSON.parse(t.out()) as { incident: string; recovery: Recovery };
    expect(result).toMatchObject({ incident: a.incident(), recovery: { status: 'recovered', step: 1, action: 'ecs.scale', after: 60, polls: 3 } });
    expect(t.err()).toContain(`Watching step 1 ecs.scale of ${a.incident()} (ecs-overload), applied`);
    expect(a.getMetricData()).toBe(1 + 3);
    expect(a.journal().filter((r) => r.type === 'recovery').map((r) => r.type === 'recovery' && r.status)).toEqual(['watching', 'recovered']);
  });

  it('GIVEN a diagnosed incident whose fix was only planned WHEN act applies it with --journal THEN it watches it with that outcome; not recovered exits 1', async () => {
    const a = account([2350]);
    expect(await main(['diagnose', 'first-token', '--auto'], a.io().io)).toBe(0);
    expect(a.scaledTo()).toEqual([]);
    const t = a.io();
    const code = await main(['act', 'ecs.scale', '--desired-count', '8', '--yes', '--json', '--journal', a.incident(), '--watch-interval', '5m'], t.io);
    expect(code).toBe(1);
    const result = JSON.parse(t.out()) as { status: string; recovery: Recovery };
    // Step 1 was the walk's planned scale-out, step 2 its manual step: this is step 3.
    expect(result).toMatchObject({ step: 3, status: 'verified', recovery: { status: 'not-recovered', step: 3, action: 'ecs.scale', after: 900, polls: 4 } });
    expect(t.err().replace(/\s+/g, ' ')).toContain(`undo: mangaops undo ${a.incident()} 3`);
  });

  it('GIVEN a drill incident WHEN watch is asked THEN a usage error says the world lives in the drill, exit 2', async () => {
    const state = mkdtempSync(join(tmpdir(), 'mangaops-watch-'));
    const d = makeIo({ env: { XDG_STATE_HOME: state } });
    expect(await main(['drill', 'first-token', '--case', 'ecs-overload', '--auto', '--apply'], d.io)).toBe(0);
    const t = makeIo({ env: { XDG_STATE_HOME: state } });
    expect(await main(['watch', listJournals({ XDG_STATE_HOME: state })[0]!.incident], t.io)).toBe(2);
    expect(t.err()).toMatch(/is a drill: its world lives inside the drill/);
  });
});
