// ecs.scale on aws-sdk-client-mock: UpdateService desiredCount, the cap from the config,
// the wait for the running count under a deadline on an injected clock, and the undo.
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ecsScale } from '../../../../src/capabilities/ecs/actions/scale.js';
import { VerifyTimeout } from '../../../../src/capabilities/wait.js';
import { mockAws, service, type MockedAws } from '../../../helpers/aws-mocks.js';
import { fakeActionContext, testConfig } from '../../../helpers/run-context.js';

const params = { cluster: 'mangaassist-prod', service: 'orchestrator', desiredCount: 8 };

let aws: MockedAws;
beforeEach(async () => {
  aws = await mockAws();
});
afterEach(() => aws.restore());

describe('ecs.scale', () => {
  it('plans 4 → 8 (the seed\'s medium-term fix): UpdateService desiredCount, the CLI line, the undo back to 4', async () => {
    const plan = await ecsScale.plan(params, fakeActionContext(aws.ports));
    expect(plan.summary).toBe('Scale orchestrator from 4 to 8 task(s)');
    expect(plan.changes).toEqual([{ what: 'orchestrator desiredCount', from: '4', to: '8' }]);
    expect(plan.calls).toEqual(['ECS UpdateService cluster=mangaassist-prod service=orchestrator desiredCount=8']);
    expect(plan.cli).toEqual(['aws ecs update-service --cluster mangaassist-prod --service orchestrator --desired-count 8']);
    expect(plan.undo).toEqual({ action: 'ecs.scale', params: { cluster: 'mangaassist-prod', service: 'orchestrator', desiredCount: 4 }, text: 'scale orchestrator back to 4 task(s)' });
    expect(plan.refusal).toBeUndefined();
    expect(aws.ecs.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input)).toEqual([{ cluster: 'mangaassist-prod', services: ['orchestrator'] }]);
  });

  it('refuses more than scaleCapFactor × the current count (2 × 4 = 8 by default; the factor comes from the config)', async () => {
    expect((await ecsScale.plan({ ...params, desiredCount: 9 }, fakeActionContext(aws.ports))).refusal).toBe('9 is more than the cap of 8 (2 × 4, ecs.scaleCapFactor in the config)');
    const generous = fakeActionContext(aws.ports, { config: { ...testConfig, ecs: { ...testConfig.ecs, scaleCapFactor: 3 } } });
    expect((await ecsScale.plan({ ...params, desiredCount: 12 }, generous)).refusal).toBeUndefined();
  });

  it('says what scaling in cuts', async () => {
    const plan = await ecsScale.plan({ ...params, desiredCount: 2 }, fakeActionContext(aws.ports));
    expect(plan.notes.join(' ')).toContain('Scaling in stops 2 task(s)');
  });

  it('applies exactly one UpdateService with the desired count', async () => {
    aws.ecs.on(UpdateServiceCommand).resolves({ service: service({ desiredCount: 8 }) });
    const ctx = fakeActionContext(aws.ports);
    const result = await ecsScale.apply(await ecsScale.plan(params, ctx), ctx);
    expect(aws.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([{ cluster: 'mangaassist-prod', service: 'orchestrator', desiredCount: 8 }]);
    expect(result.changed).toEqual(['orchestrator desiredCount 4 → 8']);
  });

  it('verify waits for the running count, with progress, polling every 5 s', async () => {
    aws.ecs
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [service({ desiredCount: 8, runningCount: 4, pendingCount: 4 })] })
      .resolvesOnce({ services: [service({ desiredCount: 8, runningCount: 6, pendingCount: 2 })] })
      .resolves({ services: [service({ desiredCount: 8, runningCount: 8 })] });
    const ctx = fakeActionContext(aws.ports);
    const plan = { action: 'ecs.scale' as const, params, summary: '', changes: [], calls: [], cli: [], notes: [], before: { desiredCount: 4, runningCount: 4 } };
    expect(await ecsScale.verify!(plan, ctx)).toBe('orchestrator running 8/8');
    expect(ctx.lines).toEqual(['orchestrator running 4/8, pending 4 — waiting 0s of 10m', 'orchestrator running 6/8, pending 2 — waiting 5s of 10m']);
    expect(ctx.sleeps).toEqual([5000, 5000]);
  });

  it('verify gives up at the deadline, saying what it last saw', async () => {
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [service({ desiredCount: 8, runningCount: 7, pendingCount: 1 })] });
    const ctx = fakeActionContext(aws.ports, { deadlineMs: 12_000 });
    const plan = { action: 'ecs.scale' as const, params, summary: '', changes: [], calls: [], cli: [], notes: [], before: { desiredCount: 4, runningCount: 4 } };
    const error = await ecsScale.verify!(plan, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerifyTimeout);
    expect((error as Error).message).toBe('orchestrator running count 8: not reached within 12s (last seen: orchestrator running 7/8, pending 1)');
    // 5 s, 5 s, then only the 2 s left before the deadline.
    expect(ctx.sleeps).toEqual([5000, 5000, 2000]);
  });
});
