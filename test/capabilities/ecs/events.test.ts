// The ecs.events probe on the real ECS client (aws-sdk-client-mock): the service's own events
// counted over the window, the latest shown, read with the same DescribeServices as the rest.
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { gatherAll, ok, probe, requests, source } from '../../helpers/live-probes.js';

const ecs = mockClient(ECSClient);
const at = new Date('2026-03-04T11:15:00Z');
const now = () => at.getTime() + 60_000;
const minsAgo = (m: number) => new Date(at.getTime() - m * 60_000);
const placement = (extra: Record<string, unknown> = {}) => probe({ kind: 'ecs.events', cluster: 'mangaassist-prod', service: 'orchestrator', since: '30m', ...extra });

const service = (events: { createdAt: Date; message: string }[]) => ({ serviceName: 'orchestrator', status: 'ACTIVE', runningCount: 3, desiredCount: 4, events: events.map((e, i) => ({ id: `e${i}`, ...e })) });

beforeEach(() => ecs.reset());

describe('GIVEN an ecs.events probe', () => {
  it('WHEN the service could not place tasks in the window THEN the value counts those events and the card shows the latest', async () => {
    ecs.on(DescribeServicesCommand).resolves({
      services: [
        service([
          { createdAt: minsAgo(3), message: '(service orchestrator) was unable to place a task because no container instance met all of its requirements.' },
          { createdAt: minsAgo(12), message: '(service orchestrator) has reached a steady state.' },
          { createdAt: minsAgo(20), message: '(service orchestrator) was unable to place a task. Reason: Capacity is unavailable at this time.' },
          { createdAt: minsAgo(90), message: '(service orchestrator) was unable to place a task. Reason: Capacity is unavailable at this time.' },
        ]),
      ],
    });
    const { evidence } = await gatherAll(source({ at, now }), requests({ placement: placement() }));
    expect(ecs.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input)).toEqual([{ cluster: 'mangaassist-prod', services: ['orchestrator'] }]);
    const e = ok(evidence.placement);
    expect(e.value).toBe(2);
    expect(e.detail).toBe('latest at 2026-03-04T11:12:00Z: (service orchestrator) was unable to place a task because no container instance met all of its requirements.');
  });

  it('WHEN no event matches THEN the value is 0, not no data (the service answered)', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [service([{ createdAt: minsAgo(5), message: '(service orchestrator) has reached a steady state.' }])] });
    const { evidence } = await gatherAll(source({ at, now }), requests({ placement: placement({ match: 'unhealthy' }) }));
    expect(evidence.placement).toEqual({ status: 'ok', value: 0 });
  });

  it('WHEN the service does not exist THEN the card says so', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: 'arn:aws:ecs:ap-northeast-1:1:service/mangaassist-prod/orchestrator', reason: 'MISSING' }] });
    const { evidence } = await gatherAll(source({ at, now }), requests({ placement: placement() }));
    expect(evidence.placement).toEqual({ status: 'error', reason: 'service orchestrator not found in cluster mangaassist-prod (MISSING)' });
  });
});
