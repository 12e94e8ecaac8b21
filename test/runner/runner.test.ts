// The one runner. GIVEN the MangaAssist platform on aws-sdk-client-mock (and a drill Redis),
// WHEN any action of the catalogue runs in --dry-run, in a drill, or meets a "no" at the
// prompt, THEN not one mutating call is made — asserted on the mocks' call lists, the search
// server's requests and the plugin's sessions — and the journal says what happened.
import { UpdateServiceCommand, RegisterTaskDefinitionCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionNames, getAction } from '../../src/capabilities/actions.js';
import type { Ports } from '../../src/capabilities/ports.js';
import { runAction, runStep, validateParams } from '../../src/runner/runner.js';
import { simulatedDynamo } from '../../src/capabilities/dynamodb/simulated.js';
import { simulatedRedis } from '../../src/capabilities/redis/simulated.js';
import { MangaopsError, NeedsHumanError, UsageError } from '../../src/core/errors.js';
import { mockAws, service, TD12, TD13, type MockedAws } from '../helpers/aws-mocks.js';
import { runContext } from '../helpers/run-context.js';
import { InterruptingPrompter } from '../helpers/scripted-prompter.js';

/** One runnable set of parameters per action; a new action without a row fails the table. */
const cases: Partial<Record<string, Record<string, unknown>>> = {
  'ecs.scale': { cluster: 'mangaassist-prod', service: 'orchestrator', desiredCount: 6 },
  'ecs.set-env': { cluster: 'mangaassist-prod', service: 'orchestrator', container: 'orchestrator', env: { BEDROCK_POOL_SIZE: '10', BEDROCK_KEEPALIVE_INTERVAL: '15' } },
  'ecs.set-task-definition': { cluster: 'mangaassist-prod', service: 'orchestrator', taskDefinition: 'orchestrator:11' },
  'ecs.restart': { cluster: 'mangaassist-prod', service: 'orchestrator' },
  'ecs.exec': { cluster: 'mangaassist-prod', service: 'orchestrator', container: 'orchestrator', command: '/app/scripts/warm_connections.sh' },
  'aoss.capacity': { collection: 'manga-products', minSearchOCU: 6 },
  'aoss.prewarm': { collection: 'manga-products', index: 'manga-products' },
  'quota.request': { serviceCode: 'bedrock', quotaCode: 'L-F4DDD3EB', desiredValue: 400000 },
  'redis.purge': { pattern: 'precompute:genre:shonen:*' },
  'redis.invalidate-stale': { pattern: 'precompute:*', table: 'manga-inventory' },
  'dynamodb.flip-version': { table: 'manga-prompt-templates', intent: 'recommendation', to: 'v2.0' },
  'dynamodb.set-config': { table: 'manga-router-config', key: { name: 'router' }, attribute: 'complexity_threshold_for_sonnet', value: 0.6, from: 0.3 },
};

let aws: MockedAws;
let drillMutations: string[];
let ports: Ports;

// ECS, OpenSearch Serverless and Service Quotas on aws-sdk-client-mock; Redis and DynamoDB
// as the drill's in-memory twins, which record every mutating call (their real-server
// counterpart is test/runner/real-servers.test.ts).
beforeEach(async () => {
  aws = await mockAws();
  drillMutations = [];
  const redis = simulatedRedis({ mutations: drillMutations });
  const dynamo = simulatedDynamo({}, drillMutations);
  ports = { ...aws.ports, redis: async () => redis, dynamo: async () => dynamo };
});

afterEach(async () => {
  await aws.restore();
});

const mutations = () => [...aws.mutations(), ...drillMutations];

describe('for every action in the catalogue', () => {
  const names = [...actionNames];

  it('the table has a row for each', () => {
    expect(names.filter((n) => !cases[n])).toEqual([]);
  });

  describe.each(names)('%s', (name) => {
    it('--dry-run plans, shows the plan, journals "planned" and changes nothing', async () => {
      const run = runContext({ ports, mode: 'dry-run', yes: true });
      const outcome = await runAction(name, cases[name]!, run.ctx);
      expect(outcome.status).toBe('planned');
      expect(mutations()).toEqual([]);
      expect(run.t.out()).toContain(`▶ ${name}`);
      expect(run.t.out()).toContain('Dry run: planned only, nothing was changed.');
      expect(run.steps().map((s) => s.status)).toEqual(['planned']);
      expect(run.t.prompter.asked).toEqual([]);
    });

    it('a drill plans and changes nothing, even with --yes', async () => {
      const run = runContext({ ports, mode: 'drill', yes: true });
      const outcome = await runAction(name, cases[name]!, run.ctx);
      expect(outcome.status).toBe('planned');
      expect(mutations()).toEqual([]);
      expect(run.t.out()).toContain('Drill: planned only');
    });

    it('"no" at the prompt (the default) changes nothing and journals "declined"', async () => {
      const run = runContext({ ports, script: { [`apply:${name}`]: '\n' } });
      const outcome = await runAction(name, cases[name]!, run.ctx);
      expect(run.t.prompter.asked).toEqual([expect.objectContaining({ kind: 'confirm', id: `apply:${name}`, defaultValue: false, answer: false })]);
      expect(outcome.status).toBe('declined');
      expect(mutations()).toEqual([]);
      expect(run.steps().map((s) => s.status)).toEqual(['planned', 'declined']);
      expect(run.t.out()).toContain('Not applied: nothing was changed.');
    });

    it('no TTY and no --yes refuses, naming --yes, and changes nothing', async () => {
      const run = runContext({ ports, interactive: false });
      const error = await runAction(name, cases[name]!, run.ctx).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NeedsHumanError);
      expect((error as NeedsHumanError).hint).toContain('--yes');
      expect(mutations()).toEqual([]);
      expect(run.steps().at(-1)).toMatchObject({ status: 'declined', error: 'no terminal to confirm on, and no --yes' });
    });
  });
});

describe('--yes applies', () => {
  it('GIVEN 4 tasks WHEN ecs.scale to 6 with --yes THEN one UpdateService, a wait until 6 run, and a journal with the before-snapshot, the calls, the result and the undo', async () => {
    let describes = 0;
    aws.ecs.on(DescribeServicesCommand).callsFake(() => {
      describes++;
      // Planning reads 4; after the update the running count climbs 4 → 5 → 6.
      const running = describes <= 1 ? 4 : Math.min(6, 3 + describes);
      return { services: [service({ desiredCount: describes <= 1 ? 4 : 6, runningCount: running })] };
    });
    aws.ecs.on(UpdateServiceCommand).resolves({ service: service({ desiredCount: 6 }) });
    const run = runContext({ ports, yes: true, interactive: false });
    const outcome = await runAction('ecs.scale', cases['ecs.scale']!, run.ctx);

    expect(outcome.status).toBe('verified');
    expect(aws.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([{ cluster: 'mangaassist-prod', service: 'orchestrator', desiredCount: 6 }]);
    expect(run.sleeps.length).toBeGreaterThan(0);
    const steps = run.steps();
    expect(steps.map((s) => s.status)).toEqual(['planned', 'confirmed', 'applied', 'verified']);
    expect(new Set(steps.map((s) => s.step))).toEqual(new Set([1]));
    const applied = steps.find((s) => s.status === 'applied')!;
    expect(applied.detail).toMatchObject({ before: { desiredCount: 4, runningCount: 4 }, calls: ['ECS UpdateService cluster=mangaassist-prod service=orchestrator desiredCount=6'] });
    expect(applied.undo).toMatchObject({ action: 'ecs.scale', params: { cluster: 'mangaassist-prod', service: 'orchestrator', desiredCount: 4 } });
    expect(steps.at(-1)!.detail).toMatchObject({ observed: 'orchestrator running 6/6' });
    expect(run.t.out()).toContain('Confirmed by --yes.');
    expect(run.t.out()).toContain('undo: mangaops undo 20261127-111500-test-0001 1');
  });

  it('"y" at the prompt applies the same way', async () => {
    const run = runContext({ ports, script: { 'apply:ecs.restart': true } });
    aws.ecs.on(UpdateServiceCommand).resolves({ service: service({ deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: TD12, desiredCount: 4, runningCount: 0 }] }) });
    aws.ecs.on(DescribeServicesCommand).resolvesOnce({ services: [service()] }).resolves({ services: [service({ deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: TD12, desiredCount: 4, runningCount: 4 }] })] });
    const outcome = await runAction('ecs.restart', cases['ecs.restart']!, run.ctx);
    expect(outcome.status).toBe('verified');
    expect(aws.mutations()).toEqual(['ECS UpdateService']);
  });
});

describe('refusals and failures', () => {
  it('GIVEN a cap of 2 × 4 WHEN scaling to 9 without --force THEN refused, "declined" journaled, nothing called; with --force it applies', async () => {
    const run = runContext({ ports, yes: true });
    const outcome = await runAction('ecs.scale', { ...cases['ecs.scale'], desiredCount: 9 }, run.ctx);
    expect(outcome).toMatchObject({ status: 'declined', refusal: expect.stringContaining('cap of 8') });
    expect(run.t.out()).toContain('pass --force to do it anyway');
    expect(mutations()).toEqual([]);

    aws.ecs.on(UpdateServiceCommand).resolves({ service: service({ desiredCount: 9 }) });
    let updated = false;
    aws.ecs.on(UpdateServiceCommand).callsFake(() => ((updated = true), { service: service({ desiredCount: 9 }) }));
    aws.ecs.on(DescribeServicesCommand).callsFake(() => ({ services: [updated ? service({ desiredCount: 9, runningCount: 9 }) : service()] }));
    const forced = runContext({ ports, yes: true, force: true });
    expect((await runAction('ecs.scale', { ...cases['ecs.scale'], desiredCount: 9 }, forced.ctx)).status).toBe('verified');
    expect(forced.t.out()).toContain('allowed by --force');
  });

  it('GIVEN UpdateService fails after the new revision is registered THEN "failed" with exactly what changed and what did not', async () => {
    aws.ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: TD13, revision: 13 } });
    aws.ecs.on(UpdateServiceCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const run = runContext({ ports, yes: true });
    const outcome = await runAction('ecs.set-env', cases['ecs.set-env']!, run.ctx);
    expect(outcome.status).toBe('failed');
    const failed = run.steps().at(-1)!;
    expect(failed).toMatchObject({ status: 'failed', changed: ['registered orchestrator:13 (not in use)'], unchanged: ['orchestrator still runs orchestrator:12'] });
    expect(failed.error).toContain('UpdateService failed: Rate exceeded');
    expect(run.t.out()).toContain('not changed: orchestrator still runs orchestrator:12');
  });

  it('GIVEN the running count never gets there WHEN the deadline passes THEN "failed: applied, but not verified", with the undo kept', async () => {
    aws.ecs.on(UpdateServiceCommand).resolves({ service: service({ desiredCount: 6 }) });
    aws.ecs.on(DescribeServicesCommand).resolvesOnce({ services: [service()] }).resolves({ services: [service({ desiredCount: 6, runningCount: 5 })] });
    const run = runContext({ ports, yes: true, deadlineMs: 60_000 });
    const outcome = await runAction('ecs.scale', cases['ecs.scale']!, run.ctx);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/not verified: orchestrator running count 6: not reached within 1m \(last seen: orchestrator running 5\/6\)/);
    expect(run.sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
    expect(run.steps().at(-1)).toMatchObject({ status: 'failed', changed: ['orchestrator desiredCount 4 → 6'], undo: { action: 'ecs.scale', params: { desiredCount: 4 } } });
  });

  it('GIVEN a lease granted after a wait WHEN planning again hangs THEN the step fails at the plan deadline, nothing applied', async () => {
    aws.ecs.on(DescribeServicesCommand).resolvesOnce({ services: [service()] }).callsFake(() => new Promise(() => {}));
    const run = runContext({ ports, yes: true });
    run.ctx.deadlines = { planMs: 200 };
    // As the team guard does after --wait: the plan is read again before the lease is held.
    run.ctx.guard = { approve: async () => {}, lease: async (step) => (await step.replan(), { release: async () => {} }) };
    await expect(runAction('ecs.scale', cases['ecs.scale']!, run.ctx)).rejects.toThrow(/planning again/);
    expect(run.steps().at(-1)).toMatchObject({ status: 'declined' });
    expect(mutations()).toEqual([]);
  });

  it('Ctrl-C at the confirmation is journaled as declined and passed on, so the walk can say how to resume', async () => {
    const run = runContext({ ports });
    run.ctx.io = { ...run.ctx.io, prompter: new (class extends InterruptingPrompter {
      override async confirm(): Promise<boolean> {
        throw Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' });
      }
    })({}, '') };
    await expect(runAction('ecs.scale', cases['ecs.scale']!, run.ctx)).rejects.toMatchObject({ name: 'ExitPromptError' });
    expect(run.steps().at(-1)).toMatchObject({ status: 'declined', error: 'interrupted at the confirmation' });
    expect(mutations()).toEqual([]);
  });

  it('a failed plan (the service is not there) changes nothing and says what to pass', async () => {
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] });
    const run = runContext({ ports, yes: true });
    await expect(runAction('ecs.scale', cases['ecs.scale']!, run.ctx)).rejects.toThrow(UsageError);
    expect(run.steps().at(-1)).toMatchObject({ status: 'failed', changed: [] });
  });
});

describe('parameters', () => {
  it('are validated before any call, and a refusal names the flags to pass', async () => {
    const error = (() => {
      try {
        validateParams(getAction('ecs.scale'), { cluster: 'c', desiredCount: 'many', replicas: 3 }, 'flag');
      } catch (e) {
        return e as UsageError;
      }
    })()!;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('unknown parameter --replicas');
    expect(error.message).toContain('missing --service');
    expect(error.message).toContain('--desired-count: expected a number, got "many"');
    expect(error.hint).toContain('--cluster, --service, --desired-count');
  });

  it('an unknown action suggests the closest', async () => {
    const run = runContext({ ports });
    await expect(runAction('ecs.scael', {}, run.ctx)).rejects.toThrow(/did you mean 'ecs.scale'/);
    expect(mutations()).toEqual([]);
  });
});

describe('runStep (a runbook step at an outcome)', () => {
  it('runs the step through the same runner and returns its status', async () => {
    const run = runContext({ ports, mode: 'dry-run' });
    run.ctx.node = 'cold-connections#2.0';
    const status = await runStep({ text: 'Scale out ECS tasks (4 → 8)', action: 'ecs.scale', params: { cluster: 'mangaassist-prod', service: 'orchestrator', desiredCount: 8 } }, run.ctx);
    expect(status).toBe('planned');
    expect(run.steps()).toEqual([expect.objectContaining({ step: 1, node: 'cold-connections#2.0', text: 'Scale out ECS tasks (4 → 8)', status: 'planned', action: 'ecs.scale' })]);
  });

  it('a step with bad parameters is journaled as failed and the walk goes on', async () => {
    const run = runContext({ ports, yes: true });
    const status = await runStep({ text: 'Scale', action: 'ecs.scale', params: { cluster: 'c', service: 's', desiredCount: -1 } }, run.ctx);
    expect(status).toBe('failed');
    expect(run.steps()[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('desiredCount') });
    expect(mutations()).toEqual([]);
  });

  it('a plan that fails is journaled as failed, shown, and the walk goes on', async () => {
    aws.ecs.on(DescribeServicesCommand).rejects(Object.assign(new Error('User is not authorized to perform: ecs:DescribeServices'), { name: 'AccessDeniedException' }));
    const run = runContext({ ports, yes: true });
    const status = await runStep({ text: 'Restart', action: 'ecs.restart', params: cases['ecs.restart']! }, run.ctx);
    expect(status).toBe('failed');
    expect(run.t.out()).toContain('AccessDeniedException');
  });

  it('no TTY and no --yes stops the walk (exit 3), it does not skip silently', async () => {
    const run = runContext({ ports, interactive: false });
    await expect(runStep({ text: 'Restart', action: 'ecs.restart', params: cases['ecs.restart']! }, run.ctx)).rejects.toBeInstanceOf(MangaopsError);
  });

  it('a manual step is offered, not run', async () => {
    const run = runContext({ ports });
    expect(await runStep({ text: 'Check the Health Dashboard', params: {} }, run.ctx)).toBe('offered');
    expect(run.steps()[0]).toMatchObject({ status: 'offered', text: 'Check the Health Dashboard' });
  });
});
