// What the ECS actions share: reading the service (a clear refusal when it is not there),
// short names for revisions, shell quoting for the pasteable commands, and the wait until
// a service is stable — the AWS CLI's services-stable condition: one deployment, running
// count at the desired count.
import type { Config } from '../../core/config.js';
import { UsageError } from '../../core/errors.js';
import { printable } from '../../core/printable.js';
import { DEFAULT_SECRET_NAMES, looksSecret, maskSecret } from '../../core/secrets.js';
import { sh } from '../../core/shell.js';
import type { ActionContext, Resource } from '../action.js';
import { str, type IamWrites } from '../iam.js';
import { waitUntil } from '../wait.js';
import { describeService, type EcsPort, type EcsService } from './port.js';

export async function readService(ecs: EcsPort, cluster: string, service: string): Promise<EcsService> {
  const s = await describeService(ecs, cluster, service);
  if (!s || s.status === 'INACTIVE') {
    throw new UsageError(`ECS service '${service}' not found in cluster '${cluster}'`, 'pass --cluster and --service (defaults: ecs.cluster and ecs.service in the config)');
  }
  return s;
}

/** arn:aws:ecs:…:task-definition/orchestrator:12 → orchestrator:12 */
export function shortTd(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

/** arn:…:task/cluster/abc123 → abc123 */
export function shortTask(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

export function describeCounts(s: EcsService): string {
  const pending = s.pendingCount ? `, pending ${s.pendingCount}` : '';
  const deployments = s.deployments.length > 1 ? `, ${s.deployments.length} deployments` : '';
  return `${s.serviceName} running ${s.runningCount ?? '?'}/${s.desiredCount ?? '?'}${pending}${deployments}`;
}

/**
 * Wait until the service is stable: one deployment, running = desired — and, when given,
 * that deployment runs `taskDefinition` / is `deploymentId`. A deployment the circuit
 * breaker marked FAILED stops the wait at once.
 */
export async function waitStable(
  ctx: ActionContext,
  ecs: EcsPort,
  cluster: string,
  service: string,
  expect: { taskDefinition?: string; deploymentId?: string } = {},
): Promise<string> {
  return waitUntil(ctx, `${service} stable`, async () => {
    const s = await readService(ecs, cluster, service);
    const primary = s.deployments.find((d) => d.status === 'PRIMARY') ?? s.deployments[0];
    if (primary?.rolloutState === 'FAILED') {
      return { done: false, status: describeCounts(s), failed: `deployment ${primary.id} failed: ${primary.rolloutStateReason ?? 'rolled back by the circuit breaker'}` };
    }
    const onTarget = (!expect.taskDefinition || primary?.taskDefinition === expect.taskDefinition) && (!expect.deploymentId || primary?.id === expect.deploymentId);
    const done = onTarget && s.deployments.length === 1 && s.runningCount !== undefined && s.runningCount === s.desiredCount;
    const on = primary ? ` on ${shortTd(primary.taskDefinition)}` : '';
    return { done, status: `${describeCounts(s)}${on}` };
  });
}

/** The read that shows a service field as it is now: for a human, when mangaops cannot tell. */
export function describeCli(cluster: string, service: string, field: string): string {
  return `aws ecs describe-services --cluster ${sh(cluster)} --services ${sh(service)} --query ${sh(`services[0].${field}`)}`;
}

/**
 * Environment values as shown and journaled: a value whose name looks secret (config
 * ecs.secretEnvNames, default *PASSWORD*, *SECRET*, *TOKEN*, *KEY*) masked with a short hash, so
 * before and after can still be told apart; any other value with its control characters escaped.
 */
export function envShower(config: Config): { secret(name: string): boolean; show(name: string, value: string | null | undefined): string } {
  const globs = config.ecs?.secretEnvNames ?? DEFAULT_SECRET_NAMES;
  const secret = (name: string) => looksSecret(name, globs);
  return { secret, show: (name, value) => (value === null || value === undefined ? '(unset)' : secret(name) ? maskSecret(value) : printable(value)) };
}

/** The service every ECS action defaults to, from the config. */
export const ecsDefaults = { cluster: '${ecs.cluster}', service: '${ecs.service}' };

/** What an ECS action changes, for the team's lease: the service. */
export function serviceResource<P extends { params: { cluster: string; service: string } }>(plan: P): Resource {
  return { key: `ecs:${plan.params.cluster}/${plan.params.service}`, name: plan.params.service };
}

/** The write every action that updates the service needs, on that service only. */
export function allowUpdateService(params: Record<string, unknown>, iam: IamWrites): void {
  iam.allow('EcsUpdateService', ['ecs:DescribeServices', 'ecs:UpdateService'], [iam.arn.service(str(params, 'cluster'), str(params, 'service'))]);
}
