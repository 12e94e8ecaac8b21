// ecs.set-task-definition: UpdateService onto a given revision and wait until stable —
// ecs.set-env's undo, and a rollback on its own. The plan shows what differs between the two
// revisions' environments, so an undo says what it puts back.
import { MangaopsError } from '../../../core/errors.js';
import { z } from 'zod';
import { defineAction, type Change } from '../../action.js';
import { name } from '../../params.js';
import type { TaskDefinition } from '../taskdef.js';
import { allowUpdateService, ecsDefaults, describeCli, envShower, readService, serviceResource, shortTd, waitStable } from '../common.js';
import type { Config } from '../../../core/config.js';
import { sh } from '../../../core/shell.js';

function envDiff(from: TaskDefinition, to: TaskDefinition, config: Config): Change[] {
  const { show } = envShower(config);
  const changes: Change[] = [];
  for (const c of to.containerDefinitions ?? []) {
    const old = (from.containerDefinitions ?? []).find((x) => x.name === c.name);
    const before = new Map((old?.environment ?? []).map((e) => [e.name ?? '', e.value ?? '']));
    const after = new Map((c.environment ?? []).map((e) => [e.name ?? '', e.value ?? '']));
    for (const name of new Set([...before.keys(), ...after.keys()])) {
      if (before.get(name) !== after.get(name)) changes.push({ what: `${c.name} ${name}`, from: show(name, before.get(name)), to: show(name, after.get(name)) });
    }
    if (old && old.image !== c.image) changes.push({ what: `${c.name} image`, from: old.image ?? '', to: c.image ?? '' });
  }
  return changes;
}

export const ecsSetTaskDefinition = defineAction({
  name: 'ecs.set-task-definition',
  describe: 'UpdateService onto a given task-definition revision (ecs.set-env\'s undo, or a rollback); wait until stable',
  params: z.strictObject({ cluster: name, service: name, taskDefinition: name }),
  defaults: ecsDefaults,
  async plan(p, ctx) {
    const ecs = await ctx.ports.ecs();
    const s = await readService(ecs, p.cluster, p.service);
    let target: TaskDefinition;
    try {
      target = (await ecs.describeTaskDefinition(p.taskDefinition)).taskDefinition;
    } catch (e) {
      throw new MangaopsError(`task definition ${p.taskDefinition}: ${(e as Error).message}`, 1, 'aws ecs list-task-definitions --family-prefix <family> lists the revisions');
    }
    const current = (await ecs.describeTaskDefinition(s.taskDefinition)).taskDefinition;
    const to = target.taskDefinitionArn ?? p.taskDefinition;
    const notes: string[] = [];
    if (target.status === 'INACTIVE') notes.push(`${shortTd(to)} is deregistered (INACTIVE); ECS still runs it for an existing service.`);
    return {
      action: 'ecs.set-task-definition',
      params: p,
      summary: `Move ${p.service} from ${shortTd(s.taskDefinition)} to ${shortTd(to)}`,
      changes: [{ what: `${p.service} task definition`, from: shortTd(s.taskDefinition), to: shortTd(to) }, ...envDiff(current, target, ctx.config)],
      calls: [`ECS UpdateService cluster=${p.cluster} service=${p.service} taskDefinition=${shortTd(to)}`],
      cli: [`aws ecs update-service --cluster ${sh(p.cluster)} --service ${sh(p.service)} --task-definition ${sh(shortTd(to))}`],
      undo: { action: 'ecs.set-task-definition', params: { cluster: p.cluster, service: p.service, taskDefinition: s.taskDefinition }, text: `point ${p.service} back to ${shortTd(s.taskDefinition)}` },
      notes,
      noop: to === s.taskDefinition,
      // The revision the plan resolved (a family name alone means its latest, which may move):
      // what apply sends and reread looks for.
      before: { taskDefinition: s.taskDefinition, target: to },
      check: describeCli(p.cluster, p.service, '{taskDefinition: taskDefinition, deployments: deployments[].[status, taskDefinition]}'),
    };
  },
  resource: serviceResource,
  iamWrites: allowUpdateService,
  async apply(plan, ctx) {
    const p = plan.params;
    const ecs = await ctx.ports.ecs();
    const { taskDefinition: from, target } = plan.before;
    const s = await ecs.updateService({ cluster: p.cluster, service: p.service, taskDefinition: target });
    return { calls: plan.calls, changed: [`${p.service} ${shortTd(from)} → ${shortTd(target)}`], detail: { taskDefinition: s.taskDefinition } };
  },
  async reread(plan, ctx) {
    const p = plan.params;
    const s = await readService(await ctx.ports.ecs(), p.cluster, p.service);
    const to = shortTd(plan.before.target);
    const from = shortTd(plan.before.taskDefinition);
    const observed = `${p.service} on ${shortTd(s.taskDefinition)}`;
    if (shortTd(s.taskDefinition) === to) return { state: 'applied', observed, changed: [`${p.service} ${from} → ${to}`], unchanged: [], detail: { taskDefinition: s.taskDefinition } };
    return { state: 'not applied', observed, changed: [], unchanged: [`${p.service} still on ${shortTd(s.taskDefinition)}`] };
  },
  async verify(plan, ctx, applied) {
    const p = plan.params;
    const arn = applied?.detail?.taskDefinition;
    return waitStable(ctx, await ctx.ports.ecs(), p.cluster, p.service, { taskDefinition: arn });
  },
});
