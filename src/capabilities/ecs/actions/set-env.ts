// ecs.set-env: a new task-definition revision with changed environment values, then the
// service moved onto it. DescribeTaskDefinition (with its tags) → strip the read-only fields
// → RegisterTaskDefinition → UpdateService → wait until stable. If registration fails the
// service is untouched. Undo: ecs.set-task-definition back to the previous revision.
import { UsageError } from '../../../core/errors.js';
import type { ContainerDefinitionLike, RegisterTaskDefinitionCommandInput, TaskDefinition } from '../taskdef.js';
import { registrationInput, READ_ONLY_FIELDS } from '../taskdef.js';
import { z } from 'zod';
import { defineAction, PartialApplyError, type Plan } from '../../action.js';
import { name } from '../../params.js';
import type { EcsPort } from '../port.js';
import { allowUpdateService, ecsDefaults, describeCli, envShower, readService, serviceResource, shortTd, waitStable } from '../common.js';
import { sh } from '../../../core/shell.js';

const Params = z.strictObject({
  cluster: name,
  service: name,
  container: name.optional(),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment names are letters, digits and _'), z.coerce.string()),
});
type Params = z.output<typeof Params>;

interface Before {
  taskDefinition: string;
  container: string;
  /** The changed names' values before (secret ones masked); null where unset. */
  environment: Record<string, string | null>;
}

// The registration input the engineer saw in the plan is the one applied: kept beside the
// plan, not in it, so the journal holds the change and not a whole task definition.
const planned = new WeakMap<Plan<Params, Before>, RegisterTaskDefinitionCommandInput>();

function pickContainer(td: TaskDefinition, wanted: string | undefined, configured: string | undefined): ContainerDefinitionLike {
  const containers = td.containerDefinitions ?? [];
  const names = containers.map((c) => c.name ?? '');
  const hit = (n: string | undefined) => (n ? containers.find((c) => c.name === n) : undefined);
  const found = hit(wanted) ?? (wanted ? undefined : containers.length === 1 ? containers[0] : hit(configured));
  if (!found) {
    throw new UsageError(
      wanted ? `no container '${wanted}' in ${shortTd(td.taskDefinitionArn ?? '')}` : `${shortTd(td.taskDefinitionArn ?? '')} has ${containers.length} containers`,
      `pass --container (one of: ${names.join(', ')})`,
    );
  }
  return found;
}

/** The same registration by hand: the env map is a jq argument, so the filter stays short. Secret values come from the shell's environment ($ENV), never the command line. */
function jqFilter(container: string, env: Record<string, string>, secret: string[]): string {
  const plain = Object.fromEntries(Object.entries(env).filter(([k]) => !secret.includes(k)));
  return [
    `jq --argjson env \\`,
    `  '${JSON.stringify(plain).replace(/'/g, `'\\''`)}' '`,
    ...(secret.length ? [`  ($env + {${secret.map((k) => `${JSON.stringify(k)}: $ENV.${k}`).join(', ')}}) as $env |`] : []),
    `  .taskDefinition + (if (.tags | length) > 0 then {tags} else {} end)`,
    `  | del(${READ_ONLY_FIELDS.slice(0, 3).map((f) => '.' + f).join(', ')},`,
    `        ${READ_ONLY_FIELDS.slice(3, 6).map((f) => '.' + f).join(', ')},`,
    `        ${READ_ONLY_FIELDS.slice(6).map((f) => '.' + f).join(', ')})`,
    `  | .containerDefinitions |= map(if .name == ${JSON.stringify(container)} then`,
    `      .environment = ((.environment // [])`,
    `        | map(select(.name | in($env) | not))`,
    `        + ($env | to_entries | map({name: .key, value: .value})))`,
    `    else . end)' td.json > new-td.json`,
  ].join('\n');
}

/** Does this revision's container carry every value asked for? */
async function carries(ecs: EcsPort, taskDefinition: string, container: string, env: Record<string, string>): Promise<boolean> {
  const { taskDefinition: td } = await ecs.describeTaskDefinition(taskDefinition);
  const c = td.containerDefinitions?.find((x) => x.name === container);
  const now = new Map((c?.environment ?? []).map((e) => [e.name ?? '', e.value ?? '']));
  return Object.entries(env).every(([k, v]) => now.get(k) === v);
}

const revisionOf = (arn: string) => Number(arn.split(':').pop());

export const ecsSetEnv = defineAction({
  name: 'ecs.set-env',
  describe: 'new task-definition revision with changed environment values (tags kept), UpdateService onto it, wait until stable',
  params: Params,
  defaults: { ...ecsDefaults, container: '${ecs.container}' },
  async plan(p, ctx) {
    const ecs = await ctx.ports.ecs();
    const s = await readService(ecs, p.cluster, p.service);
    const { taskDefinition: td, tags } = await ecs.describeTaskDefinition(s.taskDefinition);
    const container = pickContainer(td, p.container, ctx.config.ecs?.container);
    const name = container.name ?? '';
    const current = new Map((container.environment ?? []).map((e) => [e.name ?? '', e.value ?? '']));
    const environment: Record<string, string | null> = {};
    for (const k of Object.keys(p.env)) environment[k] = current.has(k) ? current.get(k)! : null;
    const changed = Object.entries(p.env).filter(([k, v]) => current.get(k) !== v);
    const secrets = new Set((container.secrets ?? []).map((x) => x.name));
    const inSecrets = Object.keys(p.env).filter((k) => secrets.has(k));
    const { show, secret } = envShower(ctx.config);
    const secretNames = Object.keys(p.env).filter(secret);

    const input = registrationInput(td, tags, name, p.env);
    const from = shortTd(s.taskDefinition);
    const family = td.family ?? from.split(':')[0]!;
    const envText = Object.entries(p.env).map(([k, v]) => `${k}=${show(k, v)}`).join(', ');
    const notes = [
      `A new revision of ${family} is registered with every other field of ${from} as it is (${tags.length} tag(s) kept); the service then rolls onto it, task by task.`,
    ];
    if (container.environmentFiles?.length) notes.push('The container also reads environment files; values set here take precedence over them.');
    if (secretNames.length) notes.push(`${secretNames.join(', ')} look(s) secret: shown and journaled masked, with a hash to tell values apart. By hand, export ${secretNames.join(', ')} before the jq command.`);
    const plan: Plan<Params, Before> = {
      action: 'ecs.set-env',
      params: p,
      summary: `Set ${envText} on ${p.service}/${name}: a new revision, rolled out task by task`,
      changes: Object.entries(p.env).map(([k, v]) => ({ what: k, from: show(k, current.get(k)), to: show(k, v) })),
      calls: [
        `ECS RegisterTaskDefinition family=${family} (${from} with ${envText}; read-only fields stripped, tags kept)`,
        `ECS UpdateService cluster=${p.cluster} service=${p.service} taskDefinition=<the new revision>`,
      ],
      cli: [
        `aws ecs describe-task-definition --task-definition ${sh(from)} --include TAGS --output json > td.json`,
        jqFilter(name, p.env, secretNames),
        'aws ecs register-task-definition --cli-input-json file://new-td.json',
        `aws ecs update-service --cluster ${sh(p.cluster)} --service ${sh(p.service)} --task-definition ${sh(family)}`,
      ],
      undo: { action: 'ecs.set-task-definition', params: { cluster: p.cluster, service: p.service, taskDefinition: s.taskDefinition }, text: `point ${p.service} back to ${from}` },
      notes,
      noop: changed.length === 0,
      before: { taskDefinition: s.taskDefinition, container: name, environment: Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, v === null ? null : show(k, v)])) } satisfies Before,
      check: describeCli(p.cluster, p.service, '{taskDefinition: taskDefinition, deployments: deployments[].[status, taskDefinition]}'),
      blocked: inSecrets.length ? `${inSecrets.join(', ')} come(s) from the container's secrets (Secrets Manager / SSM): change the secret, not the environment` : undefined,
    };
    planned.set(plan, input);
    return plan;
  },
  resource: serviceResource,
  iamWrites(params, iam) {
    allowUpdateService(params, iam);
    iam.allow('EcsRegisterTaskDefinition', ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'], ['*']);
    const roles = [iam.config.ecs?.taskRoleArn, iam.config.ecs?.executionRoleArn].filter((r): r is string => typeof r === 'string');
    if (roles.length === 0) iam.note('iam:PassRole is on role/* (limited to ecs-tasks.amazonaws.com): set ecs.taskRoleArn and ecs.executionRoleArn in the config to name the two roles');
    iam.allow('PassTaskRolesToEcs', ['iam:PassRole'], roles.length ? roles : [iam.arn.role('*')], { StringEquals: { 'iam:PassedToService': ['ecs-tasks.amazonaws.com'] } });
  },
  async apply(plan, ctx) {
    const p = plan.params;
    const before = plan.before;
    const input = planned.get(plan);
    if (!input) throw new Error('ecs.set-env: apply without its plan');
    const ecs = await ctx.ports.ecs();
    const from = shortTd(before.taskDefinition);
    let registered: { taskDefinitionArn: string; revision: number };
    try {
      registered = await ecs.registerTaskDefinition(input);
    } catch (e) {
      throw new PartialApplyError(`RegisterTaskDefinition failed: ${(e as Error).message}`, [], [`no new revision registered`, `${p.service} still runs ${from}`], { cause: e });
    }
    const to = shortTd(registered.taskDefinitionArn);
    const calls = [`ECS RegisterTaskDefinition family=${input.family} → ${to}`];
    try {
      await ecs.updateService({ cluster: p.cluster, service: p.service, taskDefinition: registered.taskDefinitionArn });
    } catch (e) {
      throw new PartialApplyError(`UpdateService failed: ${(e as Error).message}`, [`registered ${to} (not in use)`], [`${p.service} still runs ${from}`], { cause: e });
    }
    calls.push(`ECS UpdateService cluster=${p.cluster} service=${p.service} taskDefinition=${to}`);
    return { calls, changed: [`registered ${to}`, `${p.service} ${from} → ${to}`], detail: { registered: registered.taskDefinitionArn, revision: registered.revision } };
  },
  // Two calls, either of which may have landed: the service says whether it moved, the family's
  // latest revision whether one was registered.
  async reread(plan, ctx) {
    const p = plan.params;
    const b = plan.before;
    const ecs = await ctx.ports.ecs();
    const from = shortTd(b.taskDefinition);
    const s = await readService(ecs, p.cluster, p.service);
    if (s.taskDefinition !== b.taskDefinition && (await carries(ecs, s.taskDefinition, b.container, p.env))) {
      const to = shortTd(s.taskDefinition);
      const detail = { registered: s.taskDefinition, revision: revisionOf(s.taskDefinition) };
      return { state: 'applied', observed: `${p.service} on ${to}, which carries the new values`, changed: [`registered ${to}`, `${p.service} ${from} → ${to}`], unchanged: [], detail };
    }
    const latest = (await ecs.describeTaskDefinition(from.split(':')[0]!)).taskDefinition.taskDefinitionArn ?? b.taskDefinition;
    const registered = revisionOf(latest) > revisionOf(b.taskDefinition) && (await carries(ecs, latest, b.container, p.env));
    const observed = `${p.service} on ${shortTd(s.taskDefinition)}; latest revision ${shortTd(latest)}`;
    const unchanged = [`${p.service} still runs ${shortTd(s.taskDefinition)}`];
    if (registered) return { state: 'partly applied', observed, changed: [`registered ${shortTd(latest)} (not in use)`], unchanged };
    return { state: 'not applied', observed, changed: [], unchanged: ['no new revision registered', ...unchanged] };
  },
  redact(params, config) {
    const { show } = envShower(config);
    return { ...params, env: Object.fromEntries(Object.entries(params.env).map(([k, v]) => [k, show(k, v)])) };
  },
  async verify(plan, ctx, applied) {
    const p = plan.params;
    const arn = applied?.detail?.registered;
    return waitStable(ctx, await ctx.ports.ecs(), p.cluster, p.service, { taskDefinition: arn });
  },
});
