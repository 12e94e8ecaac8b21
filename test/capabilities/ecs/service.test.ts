import { DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { gatherAll, ok, probe, requests, source } from '../../helpers/live-probes.js';

const ecs = mockClient(ECSClient);
const at = new Date('2026-03-04T11:15:00Z');
const now = () => at.getTime() + 60_000;
const minsAgo = (m: number) => new Date(at.getTime() - m * 60_000);
const svc = (field: string, extra: Record<string, unknown> = {}) => probe({ kind: 'ecs.service', cluster: 'mangaassist-prod', service: 'orchestrator', field, ...extra });

beforeEach(() => ecs.reset());

const service = {
  serviceName: 'orchestrator',
  serviceArn: 'arn:aws:ecs:ap-northeast-1:123456789012:service/mangaassist-prod/orchestrator',
  status: 'ACTIVE',
  runningCount: 4,
  desiredCount: 8,
  pendingCount: 2,
  deployments: [
    { status: 'PRIMARY', createdAt: minsAgo(30), taskDefinition: 'arn:aws:ecs:ap-northeast-1:1:task-definition/orchestrator:42' },
    { status: 'ACTIVE', createdAt: minsAgo(60 * 30), taskDefinition: 'arn:aws:ecs:ap-northeast-1:1:task-definition/orchestrator:41' },
  ],
};

describe('GIVEN ECS service probes', () => {
  it('WHEN several fields of one service are asked THEN one DescribeServices answers them all', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [service], failures: [] });
    const { evidence } = await gatherAll(
      source({ at, now }),
      requests({ running: svc('runningCount'), desired: svc('desiredCount'), pending: svc('pendingCount'), deploys: svc('recentDeployments', { since: '2h' }) }),
    );
    const calls = ecs.commandCalls(DescribeServicesCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({ cluster: 'mangaassist-prod', services: ['orchestrator'] });
    expect([ok(evidence.running).value, ok(evidence.desired).value, ok(evidence.pending).value]).toEqual([4, 8, 2]);
    // Only the deployment created within the last 2 h counts.
    expect(ok(evidence.deploys).value).toBe(1);
    expect(ok(evidence.deploys).detail).toBe('PRIMARY orchestrator:42 at 2026-03-04T10:45:00Z');
  });

  it('WHEN task restarts are asked THEN stopped tasks are listed, described, and counted by stoppedAt within `since`', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [service] });
    ecs.on(ListTasksCommand)
      .resolvesOnce({ taskArns: ['t1', 't2'], nextToken: 'more' })
      .resolvesOnce({ taskArns: ['t3'] });
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        { taskArn: 't1', stoppedAt: minsAgo(5), stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' },
        { taskArn: 't2', stoppedAt: minsAgo(20), stopCode: 'EssentialContainerExited' },
        { taskArn: 't3', stoppedAt: minsAgo(50), stopCode: 'ServiceSchedulerInitiated' },
      ],
    });
    const { evidence } = await gatherAll(source({ at, now }), requests({ restarts: svc('taskRestarts', { since: '30m' }) }));
    expect(ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: 'mangaassist-prod', serviceName: 'orchestrator', desiredStatus: 'STOPPED', maxResults: 100 },
      { cluster: 'mangaassist-prod', serviceName: 'orchestrator', desiredStatus: 'STOPPED', maxResults: 100, nextToken: 'more' },
    ]);
    expect(ecs.commandCalls(DescribeTasksCommand)[0]!.args[0].input).toEqual({ cluster: 'mangaassist-prod', tasks: ['t1', 't2', 't3'] });
    const e = ok(evidence.restarts);
    expect(e.value).toBe(2);
    expect(e.detail).toBe('2 EssentialContainerExited; last: Essential container in task exited');
  });

  it('WHEN ListTasks is denied THEN only the restart card fails; the counts stand', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [service] });
    ecs.on(ListTasksCommand).rejects(Object.assign(new Error('not authorized to perform: ecs:ListTasks'), { name: 'AccessDeniedException' }));
    const { evidence } = await gatherAll(source({ at, now }), requests({ restarts: svc('taskRestarts'), running: svc('runningCount') }));
    expect(ok(evidence.running).value).toBe(4);
    expect(evidence.restarts).toMatchObject({ status: 'error', reason: expect.stringMatching(/^ecs:ListTasks\/DescribeTasks denied/) });
  });

  it('WHEN the service does not exist THEN its cards say so', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: 'arn:aws:ecs:ap-northeast-1:1:service/mangaassist-prod/orchestrator', reason: 'MISSING' }] });
    const { evidence } = await gatherAll(source({ at, now }), requests({ running: svc('runningCount') }));
    expect(evidence.running).toEqual({ status: 'error', reason: 'service orchestrator not found in cluster mangaassist-prod (MISSING)' });
  });

  it('WHEN the walk replays a past moment (--at) THEN current task counts are not passed off as then: no data', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [service] });
    const { evidence } = await gatherAll(source({ at, now: () => at.getTime() + 6 * 3_600_000 }), requests({ running: svc('runningCount') }));
    expect(evidence.running).toMatchObject({ status: 'nodata', reason: expect.stringMatching(/current runningCount only: --at cannot replay it/) });
  });

  it('WHEN ECS leaves a count, a deployment time or a stop time out THEN the card says no data, never 0', async () => {
    const { runningCount: _r, ...noRunning } = service;
    ecs.on(DescribeServicesCommand).resolves({ services: [{ ...noRunning, deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: 'td:42' }] }] });
    ecs.on(ListTasksCommand).resolves({ taskArns: ['t1'] });
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: 't1', lastStatus: 'RUNNING', desiredStatus: 'STOPPED' }] });
    const { evidence } = await gatherAll(
      source({ at, now }),
      requests({ running: svc('runningCount'), desired: svc('desiredCount'), deploys: svc('recentDeployments'), restarts: svc('taskRestarts') }),
    );
    expect(evidence.running).toEqual({ status: 'nodata', reason: 'ECS returned no runningCount for orchestrator' });
    expect(ok(evidence.desired).value).toBe(8);
    expect(evidence.deploys).toEqual({ status: 'nodata', reason: 'ECS gave no createdAt for deployment ecs-svc/1: cannot tell when it started' });
    expect(evidence.restarts).toMatchObject({ status: 'nodata', reason: expect.stringMatching(/^1 stopped task\(s\) without a stop time/) });
  });

  it('WHEN a task is still stopping THEN it counts as a restart from the time it began stopping', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [service] });
    ecs.on(ListTasksCommand).resolves({ taskArns: ['t1'] });
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: 't1', lastStatus: 'DEACTIVATING', stoppingAt: minsAgo(2), stopCode: 'ServiceSchedulerInitiated' }] });
    const { evidence } = await gatherAll(source({ at, now }), requests({ restarts: svc('taskRestarts', { since: '30m' }) }));
    expect(ok(evidence.restarts).value).toBe(1);
  });
});
