// ecs.set-env on aws-sdk-client-mock over the real ECS client: the new revision is the old
// one minus exactly the read-only fields, tags kept, the environment changed; a failed
// registration leaves the service untouched; the wait follows the service until the new
// revision is stable, under a deadline; the undo moves the service back.
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ecsSetEnv } from '../../../../src/capabilities/ecs/actions/set-env.js';
import { ecsSetTaskDefinition } from '../../../../src/capabilities/ecs/actions/set-task-definition.js';
import { READ_ONLY_FIELDS } from '../../../../src/capabilities/ecs/taskdef.js';
import { PartialApplyError } from '../../../../src/capabilities/action.js';
import { VerifyTimeout } from '../../../../src/capabilities/wait.js';
import { UsageError } from '../../../../src/core/errors.js';
import { mockAws, service, TD11, TD12, TD13, type MockedAws } from '../../../helpers/aws-mocks.js';
import { fakeActionContext } from '../../../helpers/run-context.js';

const params = { cluster: 'mangaassist-prod', service: 'orchestrator', container: 'orchestrator', env: { BEDROCK_POOL_SIZE: '10', BEDROCK_KEEPALIVE_INTERVAL: '15' } };

let aws: MockedAws;
beforeEach(async () => {
  aws = await mockAws();
});
afterEach(() => aws.restore());

describe('ecs.set-env plan', () => {
  it('reads the service, then its task definition with include TAGS, and shows each value from → to', async () => {
    const ctx = fakeActionContext(aws.ports);
    const plan = await ecsSetEnv.plan(params, ctx);
    expect(aws.ecs.commandCalls(DescribeTaskDefinitionCommand).map((c) => c.args[0].input)).toEqual([{ taskDefinition: TD12, include: ['TAGS'] }]);
    expect(plan.changes).toEqual([
      { what: 'BEDROCK_POOL_SIZE', from: '5', to: '10' },
      { what: 'BEDROCK_KEEPALIVE_INTERVAL', from: '30', to: '15' },
    ]);
    expect(plan.undo).toEqual({ action: 'ecs.set-task-definition', params: { cluster: 'mangaassist-prod', service: 'orchestrator', taskDefinition: TD12 }, text: 'point orchestrator back to orchestrator:12' });
    expect(plan.cli.join('\n')).toContain('aws ecs register-task-definition --cli-input-json file://new-td.json');
    expect(aws.mutations()).toEqual([]);
  });

  it('is a no-op when every value is already set', async () => {
    const plan = await ecsSetEnv.plan({ ...params, env: { BEDROCK_POOL_SIZE: '5' } }, fakeActionContext(aws.ports));
    expect(plan.noop).toBe(true);
  });

  it('refuses a container the task definition does not have, naming the ones it has', async () => {
    await expect(ecsSetEnv.plan({ ...params, container: 'api' }, fakeActionContext(aws.ports))).rejects.toThrow(UsageError);
    await expect(ecsSetEnv.plan({ ...params, container: 'api' }, fakeActionContext(aws.ports))).rejects.toMatchObject({ hint: 'pass --container (one of: orchestrator, log-router)' });
  });

  it('cannot set a name that comes from the secrets', async () => {
    const plan = await ecsSetEnv.plan({ ...params, env: { REDIS_AUTH: 'x' } }, fakeActionContext(aws.ports));
    expect(plan.blocked).toContain('REDIS_AUTH');
  });
});

describe('ecs.set-env apply', () => {
  it('registers the old definition minus exactly the read-only fields, with the tags and the new environment, then UpdateService onto it', async () => {
    aws.ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: TD13, revision: 13 } });
    aws.ecs.on(UpdateServiceCommand).resolves({ service: service({ taskDefinition: TD13 }) });
    const ctx = fakeActionContext(aws.ports);
    const plan = await ecsSetEnv.plan(params, ctx);
    const result = await ecsSetEnv.apply(plan, ctx);

    const registered = aws.ecs.commandCalls(RegisterTaskDefinitionCommand)[0]!.args[0].input as unknown as Record<string, unknown>;
    for (const field of READ_ONLY_FIELDS) expect(registered).not.toHaveProperty(field);
    expect(Object.keys(registered).sort()).toEqual(
      ['family', 'taskRoleArn', 'executionRoleArn', 'networkMode', 'requiresCompatibilities', 'cpu', 'memory', 'runtimePlatform', 'containerDefinitions', 'tags'].sort(),
    );
    expect(registered.tags).toEqual([{ key: 'app', value: 'mangaassist' }, { key: 'team', value: 'platform' }]);
    const [app, router] = registered.containerDefinitions as { name: string; environment?: unknown; secrets?: unknown; image?: string }[];
    expect(app!.environment).toEqual([
      { name: 'BEDROCK_POOL_SIZE', value: '10' },
      { name: 'BEDROCK_KEEPALIVE_INTERVAL', value: '15' },
      { name: 'CHUNK_BATCH_SIZE', value: '3' },
    ]);
    expect(app!.secrets).toEqual([{ name: 'REDIS_AUTH', valueFrom: expect.stringContaining('secretsmanager') }]);
    expect(router).toEqual({ name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', essential: false });

    expect(aws.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([{ cluster: 'mangaassist-prod', service: 'orchestrator', taskDefinition: TD13 }]);
    expect(result.changed).toEqual(['registered orchestrator:13', 'orchestrator orchestrator:12 → orchestrator:13']);
    expect(result.detail).toEqual({ registered: TD13, revision: 13 });
  });

  it('GIVEN RegisterTaskDefinition fails THEN no UpdateService: the service is untouched, and the error says so', async () => {
    aws.ecs.on(RegisterTaskDefinitionCommand).rejects(Object.assign(new Error('Too many concurrent attempts to create a new revision'), { name: 'ClientException' }));
    const ctx = fakeActionContext(aws.ports);
    const plan = await ecsSetEnv.plan(params, ctx);
    const error = await ecsSetEnv.apply(plan, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialApplyError);
    expect((error as PartialApplyError).changed).toEqual([]);
    expect((error as PartialApplyError).unchanged).toEqual(['no new revision registered', 'orchestrator still runs orchestrator:12']);
    expect(aws.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });
});

describe('ecs.set-env verify', () => {
  it('waits until the service runs only the new revision at its desired count, saying what it sees', async () => {
    const rolling = (new_: number, old: number) =>
      service({
        taskDefinition: TD13,
        runningCount: new_ + old,
        deployments: [
          { id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: TD13, desiredCount: 4, runningCount: new_, pendingCount: 4 - new_, rolloutState: new_ === 4 && !old ? 'COMPLETED' : 'IN_PROGRESS' },
          ...(old ? [{ id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: TD12, desiredCount: 0, runningCount: old, pendingCount: 0 }] : []),
        ],
      });
    aws.ecs.on(DescribeServicesCommand).resolvesOnce({ services: [rolling(1, 4)] }).resolvesOnce({ services: [rolling(3, 2)] }).resolves({ services: [rolling(4, 0)] });
    const ctx = fakeActionContext(aws.ports);
    const observed = await ecsSetEnv.verify!({ action: 'ecs.set-env', params, summary: '', changes: [], calls: [], cli: [], notes: [], before: { taskDefinition: TD12, container: 'orchestrator', environment: {} } }, ctx, { calls: [], changed: [], detail: { registered: TD13, revision: 13 } });
    expect(observed).toBe('orchestrator running 4/4 on orchestrator:13');
    expect(ctx.sleeps).toEqual([5000, 5000]);
    expect(ctx.lines[0]).toMatch(/^orchestrator running 5\/4, 2 deployments on orchestrator:13 — waiting 0s of 10m$/);
  });

  it('GIVEN the deployment never settles WHEN the deadline passes THEN VerifyTimeout, after exactly the deadline on the injected clock', async () => {
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [service({ deployments: [{ id: 'a', status: 'PRIMARY', taskDefinition: TD13, runningCount: 2, desiredCount: 4 }, { id: 'b', status: 'ACTIVE', taskDefinition: TD12, runningCount: 2, desiredCount: 0 }] })] });
    const ctx = fakeActionContext(aws.ports, { deadlineMs: 30_000 });
    const error = await ecsSetEnv.verify!({ action: 'ecs.set-env', params, summary: '', changes: [], calls: [], cli: [], notes: [], before: { taskDefinition: TD12, container: 'orchestrator', environment: {} } }, ctx, { calls: [], changed: [], detail: { registered: TD13, revision: 13 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerifyTimeout);
    expect((error as Error).message).toBe('orchestrator stable: not reached within 30s (last seen: orchestrator running 4/4, 2 deployments on orchestrator:13)');
    expect(ctx.elapsed()).toBe(30_000);
  });

  it('stops at once when the circuit breaker marks the deployment FAILED', async () => {
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [service({ deployments: [{ id: 'a', status: 'PRIMARY', taskDefinition: TD13, runningCount: 0, desiredCount: 4, rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' }] })] });
    const ctx = fakeActionContext(aws.ports);
    await expect(ecsSetEnv.verify!({ action: 'ecs.set-env', params, summary: '', changes: [], calls: [], cli: [], notes: [], before: { taskDefinition: TD12, container: 'orchestrator', environment: {} } }, ctx, { calls: [], changed: [], detail: { registered: TD13, revision: 13 } })).rejects.toThrow(
      'deployment a failed: tasks failed to start',
    );
    expect(ctx.sleeps).toEqual([]);
  });
});

describe('the undo: ecs.set-task-definition back to the previous revision', () => {
  it('shows what the revisions differ in, and UpdateService goes back to exactly the recorded ARN', async () => {
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [service({ taskDefinition: TD13 })] });
    aws.ecs.on(UpdateServiceCommand).resolves({ service: service({ taskDefinition: TD12 }) });
    const ctx = fakeActionContext(aws.ports);
    const plan = await ecsSetTaskDefinition.plan({ cluster: 'mangaassist-prod', service: 'orchestrator', taskDefinition: TD12 }, ctx);
    expect(plan.changes).toEqual([
      { what: 'orchestrator task definition', from: 'orchestrator:13', to: 'orchestrator:12' },
      { what: 'orchestrator BEDROCK_POOL_SIZE', from: '10', to: '5' },
      { what: 'orchestrator BEDROCK_KEEPALIVE_INTERVAL', from: '15', to: '30' },
    ]);
    expect(plan.undo?.params).toEqual({ cluster: 'mangaassist-prod', service: 'orchestrator', taskDefinition: TD13 });
    await ecsSetTaskDefinition.apply(plan, ctx);
    expect(aws.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([{ cluster: 'mangaassist-prod', service: 'orchestrator', taskDefinition: TD12 }]);
  });

  it('GIVEN a revision named the short way (orchestrator:11) THEN UpdateService gets the ARN the plan resolved, and reread knows it', async () => {
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [service({ taskDefinition: TD12 })] });
    aws.ecs.on(UpdateServiceCommand).resolves({ service: service({ taskDefinition: TD11 }) });
    const ctx = fakeActionContext(aws.ports);
    const plan = await ecsSetTaskDefinition.plan({ cluster: 'mangaassist-prod', service: 'orchestrator', taskDefinition: 'orchestrator:11' }, ctx);
    await ecsSetTaskDefinition.apply(plan, ctx);
    expect(aws.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input.taskDefinition)).toEqual([TD11]);
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [service({ taskDefinition: TD11 })] });
    expect(await ecsSetTaskDefinition.reread!(plan, ctx, new Error('the reply was lost'))).toMatchObject({ state: 'applied', changed: ['orchestrator orchestrator:12 → orchestrator:11'] });
  });

  it('a revision that does not exist is refused before any change', async () => {
    await expect(ecsSetTaskDefinition.plan({ cluster: 'mangaassist-prod', service: 'orchestrator', taskDefinition: 'orchestrator:99' }, fakeActionContext(aws.ports))).rejects.toThrow(/orchestrator:99/);
    expect(aws.mutations()).toEqual([]);
    void TD11;
  });
});
