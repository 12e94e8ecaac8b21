// The ecs.events probe: how many of the service's own events in the window say what the probe
// looks for — by default "unable to place a task", ECS's word for no capacity, no matching
// subnet or a task definition it cannot run — and the latest of them on the card. ECS keeps a
// service's last 100 events; a window that reaches past the oldest of them says so.
import { z } from 'zod';
import { deferred } from '../../core/deferred.js';
import type { Evidence } from '../../core/evidence.js';
import { printable } from '../../core/printable.js';
import { durationMs, fmtTime } from '../../core/time.js';
import { shared } from '../failure.js';
import { defineProbeKind, duration, isReplay, probeCommon, simulateScalar, type Pending } from '../probe-kind.js';
import type { EcsEvent } from './port.js';

const EcsEventsProbe = deferred(() => z.strictObject({
  kind: z.literal('ecs.events'),
  ...probeCommon,
  cluster: z.string(),
  service: z.string(),
  /** A case-insensitive regular expression over the event's message. */
  match: z.string().default('unable to place a task'),
  since: duration.default('1h'),
}));
type EcsEventsProbe = z.infer<typeof EcsEventsProbe>;

export function eventsEvidence(probe: EcsEventsProbe, events: EcsEvent[], at: Date, replay: boolean): Evidence {
  const to = at.getTime();
  const from = to - durationMs(probe.since);
  const match = new RegExp(probe.match, 'i');
  const seen = events.filter((e) => e.createdAt !== undefined && e.createdAt >= from && e.createdAt <= to && match.test(e.message));
  const undated = events.filter((e) => e.createdAt === undefined && match.test(e.message));
  if (seen.length === 0 && undated.length) return { status: 'nodata', reason: `${undated.length} matching event(s) without a time: cannot tell whether they fall within ${probe.since}` };
  const latest = seen.reduce<EcsEvent | undefined>((a, e) => (!a || e.createdAt! > a.createdAt! ? e : a), undefined);
  const oldest = Math.min(...events.map((e) => e.createdAt ?? Infinity));
  const notes = [
    latest ? `latest at ${fmtTime(latest.createdAt)}: ${printable(latest.message)}` : undefined,
    events.length >= 100 && oldest > from ? `ECS keeps the last 100 events: none before ${fmtTime(oldest)}` : undefined,
    replay ? 'from the events ECS lists now' : undefined,
  ].filter(Boolean);
  return { status: 'ok', value: seen.length, ...(notes.length && { detail: notes.join('; ') }) };
}

export const ecsEventsKind = defineProbeKind({
  kind: 'ecs.events',
  schema: EcsEventsProbe,
  describe: (p) => `ECS DescribeServices ${p.cluster}/${p.service} · events matching /${p.match}/i in the last ${p.since}`,
  iamReads: (p, iam) => iam.allow('EcsDescribeServices', ['ecs:DescribeServices'], [iam.arn.service(p.cluster, p.service)]),
  simulate: (_, sim) => simulateScalar(sim),
  reader: {
    read(requests, ctx): Pending {
      const pending: Pending = new Map();
      for (const r of requests) {
        const { cluster, service } = r.probe;
        const work = ctx.ports.ecs().then(async (ecs) => {
          const { found, missing } = await ecs.describeServices(cluster, [service], ctx.signal(r.timeoutMs));
          const s = found.get(service);
          const e: Evidence = s ? eventsEvidence(r.probe, s.events, ctx.at, isReplay(ctx)) : { status: 'error', reason: `service ${service} not found in cluster ${cluster} (${missing.get(service) ?? 'MISSING'})` };
          return new Map([[r.id, e]]);
        });
        for (const [id, p] of shared([r.id], work, `ecs:DescribeServices ${cluster}`)) pending.set(id, p);
      }
      return pending;
    },
  },
});
