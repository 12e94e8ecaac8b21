// ECS probes. One DescribeServices per cluster (10 services a call) serves every field of
// every service probe: running / desired / pending counts and the deployments started within
// `since`. Task restarts come from ListTasks(desiredStatus STOPPED) + DescribeTasks, counting
// tasks whose stoppedAt falls within `since`: structured timestamps and stop codes
// (EssentialContainerExited, TaskFailedToStart, ServiceSchedulerInitiated…) rather than the
// free text of service events, which is capped at 100 messages and reworded now and then.
// The cost: ECS lists a stopped task for about an hour only, so a `since` longer than that
// counts what is still listed, and the card says so.
import type { Deployment, ECSClient, Service, Task } from '@aws-sdk/client-ecs';
import type { EcsSdk, Sdk } from '../../aws/clients.js';
import type { Evidence } from '../../engine/evidence.js';
import type { Probe } from '../../runbook/schema.js';
import type { ProbeRequest } from '../port.js';
import { durationMs } from './at.js';
import { chunks, failure, fmtTime, isReplay, shared, type LiveContext, type Pending } from './context.js';

type EcsProbe = Extract<Probe, { kind: 'ecs.service' }>;

/** ECS keeps stopped tasks listed for at least this long (DescribeTasks documentation). */
const STOPPED_TASK_RETENTION_MS = 3_600_000;

export async function describeServices(ecs: Sdk<ECSClient, EcsSdk>, cluster: string, services: string[], signal?: AbortSignal) {
  const found = new Map<string, Service>();
  const missing = new Map<string, string>();
  for (const names of chunks(services, 10)) {
    const res = await ecs.client.send(new ecs.sdk.DescribeServicesCommand({ cluster, services: names }), { abortSignal: signal });
    for (const s of res.services ?? []) {
      const name = names.find((n) => n === s.serviceName || n === s.serviceArn);
      if (name) found.set(name, s);
    }
    for (const f of res.failures ?? []) {
      const name = names.find((n) => f.arn === n || f.arn?.endsWith(`/${n}`)) ?? f.arn ?? '?';
      missing.set(name, f.reason ?? 'MISSING');
    }
  }
  return { found, missing };
}

/** The service's stopped tasks still listed by ECS, with their stoppedAt. */
export async function stoppedTasks(ecs: Sdk<ECSClient, EcsSdk>, cluster: string, service: string, signal?: AbortSignal): Promise<Task[]> {
  const arns: string[] = [];
  let token: string | undefined;
  do {
    const res = await ecs.client.send(
      new ecs.sdk.ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED', maxResults: 100, ...(token && { nextToken: token }) }),
      { abortSignal: signal },
    );
    arns.push(...(res.taskArns ?? []));
    token = res.nextToken || undefined;
  } while (token);
  const tasks: Task[] = [];
  for (const batch of chunks(arns, 100)) {
    const res = await ecs.client.send(new ecs.sdk.DescribeTasksCommand({ cluster, tasks: batch }), { abortSignal: signal });
    tasks.push(...(res.tasks ?? []));
  }
  return tasks;
}

function within(t: Date | undefined, from: number, to: number): boolean {
  const ms = t ? new Date(t).getTime() : NaN;
  return ms >= from && ms <= to;
}

function deploymentsEvidence(probe: EcsProbe, service: Service, ctx: LiveContext): Evidence {
  const to = ctx.at.getTime();
  const from = to - durationMs(probe.since);
  const recent = (service.deployments ?? []).filter((d: Deployment) => within(d.createdAt, from, to));
  const listed = recent.map((d) => `${d.status ?? '?'} ${d.taskDefinition?.split('/').pop() ?? ''} at ${fmtTime(d.createdAt)}`.trim());
  const notes = [listed.length ? listed.join(', ') : undefined, isReplay(ctx) ? 'from the deployments ECS lists now (a replaced deployment is no longer listed)' : undefined];
  const detail = notes.filter(Boolean).join('; ');
  return { status: 'ok', value: recent.length, ...(detail && { detail }) };
}

function restartsEvidence(probe: EcsProbe, tasks: Task[], ctx: LiveContext): Evidence {
  const to = ctx.at.getTime();
  const since = durationMs(probe.since);
  const stopped = tasks.filter((t) => within(t.stoppedAt, to - since, to));
  const byCode = new Map<string, number>();
  for (const t of stopped) byCode.set(t.stopCode ?? 'unknown', (byCode.get(t.stopCode ?? 'unknown') ?? 0) + 1);
  const codes = [...byCode].map(([code, n]) => `${n} ${code}`).join(', ');
  const lastReason = stopped.map((t) => t.stoppedReason).find(Boolean);
  const retention = ctx.now.getTime() - (to - since) > STOPPED_TASK_RETENTION_MS ? 'ECS lists stopped tasks for about an hour: older restarts may be missing' : undefined;
  const detail = [codes || undefined, lastReason ? `last: ${lastReason}` : undefined, retention].filter(Boolean).join('; ');
  return { status: 'ok', value: stopped.length, ...(detail && { detail }) };
}

function serviceEvidence(probe: EcsProbe, service: Service, tasks: Task[] | undefined, ctx: LiveContext): Evidence {
  if (service.status && service.status !== 'ACTIVE') return { status: 'error', reason: `service ${probe.service} is ${service.status}` };
  switch (probe.field) {
    case 'recentDeployments':
      return deploymentsEvidence(probe, service, ctx);
    case 'taskRestarts':
      return restartsEvidence(probe, tasks ?? [], ctx);
    default: {
      if (isReplay(ctx)) return { status: 'nodata', reason: `ECS reports the current ${probe.field} only: --at cannot replay it (AWS/ECS RunningTaskCount with Container Insights can)` };
      const value = service[probe.field];
      return typeof value === 'number' ? { status: 'ok', value } : { status: 'nodata', reason: `DescribeServices gave no ${probe.field}` };
    }
  }
}

export function gatherEcs(requests: ProbeRequest[], ctx: LiveContext): Pending {
  const ecsRequests = requests.flatMap((r) => (r.probe.kind === 'ecs.service' ? [{ ...r, probe: r.probe }] : []));
  const pending: Pending = new Map();
  const clusters = new Map<string, typeof ecsRequests>();
  for (const r of ecsRequests) clusters.set(r.probe.cluster, [...(clusters.get(r.probe.cluster) ?? []), r]);

  for (const [cluster, rs] of clusters) {
    const signal = ctx.signal(Math.max(...rs.map((r) => r.timeoutMs)));
    const services = [...new Set(rs.map((r) => r.probe.service))];
    const withRestarts = [...new Set(rs.filter((r) => r.probe.field === 'taskRestarts').map((r) => r.probe.service))];
    const work = (async () => {
      const ecs = await ctx.aws.ecs();
      const [{ found, missing }, tasks] = await Promise.all([
        describeServices(ecs, cluster, services, signal),
        // A ListTasks denial costs the restart cards only, not the counts.
        Promise.all(
          withRestarts.map(async (s) => [s, await stoppedTasks(ecs, cluster, s, signal).catch((e: unknown) => failure(e, 'ecs:ListTasks/DescribeTasks'))] as const),
        ).then((e) => new Map<string, Task[] | Evidence>(e)),
      ]);
      const out = new Map<string, Evidence>();
      for (const r of rs) {
        const service = found.get(r.probe.service);
        const stopped = r.probe.field === 'taskRestarts' ? tasks.get(r.probe.service) : undefined;
        if (service && stopped && !Array.isArray(stopped)) {
          out.set(r.id, stopped);
          continue;
        }
        out.set(
          r.id,
          service
            ? serviceEvidence(r.probe, service, stopped as Task[] | undefined, ctx)
            : { status: 'error', reason: `service ${r.probe.service} not found in cluster ${cluster} (${missing.get(r.probe.service) ?? 'MISSING'})` },
        );
      }
      return out;
    })();
    for (const [id, p] of shared(rs.map((r) => r.id), work, `ecs:DescribeServices ${cluster}`)) pending.set(id, p);
  }
  return pending;
}
