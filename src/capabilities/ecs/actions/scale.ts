// ecs.scale: UpdateService desiredCount, capped at scaleCapFactor × the current count
// unless --force; verified when the running count gets there. Undo: the previous count.
import type { Config } from '../../../core/config.js';
import { z } from 'zod';
import { MangaopsError } from '../../../core/errors.js';
import { defineAction } from '../../action.js';
import { count, name } from '../../params.js';
import { allowUpdateService, ecsDefaults, describeCli, describeCounts, readService, serviceResource } from '../common.js';
import { sh } from '../../../core/shell.js';
import { waitUntil } from '../../wait.js';

interface Before {
  desiredCount: number;
  runningCount?: number;
}

function capFactor(config: Config): number {
  return config.ecs?.scaleCapFactor ?? 2;
}

export const ecsScale = defineAction({
  name: 'ecs.scale',
  describe: 'UpdateService desiredCount (capped at ecs.scaleCapFactor × current unless --force); waits for the running count',
  params: z.strictObject({ cluster: name, service: name, desiredCount: count }),
  defaults: ecsDefaults,
  async plan(p, ctx) {
    const ecs = await ctx.ports.ecs();
    const s = await readService(ecs, p.cluster, p.service);
    const from = s.desiredCount;
    // The cap and the undo are both computed from it: an unknown count cannot be planned from.
    if (from === undefined) throw new MangaopsError(`ECS returned no desiredCount for ${p.service}: cannot plan a change from an unknown count`, 1, 'describe the service again (aws ecs describe-services) and retry');
    const factor = capFactor(ctx.config);
    // From zero tasks, the cap counts as from one: "twice nothing" would refuse every start.
    const cap = Math.floor(factor * Math.max(from, 1));
    const before: Before = { desiredCount: from, runningCount: s.runningCount };
    const notes: string[] = [];
    if (s.runningCount !== s.desiredCount) notes.push(`Right now ${describeCounts(s)}: a deployment or a failing task is in progress.`);
    if (p.desiredCount < from) notes.push(`Scaling in stops ${from - p.desiredCount} task(s); their in-flight requests and WebSocket streams are cut.`);
    if (p.desiredCount === 0) notes.push('0 tasks takes the service down.');
    notes.push('An Application Auto Scaling policy on this service may move the count again.');
    return {
      action: 'ecs.scale',
      params: p,
      summary: `Scale ${p.service} from ${from} to ${p.desiredCount} task(s)`,
      changes: [{ what: `${p.service} desiredCount`, from: String(from), to: String(p.desiredCount) }],
      calls: [`ECS UpdateService cluster=${p.cluster} service=${p.service} desiredCount=${p.desiredCount}`],
      cli: [`aws ecs update-service --cluster ${sh(p.cluster)} --service ${sh(p.service)} --desired-count ${p.desiredCount}`],
      undo: { action: 'ecs.scale', params: { cluster: p.cluster, service: p.service, desiredCount: from }, text: `scale ${p.service} back to ${from} task(s)` },
      notes,
      check: describeCli(p.cluster, p.service, 'desiredCount'),
      refusal: p.desiredCount > cap ? `${p.desiredCount} is more than the cap of ${cap} (${factor} × ${Math.max(from, 1)}, ecs.scaleCapFactor in the config)` : undefined,
      noop: p.desiredCount === from,
      before,
    };
  },
  resource: serviceResource,
  iamWrites: allowUpdateService,
  async apply(plan, ctx) {
    const p = plan.params;
    const ecs = await ctx.ports.ecs();
    await ecs.updateService({ cluster: p.cluster, service: p.service, desiredCount: p.desiredCount });
    const from = plan.before.desiredCount;
    return { calls: plan.calls, changed: [`${p.service} desiredCount ${from} → ${p.desiredCount}`] };
  },
  async reread(plan, ctx) {
    const p = plan.params;
    const s = await readService(await ctx.ports.ecs(), p.cluster, p.service);
    const from = plan.before.desiredCount;
    const observed = `${p.service} desiredCount ${s.desiredCount}`;
    if (s.desiredCount === p.desiredCount) return { state: 'applied', observed, changed: [`${p.service} desiredCount ${from} → ${p.desiredCount}`], unchanged: [] };
    return { state: 'not applied', observed, changed: [], unchanged: [s.desiredCount === from ? `${p.service} desiredCount still ${from}` : `${p.service} desiredCount ${s.desiredCount}: set by someone else since the plan`] };
  },
  async verify(plan, ctx) {
    const p = plan.params;
    const ecs = await ctx.ports.ecs();
    return waitUntil(ctx, `${p.service} running count ${p.desiredCount}`, async () => {
      const s = await readService(ecs, p.cluster, p.service);
      return { done: s.runningCount === p.desiredCount && s.pendingCount === 0, status: describeCounts(s) };
    });
  },
});
