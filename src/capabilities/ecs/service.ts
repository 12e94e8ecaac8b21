// The ecs.service probe. One DescribeServices per cluster (10 services a call) serves every
// field of every service probe: running / desired / pending counts and the deployments started
// within `since`. Task restarts come from ListTasks(desiredStatus STOPPED) + DescribeTasks,
// counting tasks whose stoppedAt falls within `since`: structured timestamps and stop codes
// (EssentialContainerExited, TaskFailedToStart, ServiceSchedulerInitiated…) rather than the
// free text of service events, which is capped at 100 messages and reworded now and then.
// The cost: ECS lists a stopped task for about an hour only, so a `since` longer than that
// counts what is still listed, and the card says so.
import { z } from 'zod';
import { deferred } from '../../core/deferred.js';
import type { Evidence } from '../../core/evidence.js';
import { printable } from '../../core/printable.js';
import { durationMs, fmtTime } from '../../core/time.js';
import { failure, shared } from '../failure.js';
import { defineProbeKind, duration, isReplay, probeCommon, simulateScalar, type Pending, type ReadContext } from '../probe-kind.js';
import type { EcsService, EcsTask } from './port.js';

const EcsServiceProbe = deferred(() => z.strictObject({
  kind: z.literal('ecs.service'),
  ...probeCommon,
  cluster: z.string(),
  service: z.string(),
  /** runningCount / desiredCount / pendingCount; recentDeployments = deployments started within `since`; taskRestarts = tasks stopped within `since`. */
  field: z.enum(['runningCount', 'desiredCount', 'pendingCount', 'recentDeployments', 'taskRestarts']),
  since: duration.default('2h'),
}));
type EcsProbe = z.infer<typeof EcsServiceProbe>;

/** ECS keeps stopped tasks listed for at least this long (DescribeTasks documentation). */
const STOPPED_TASK_RETENTION_MS = 3_600_000;

function within(t: number | undefined, from: number, to: number): boolean {
  return t !== undefined && t >= from && t <= to;
}

function deploymentsEvidence(probe: EcsProbe, service: EcsService, ctx: Pick<ReadContext, 'at' | 'now'>): Evidence {
  const to = ctx.at.getTime();
  const from = to - durationMs(probe.since);
  const recent = service.deployments.filter((d) => within(d.createdAt, from, to));
  // A deployment without a creation time may be a recent one: 0 would be a guess.
  const undated = service.deployments.filter((d) => d.createdAt === undefined);
  if (recent.length === 0 && undated.length) return { status: 'nodata', reason: `ECS gave no createdAt for deployment ${undated.map((d) => d.id || '?').join(', ')}: cannot tell when it started` };
  const listed = recent.map((d) => `${d.status || '?'} ${d.taskDefinition.split('/').pop() ?? ''} at ${fmtTime(d.createdAt)}`.trim());
  const notes = [listed.length ? listed.join(', ') : undefined, isReplay(ctx) ? 'from the deployments ECS lists now (a replaced deployment is no longer listed)' : undefined];
  const detail = notes.filter(Boolean).join('; ');
  return { status: 'ok', value: recent.length, ...(detail && { detail }) };
}

function restartsEvidence(probe: EcsProbe, tasks: EcsTask[], ctx: Pick<ReadContext, 'at' | 'now'>): Evidence {
  const to = ctx.at.getTime();
  const since = durationMs(probe.since);
  // A task still stopping has no stoppedAt yet: when it began stopping is its restart time.
  const stopTime = (t: EcsTask) => t.stoppedAt ?? t.stoppingAt;
  const stopped = tasks.filter((t) => within(stopTime(t), to - since, to));
  const undated = tasks.filter((t) => stopTime(t) === undefined);
  if (stopped.length === 0 && undated.length) return { status: 'nodata', reason: `${undated.length} stopped task(s) without a stop time (stoppedAt / stoppingAt): cannot tell whether they stopped within ${probe.since}` };
  const byCode = new Map<string, number>();
  for (const t of stopped) byCode.set(t.stopCode ?? 'unknown', (byCode.get(t.stopCode ?? 'unknown') ?? 0) + 1);
  const codes = [...byCode].map(([code, n]) => `${n} ${code}`).join(', ');
  const lastReason = stopped.map((t) => t.stoppedReason).find(Boolean);
  const retention = ctx.now.getTime() - (to - since) > STOPPED_TASK_RETENTION_MS ? 'ECS lists stopped tasks for about an hour: older restarts may be missing' : undefined;
  const detail = [codes || undefined, lastReason ? `last: ${printable(lastReason)}` : undefined, retention].filter(Boolean).join('; ');
  return { status: 'ok', value: stopped.length, ...(detail && { detail }) };
}

function serviceEvidence(probe: EcsProbe, service: EcsService, tasks: EcsTask[] | undefined, ctx: Pick<ReadContext, 'at' | 'now'>): Evidence {
  if (service.status && service.status !== 'ACTIVE') return { status: 'error', reason: `service ${probe.service} is ${service.status}` };
  switch (probe.field) {
    case 'recentDeployments':
      return deploymentsEvidence(probe, service, ctx);
    case 'taskRestarts':
      return restartsEvidence(probe, tasks ?? [], ctx);
    default: {
      if (isReplay(ctx)) return { status: 'nodata', reason: `ECS reports the current ${probe.field} only: --at cannot replay it (AWS/ECS RunningTaskCount with Container Insights can)` };
      const value = service[probe.field];
      if (value === undefined) return { status: 'nodata', reason: `ECS returned no ${probe.field} for ${probe.service}` };
      return { status: 'ok', value };
    }
  }
}

function read(requests: { id: string; probe: EcsProbe; timeoutMs: number }[], ctx: ReadContext): Pending {
  const pending: Pending = new Map();
  const clusters = new Map<string, typeof requests>();
  for (const r of requests) clusters.set(r.probe.cluster, [...(clusters.get(r.probe.cluster) ?? []), r]);

  for (const [cluster, rs] of clusters) {
    const signal = ctx.signal(Math.max(...rs.map((r) => r.timeoutMs)));
    const services = [...new Set(rs.map((r) => r.probe.service))];
    const withRestarts = [...new Set(rs.filter((r) => r.probe.field === 'taskRestarts').map((r) => r.probe.service))];
    const work = (async () => {
      const ecs = await ctx.ports.ecs();
      const stoppedTasks = async (service: string) => ecs.describeTasks(cluster, await ecs.listTasks(cluster, service, 'STOPPED', signal), signal);
      const [{ found, missing }, tasks] = await Promise.all([
        ecs.describeServices(cluster, services, signal),
        // A ListTasks denial costs the restart cards only, not the counts.
        Promise.all(withRestarts.map(async (s) => [s, await stoppedTasks(s).catch((e: unknown) => failure(e, 'ecs:ListTasks/DescribeTasks'))] as const)).then(
          (e) => new Map<string, EcsTask[] | Evidence>(e),
        ),
      ]);
      const out = new Map<string, Evidence>();
      for (const r of rs) {
        const service = found.get(r.probe.service);
        const stopped = r.probe.field === 'taskRestarts' ? tasks.get(r.probe.service) : undefined;
        if (!service) {
          out.set(r.id, { status: 'error', reason: `service ${r.probe.service} not found in cluster ${cluster} (${missing.get(r.probe.service) ?? 'MISSING'})` });
        } else if (stopped && !Array.isArray(stopped)) {
          out.set(r.id, stopped);
        } else {
          out.set(r.id, serviceEvidence(r.probe, service, stopped, ctx));
        }
      }
      return out;
    })();
    for (const [id, p] of shared(rs.map((r) => r.id), work, `ecs:DescribeServices ${cluster}`)) pending.set(id, p);
  }
  return pending;
}

export const ecsServiceKind = defineProbeKind({
  kind: 'ecs.service',
  schema: EcsServiceProbe,
  describe: (p) => `ECS DescribeServices ${p.cluster}/${p.service} · ${p.field}${['recentDeployments', 'taskRestarts'].includes(p.field) ? ` in the last ${p.since}` : ''}`,
  iamReads(p, iam) {
    iam.allow('EcsDescribeServices', ['ecs:DescribeServices'], [iam.arn.service(p.cluster, p.service)]);
    if (p.field === 'taskRestarts') {
      iam.allow('EcsListStoppedTasks', ['ecs:ListTasks'], ['*'], { ArnEquals: { 'ecs:cluster': [iam.arn.cluster(p.cluster)] } });
      iam.allow('EcsDescribeStoppedTasks', ['ecs:DescribeTasks'], [iam.arn.tasks(p.cluster)]);
    }
  },
  simulate: (_, sim) => simulateScalar(sim),
  reader: { read },
});
