// `mangaops diagnose` on mocked AWS: the command gathers the tree's evidence live (one
// GetMetricData for every metric), walks it, plans the fixes without applying them in
// --auto, and turns missing credentials into one line.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ListTasksCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { findRunbook } from '../../src/runbook/catalog.js';
import { loadConfig } from '../../src/core/config.js';
import { at, cw, dynamo, ecs, logs, mockAws, now, worldOf } from '../helpers/aws-world.js';
import { makeIo } from '../helpers/io.js';

const config = await loadConfig({ env: {} });
const env = () => ({ XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'mangaops-diag-')), AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });

beforeEach(() => {
  for (const m of [cw, ecs, dynamo, logs]) m.reset();
});

async function playCase(scenario: string, name: string) {
  const { runbook } = await findRunbook(scenario, config);
  const drill = runbook.drills.find((d) => d.name === name)!;
  mockAws(worldOf(runbook, drill).world);
  return drill;
}

/** What the fixes' plans read: the orchestrator service, its task definition, its tasks. */
function mockOrchestrator() {
  const taskDefinitionArn = 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/orchestrator:12';
  const taskArn = 'arn:aws:ecs:ap-northeast-1:123456789012:task/mangaassist-prod/0123456789abcdef';
  ecs.on(DescribeServicesCommand).resolves({
    services: [{ serviceName: 'orchestrator', status: 'ACTIVE', desiredCount: 4, runningCount: 4, pendingCount: 0, taskDefinition: taskDefinitionArn, deployments: [{ status: 'PRIMARY', taskDefinition: taskDefinitionArn, desiredCount: 4, runningCount: 4, rolloutState: 'COMPLETED' }] }],
  });
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: { taskDefinitionArn, family: 'orchestrator', revision: 12, containerDefinitions: [{ name: 'orchestrator', image: 'orchestrator:latest', environment: [{ name: 'BEDROCK_POOL_SIZE', value: '5' }, { name: 'BEDROCK_KEEPALIVE_INTERVAL', value: '30' }] }] },
    tags: [],
  });
  ecs.on(ListTasksCommand).resolves({ taskArns: [taskArn] });
  ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn, lastStatus: 'RUNNING', containers: [{ name: 'orchestrator', runtimeId: '0123456789abcdef-1' }] }] });
}

describe('mangaops diagnose on mocked AWS', () => {
  it('GIVEN cold connections in the account WHEN diagnose --auto --json runs THEN it reports the cold-connections outcome from one GetMetricData and applies nothing', async () => {
    const drill = await playCase('first-token', 'cold-connections');
    mockOrchestrator();
    const t = makeIo({ env: env(), now });
    const code = await main(['diagnose', 'first-token', '--auto', '--json', '--at', at.toISOString()], t.io);
    expect(code, t.err()).toBe(0);
    const result = JSON.parse(t.out()) as { outcome: { id: string }; path: { node: string; by: string }[]; steps: { action?: string; status: string }[] };
    expect(result.outcome.id).toBe('cold-connections');
    expect(result.path.map((p) => p.node)).toEqual(drill.path);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    // --auto without --yes plans every fix and applies none.
    const actions = result.steps.filter((s) => s.action);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((s) => s.status === 'planned')).toBe(true);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(t.err()).toContain('BEDROCK_POOL_SIZE           5 → 10');
    expect(t.err()).toContain('Dry run: planned only, nothing was changed.');
    expect(t.err()).toContain(`gathering 16 probes from AWS ap-northeast-1 as of ${at.toISOString()}`);
  });

  it('GIVEN no credentials WHEN diagnose runs THEN one line says so and how to fix it, exit 1', async () => {
    const denied = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    cw.onAnyCommand().rejects(denied);
    ecs.onAnyCommand().rejects(denied);
    dynamo.onAnyCommand().rejects(denied);
    logs.onAnyCommand().rejects(denied);
    const t = makeIo({ env: env(), now });
    const code = await main(['diagnose', 'rag-timeout', '--auto', '--profile', 'prod'], t.io);
    expect(code).toBe(1);
    const lines = t.err().split('\n').filter((l) => l.startsWith('mangaops:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/credentials/i);
    expect(t.err()).toMatch(/aws sso login --profile prod|AWS_PROFILE/);
    expect(t.err()).not.toMatch(/\n\s+at /);
  });

  it('GIVEN no terminal WHEN diagnose runs without --auto or --json THEN it refuses before calling AWS, exit 2', async () => {
    const t = makeIo({ env: env(), now });
    expect(await main(['diagnose', 'first-token'], t.io)).toBe(2);
    expect(t.err()).toContain('--auto');
    expect(cw.calls()).toHaveLength(0);
  });

  it('GIVEN a bad --at WHEN diagnose runs THEN a usage error, exit 2', async () => {
    const t = makeIo({ env: env(), now });
    expect(await main(['diagnose', 'first-token', '--auto', '--at', 'yesterday-ish'], t.io)).toBe(2);
    expect(t.err()).toMatch(/--at|time/);
  });
});

describe('mangaops diagnose --preflight', () => {
  it('reports each read as ok or denied, exit 1 when any would fail', async () => {
    await playCase('first-token', 'cold-connections');
    const denied = Object.assign(new Error('User is not authorized to perform: cloudwatch:GetMetricData'), { name: 'AccessDenied' });
    cw.reset();
    cw.onAnyCommand().rejects(denied);
    const t = makeIo({ env: env(), now });
    const code = await main(['diagnose', 'first-token', '--preflight', '--json'], t.io);
    const report = JSON.parse(t.out()) as { ok: boolean; probes: { probe: string; status: string }[] };
    expect(report.ok).toBe(false);
    // Every metric read is denied; the DynamoDB scan of classifier activations is allowed.
    expect(report.probes.find((p) => p.probe === 'first-token-p95')?.status).toBe('denied');
    expect(report.probes.find((p) => p.probe === 'classifier-activations')?.status).toBe('ok');
    expect(code).toBe(1);
  });
});
