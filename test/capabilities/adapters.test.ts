// The drill platform: seeded from the config with the seed's numbers, converging as ECS
// would, recording every mutating call — so a drill can plan every action on something
// real-looking, and a test can prove a drill changed nothing.
import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/runner/runner.js';
import { simulatedPorts } from '../../src/capabilities/adapters.js';
import { describeService } from '../../src/capabilities/ecs/port.js';
import { runContext } from '../helpers/run-context.js';

describe('simulatedPorts', () => {
  it('is seeded from the config: the service at 4 tasks with BEDROCK_POOL_SIZE 5, the collection group at min 2 search OCUs', async () => {
    const ports = simulatedPorts({ ecs: { cluster: 'game-day', service: 'orch', container: 'app' }, aoss: { collection: 'books' } });
    const ecs = await ports.ecs();
    const s = (await describeService(ecs, 'game-day', 'orch'))!;
    expect(s).toMatchObject({ desiredCount: 4, runningCount: 4 });
    const td = (await ecs.describeTaskDefinition(s.taskDefinition)).taskDefinition;
    expect(td.containerDefinitions![0]).toMatchObject({ name: 'app', environment: expect.arrayContaining([{ name: 'BEDROCK_POOL_SIZE', value: '5' }]) });
    expect(await ecs.listTasks('game-day', 'orch', 'RUNNING')).toHaveLength(4);
    const aoss = await ports.aoss();
    const c = (await aoss.getCollection('books'))!;
    expect((await aoss.getCollectionGroup(c.collectionGroupName!))!.capacityLimits.minSearchCapacityInOCU).toBe(2);
  });

  it('a drill of every ECS, capacity and quota action records no mutation; applying them records each', async () => {
    const ports = simulatedPorts({});
    const actions: [string, Record<string, unknown>][] = [
      ['ecs.scale', { cluster: 'mangaassist-prod', service: 'orchestrator', desiredCount: 8 }],
      ['ecs.set-env', { cluster: 'mangaassist-prod', service: 'orchestrator', env: { BEDROCK_POOL_SIZE: '10' } }],
      ['ecs.exec', { cluster: 'mangaassist-prod', service: 'orchestrator', command: '/app/scripts/warm_connections.sh' }],
      ['aoss.capacity', { collection: 'manga-products', minSearchOCU: 6 }],
      ['quota.request', { serviceCode: 'bedrock', quotaCode: 'L-F4DDD3EB', desiredValue: 400000 }],
    ];
    for (const [name, params] of actions) await runAction(name, params, runContext({ ports, mode: 'drill' }).ctx);
    expect(ports.platform.mutations).toEqual([]);

    for (const [name, params] of actions) expect((await runAction(name, params, runContext({ ports, yes: true }).ctx)).status, name).toMatch(/verified|applied/);
    expect(ports.platform.mutations.map((m) => m.split(' ').slice(0, 2).join(' '))).toEqual([
      'ECS UpdateService',
      'ECS RegisterTaskDefinition',
      'ECS UpdateService',
      'ECS ExecuteCommand',
      'ECS ExecuteCommand',
      'ECS ExecuteCommand',
      'ECS ExecuteCommand',
      'OpenSearchServerless UpdateCollectionGroup',
      'ServiceQuotas RequestServiceQuotaIncrease',
    ]);
  });
});
