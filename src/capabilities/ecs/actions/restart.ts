// ecs.restart: UpdateService forceNewDeployment — every task replaced by a new one on the
// same revision (fresh DNS cache, fresh connections) — then wait until stable. No undo: a
// replaced task cannot be brought back.
import { z } from 'zod';
import { defineAction } from '../../action.js';
import { name } from '../../params.js';
import { allowUpdateService, ecsDefaults, describeCli, readService, serviceResource, shortTd, waitStable } from '../common.js';
import { sh } from '../../../core/shell.js';

export const ecsRestart = defineAction({
  name: 'ecs.restart',
  describe: 'UpdateService forceNewDeployment (every task replaced, same revision); wait until stable',
  params: z.strictObject({ cluster: name, service: name }),
  defaults: ecsDefaults,
  async plan(p, ctx) {
    const s = await readService(await ctx.ports.ecs(), p.cluster, p.service);
    const min = s.deploymentConfiguration?.minimumHealthyPercent;
    const max = s.deploymentConfiguration?.maximumPercent;
    const notes = ['Nothing to undo: the old tasks are stopped, not kept.'];
    if (min !== undefined && max !== undefined) {
      notes.unshift(`ECS keeps at least ${min}% of ${s.desiredCount ?? '?'} task(s) running and starts up to ${max}% while it replaces them; streams on a stopped task are cut.`);
    }
    if (s.deployments.length > 1) notes.push(`A deployment is already in progress (${s.deployments.length} deployments): this one replaces it.`);
    return {
      action: 'ecs.restart',
      params: p,
      summary: `Restart ${p.service}: replace its ${s.runningCount ?? '?'} task(s) with new ones on ${shortTd(s.taskDefinition)}`,
      changes: [{ what: `${p.service} tasks`, from: `${s.runningCount ?? '?'} running`, to: `${s.desiredCount ?? '?'} new (same revision)` }],
      calls: [`ECS UpdateService cluster=${p.cluster} service=${p.service} forceNewDeployment=true`],
      cli: [`aws ecs update-service --cluster ${sh(p.cluster)} --service ${sh(p.service)} --force-new-deployment`],
      notes,
      before: { taskDefinition: s.taskDefinition, runningCount: s.runningCount, deployments: s.deployments.map((d) => d.id) },
      check: describeCli(p.cluster, p.service, 'deployments[].[id, status, createdAt]'),
    };
  },
  resource: serviceResource,
  iamWrites: allowUpdateService,
  async apply(plan, ctx) {
    const p = plan.params;
    const s = await (await ctx.ports.ecs()).updateService({ cluster: p.cluster, service: p.service, forceNewDeployment: true });
    const primary = s.deployments.find((d) => d.status === 'PRIMARY');
    return { calls: plan.calls, changed: [`${p.service}: new deployment ${primary?.id ?? ''}`.trim()], detail: { deploymentId: primary?.id } };
  },
  // A forced deployment shows as a PRIMARY deployment that was not there when planned.
  async reread(plan, ctx) {
    const p = plan.params;
    const s = await readService(await ctx.ports.ecs(), p.cluster, p.service);
    const primary = s.deployments.find((d) => d.status === 'PRIMARY');
    const fresh = primary && !plan.before.deployments.includes(primary.id);
    const observed = `${p.service} deployments: ${s.deployments.map((d) => `${d.id} ${d.status}`).join(', ') || 'none'}`;
    if (fresh) return { state: 'applied', observed, changed: [`${p.service}: new deployment ${primary.id}`], unchanged: [], detail: { deploymentId: primary.id } };
    return { state: 'not applied', observed, changed: [], unchanged: [`${p.service}: no new deployment`] };
  },
  async verify(plan, ctx, applied) {
    const p = plan.params;
    const deploymentId = applied?.detail?.deploymentId;
    return waitStable(ctx, await ctx.ports.ecs(), p.cluster, p.service, { deploymentId });
  },
});
