// ecs.exec: run a command (the seed's /app/scripts/warm_connections.sh) in every running
// task — ListTasks, DescribeTasks, then per task ExecuteCommand and the
// session-manager-plugin, as `aws ecs execute-command` does — a few tasks at a time, with
// per-task results. The plugin is checked at plan time; without it the plan says so and
// lists the per-task commands to run by hand.
import { z } from 'zod';
import { defineAction, PartialApplyError } from '../../action.js';
import { str } from '../../iam.js';
import { name } from '../../params.js';
import type { EcsTask } from '../port.js';
import { pool } from '../../wait.js';
import { ecsDefaults, readService, serviceResource, shortTask } from '../common.js';
import { sh } from '../../../core/shell.js';

const PLUGIN_DOCS = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html';

interface Target {
  task: string;
  runtimeId?: string;
  /** Why ExecuteCommand will not work on this task, if it will not. */
  problem?: string;
}

interface Before {
  container: string;
  targets: Target[];
}

export interface TaskResult {
  task: string;
  ok: boolean;
  exitCode?: number;
  /** The last line of the command's output, or the error. */
  last: string;
}

function chooseContainer(tasks: EcsTask[], wanted: string | undefined, configured: unknown): string {
  if (wanted) return wanted;
  const names = new Set(tasks.flatMap((t) => t.containers.map((c) => c.name)));
  if (typeof configured === 'string' && names.has(configured)) return configured;
  return names.size === 1 ? [...names][0]! : String(configured ?? [...names][0] ?? '');
}

function targetOf(t: EcsTask, container: string): Target {
  const c = t.containers.find((x) => x.name === container);
  const task = shortTask(t.taskArn);
  if (!c) return { task, problem: `no container '${container}'` };
  if (t.enableExecuteCommand === false) return { task, runtimeId: c.runtimeId, problem: 'ECS Exec not enabled on this task' };
  if (c.execAgent && c.execAgent !== 'RUNNING') return { task, runtimeId: c.runtimeId, problem: `ExecuteCommandAgent ${c.execAgent}` };
  return { task, runtimeId: c.runtimeId };
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.at(-1) ?? '').slice(0, 120);
}

export const ecsExec = defineAction({
  name: 'ecs.exec',
  describe: 'run a command in every running task (ExecuteCommand + session-manager-plugin), a few at a time, per-task results',
  params: z.strictObject({
    cluster: name,
    service: name,
    container: name.optional(),
    command: name,
    concurrency: z.coerce.number().int().min(1).max(50).default(5),
  }),
  // The seed's warm-up script (scenario 1, Root Cause A).
  defaults: { ...ecsDefaults, container: '${ecs.container}', command: '/app/scripts/warm_connections.sh' },
  async plan(p, ctx) {
    const ecs = await ctx.ports.ecs();
    await readService(ecs, p.cluster, p.service);
    const arns = await ecs.listTasks(p.cluster, p.service, 'RUNNING');
    const tasks = arns.length ? await ecs.describeTasks(p.cluster, arns) : [];
    const container = chooseContainer(tasks, p.container, ctx.config.ecs?.container);
    const targets = tasks.map((t) => targetOf(t, container));
    const usable = targets.filter((t) => !t.problem);
    const plugin = await ecs.sessionPlugin.check();
    const cli = targets.map((t) => `aws ecs execute-command --cluster ${sh(p.cluster)} --task ${t.task} --container ${sh(container)} --command ${sh(p.command)} --interactive`);
    const notes = ['Runs in the tasks as they are now; nothing to undo.'];
    for (const t of targets.filter((x) => x.problem)) notes.push(`Task ${t.task}: ${t.problem} — it will be reported as not run.`);
    if (plugin.ok) notes.push(`session-manager-plugin ${plugin.version}; each task gets up to ${Math.round(ctx.deadlineMs / 1000)} s.`);

    let blocked: string | undefined;
    if (!targets.length) blocked = `${p.service} has no running tasks`;
    else if (!usable.length) blocked = `ECS Exec cannot run in any task of ${p.service}: enable it with aws ecs update-service --cluster ${p.cluster} --service ${p.service} --enable-execute-command --force-new-deployment`;
    else if (!plugin.ok) blocked = `${plugin.reason}: install it (${PLUGIN_DOCS}), or run the ${cli.length} command(s) under "Or by hand" yourself`;

    return {
      action: 'ecs.exec',
      params: p,
      summary: `Run ${p.command} in ${targets.length} running task(s) of ${p.service} (${p.concurrency} at a time)`,
      changes: [{ what: `${usable.length} task(s) of ${p.service} (${container})`, to: `run ${p.command}` }],
      calls: [
        `ECS ExecuteCommand cluster=${p.cluster} task=<each of ${usable.length}> container=${container} command=${p.command} interactive=true`,
        `session-manager-plugin <session> StartSession Target=ecs:<cluster>_<task>_<runtimeId> (per task, ${p.concurrency} at a time)`,
      ],
      cli,
      notes,
      blocked,
      before: { container, targets } satisfies Before,
    };
  },
  resource: serviceResource,
  iamWrites(params, iam) {
    const cluster = str(params, 'cluster');
    iam.allow('EcsExecuteCommand', ['ecs:ExecuteCommand'], [iam.arn.cluster(cluster), iam.arn.tasks(cluster)]);
    iam.allow('EcsListServiceTasks', ['ecs:ListTasks'], ['*'], { ArnEquals: { 'ecs:cluster': [iam.arn.cluster(cluster)] } });
    iam.allow('EcsDescribeServiceTasks', ['ecs:DescribeTasks'], [iam.arn.tasks(cluster)]);
    iam.allow('EcsExecSessionChannels', ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'], ['*']);
    iam.note('ecs.exec: the task role needs the same four ssmmessages:* actions, and the service needs enableExecuteCommand');
  },
  async apply(plan, ctx) {
    const p = plan.params;
    const { container, targets } = plan.before;
    const ecs = await ctx.ports.ecs();
    const clusterName = p.cluster.split('/').pop()!;
    const usable = targets.filter((t) => !t.problem);
    let done = 0;
    let failed = 0;
    const results = await pool(usable, p.concurrency, async (t): Promise<TaskResult> => {
      let result: TaskResult;
      try {
        const session = await ecs.executeCommand({ cluster: p.cluster, task: t.task, container, command: p.command });
        const run = await ecs.sessionPlugin.run({ session, target: `ecs:${clusterName}_${t.task}_${t.runtimeId ?? ''}`, timeoutMs: ctx.deadlineMs });
        result = { task: t.task, ok: run.exitCode === 0, exitCode: run.exitCode, last: lastLine(run.output) };
      } catch (e) {
        result = { task: t.task, ok: false, last: `${(e as Error).name}: ${(e as Error).message}` };
      }
      done++;
      if (!result.ok) failed++;
      ctx.progress(`${done}/${usable.length} task(s) done${failed ? `, ${failed} failed` : ''} — ${t.task}: ${result.ok ? 'ok' : result.exitCode !== undefined ? `exit ${result.exitCode}` : 'error'}`);
      return result;
    });
    const line = (r: TaskResult) => `${r.task}: ${r.ok ? 'ok' : r.exitCode !== undefined ? `exit ${r.exitCode}` : 'error'}${r.last ? ` — ${r.last}` : ''}`;
    const changed = results.filter((r) => r.ok).map(line);
    const unchanged = [...results.filter((r) => !r.ok).map(line), ...targets.filter((t) => t.problem).map((t) => `${t.task}: not run (${t.problem})`)];
    const calls = usable.map((t) => `ECS ExecuteCommand task=${t.task} container=${container} command=${p.command} + session-manager-plugin`);
    if (unchanged.length) throw new PartialApplyError(`${p.command} did not run cleanly in ${unchanged.length} of ${targets.length} task(s)`, changed, unchanged);
    return { calls, changed, detail: { tasks: results } };
  },
});
