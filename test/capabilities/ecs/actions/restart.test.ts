// ecs.restart on aws-sdk-client-mock: forceNewDeployment, then a wait for the new
// deployment (not the old one) to be the only one, at the desired count.
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ecsRestart } from '../../../../src/capabilities/ecs/actions/restart.js';
import { mockAws, service, TD12, type MockedAws } from '../../../helpers/aws-mocks.js';
import { fakeActionContext } from '../../../helpers/run-context.js';

const params = { cluster: 'mangaassist-prod', service: 'orchestrator' };

let aws: MockedAws;
beforeEach(async () => {
  aws = await mockAws();
});
afterEach(() => aws.restore());

const deployment = (id: string, status: string, running: number) => ({ id, status, taskDefinition: TD12, desiredCount: 4, runningCount: running, pendingCount: 0 });

describe('ecs.restart', () => {
  it('plans UpdateService forceNewDeployment, says there is no undo and how ECS replaces the tasks', async () => {
    const plan = await ecsRestart.plan(params, fakeActionContext(aws.ports));
    expect(plan.calls).toEqual(['ECS UpdateService cluster=mangaassist-prod service=orchestrator forceNewDeployment=true']);
    expect(plan.cli).toEqual(['aws ecs update-service --cluster mangaassist-prod --service orchestrator --force-new-deployment']);
    expect(plan.undo).toBeUndefined();
    expect(plan.notes[0]).toContain('at least 100% of 4 task(s)');
  });

  it('applies forceNewDeployment and waits until the new deployment alone runs 4 tasks', async () => {
    aws.ecs.on(UpdateServiceCommand).resolves({ service: service({ deployments: [deployment('ecs-svc/2', 'PRIMARY', 0), deployment('ecs-svc/1', 'ACTIVE', 4)] }) });
    aws.ecs
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [service()] }) // the plan
      .resolvesOnce({ services: [service({ runningCount: 6, deployments: [deployment('ecs-svc/2', 'PRIMARY', 2), deployment('ecs-svc/1', 'ACTIVE', 4)] })] })
      .resolves({ services: [service({ deployments: [deployment('ecs-svc/2', 'PRIMARY', 4)] })] });
    const ctx = fakeActionContext(aws.ports);
    const plan = await ecsRestart.plan(params, ctx);
    const applied = await ecsRestart.apply(plan, ctx);
    expect(aws.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([{ cluster: 'mangaassist-prod', service: 'orchestrator', forceNewDeployment: true }]);
    expect(applied.detail).toEqual({ deploymentId: 'ecs-svc/2' });
    expect(await ecsRestart.verify!(plan, ctx, applied)).toBe('orchestrator running 4/4 on orchestrator:12');
    expect(ctx.sleeps).toEqual([5000]);
  });

  it('is not fooled by the old deployment looking stable', async () => {
    // One deployment at 4/4 — but it is the old one: keep waiting until the deadline.
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [service({ deployments: [deployment('ecs-svc/1', 'PRIMARY', 4)] })] });
    const ctx = fakeActionContext(aws.ports, { deadlineMs: 10_000 });
    await expect(ecsRestart.verify!(await ecsRestart.plan(params, ctx), ctx, { calls: [], changed: [], detail: { deploymentId: 'ecs-svc/2' } })).rejects.toThrow(/not reached within 10s/);
  });
});
