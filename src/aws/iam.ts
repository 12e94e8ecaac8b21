// Least-privilege IAM for runbooks: the reads their probes make (what a diagnose needs) and,
// separately, the writes of the actions their outcomes name (what a fix needs). Resources are
// the ARNs of the config's tables, services, log groups and collections; an action that IAM
// cannot scope to a resource (cloudwatch:GetMetricData, logs:GetQueryResults…) gets "*".
// Action names follow the Service Authorization Reference; DynamoDB's TransactWriteItems has
// no IAM action of its own: each item it writes is authorised as UpdateItem / PutItem /
// ConditionCheckItem.
import type { Config } from '../runbook/placeholders.js';
import { lookup } from '../runbook/placeholders.js';
import type { Probe, Runbook } from '../runbook/schema.js';
import { resolveRegion } from './clients.js';

export interface Statement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Statement[];
}

export interface IamPolicies {
  reads: PolicyDocument;
  writes: PolicyDocument;
  /** What IAM cannot express: Redis AUTH, the task role's ECS Exec channels, AOSS data access policies. */
  notes: string[];
}

interface Where {
  region: string;
  account: string;
}

export function whereOf(config: Config, env: NodeJS.ProcessEnv = {}, region?: string): Where {
  const account = lookup(config, 'aws.accountId');
  return { region: resolveRegion({ config, env, ...(region && { region }) }), account: typeof account === 'string' || typeof account === 'number' ? String(account) : '*' };
}

const arn = {
  table: (w: Where, t: string) => `arn:aws:dynamodb:${w.region}:${w.account}:table/${t}`,
  cluster: (w: Where, c: string) => (c.startsWith('arn:') ? c : `arn:aws:ecs:${w.region}:${w.account}:cluster/${c}`),
  service: (w: Where, c: string, s: string) => (s.startsWith('arn:') ? s : `arn:aws:ecs:${w.region}:${w.account}:service/${clusterName(c)}/${s}`),
  tasks: (w: Where, c: string) => `arn:aws:ecs:${w.region}:${w.account}:task/${clusterName(c)}/*`,
  logGroup: (w: Where, g: string) => `arn:aws:logs:${w.region}:${w.account}:log-group:${g}:*`,
  quota: (w: Where, service: string, quota: string) => `arn:aws:servicequotas:${w.region}:${w.account}:${service}/${quota}`,
};

function clusterName(c: string): string {
  return c.startsWith('arn:') ? c.split('/').pop()! : c;
}

/** Statements keyed by Sid; resources and conditions accumulate, deduplicated. */
class PolicyBuilder {
  private readonly statements = new Map<string, Statement>();

  allow(sid: string, actions: string[], resources: string[], condition?: Record<string, Record<string, string[]>>): void {
    const s = this.statements.get(sid) ?? { Sid: sid, Effect: 'Allow' as const, Action: [], Resource: [] };
    s.Action = [...new Set([...s.Action, ...actions])].sort();
    s.Resource = [...new Set([...s.Resource, ...resources])].sort();
    if (condition) {
      s.Condition ??= {};
      for (const [op, keys] of Object.entries(condition)) {
        s.Condition[op] ??= {};
        for (const [key, values] of Object.entries(keys)) s.Condition[op][key] = [...new Set([...(s.Condition[op][key] ?? []), ...values])].sort();
      }
    }
    this.statements.set(sid, s);
  }

  build(): PolicyDocument {
    const Statement = [...this.statements.values()].map((s) => (s.Resource.includes('*') ? { ...s, Resource: ['*'] } : s));
    return { Version: '2012-10-17', Statement };
  }
}

function readsOf(p: PolicyBuilder, probe: Probe, w: Where): void {
  switch (probe.kind) {
    case 'metric':
    case 'regress':
      // GetMetricData takes no resource: it is "*" or nothing.
      return p.allow('CloudWatchMetricData', ['cloudwatch:GetMetricData'], ['*']);
    case 'ecs.service':
      p.allow('EcsDescribeServices', ['ecs:DescribeServices'], [arn.service(w, probe.cluster, probe.service)]);
      if (probe.field === 'taskRestarts') {
        p.allow('EcsListStoppedTasks', ['ecs:ListTasks'], ['*'], { ArnEquals: { 'ecs:cluster': [arn.cluster(w, probe.cluster)] } });
        p.allow('EcsDescribeStoppedTasks', ['ecs:DescribeTasks'], [arn.tasks(w, probe.cluster)]);
      }
      return;
    case 'dynamodb.stream':
      return p.allow('DynamoDbDescribeTable', ['dynamodb:DescribeTable'], [arn.table(w, probe.table)]);
    case 'dynamodb.stock':
      return p.allow('DynamoDbReadStock', ['dynamodb:BatchGetItem'], [arn.table(w, probe.table)]);
    case 'dynamodb.activations':
      return p.allow('DynamoDbScanActivations', ['dynamodb:Scan'], [arn.table(w, probe.table)]);
    case 'logs.count':
      p.allow('LogsStartQuery', ['logs:StartQuery'], [arn.logGroup(w, probe.logGroup)]);
      // Query ids are not resources: these two are "*" only.
      return p.allow('LogsQueryResults', ['logs:GetQueryResults', 'logs:StopQuery'], ['*']);
  }
}

function str(params: Record<string, unknown>, key: string): string {
  const v = params[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '*';
}

function writesOf(p: PolicyBuilder, notes: Set<string>, action: string, params: Record<string, unknown>, w: Where, config: Config): void {
  const cluster = str(params, 'cluster');
  const service = str(params, 'service');
  const table = str(params, 'table');
  switch (action) {
    case 'ecs.scale':
    case 'ecs.restart':
    // ecs.set-env's undo moves the service back to the previous revision.
    case 'ecs.set-task-definition':
      return p.allow('EcsUpdateService', ['ecs:DescribeServices', 'ecs:UpdateService'], [arn.service(w, cluster, service)]);
    case 'ecs.set-env': {
      p.allow('EcsUpdateService', ['ecs:DescribeServices', 'ecs:UpdateService'], [arn.service(w, cluster, service)]);
      p.allow('EcsRegisterTaskDefinition', ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'], ['*']);
      const roles = ['ecs.taskRoleArn', 'ecs.executionRoleArn'].map((k) => lookup(config, k)).filter((r): r is string => typeof r === 'string');
      if (roles.length === 0) notes.add('iam:PassRole is on role/* (limited to ecs-tasks.amazonaws.com): set ecs.taskRoleArn and ecs.executionRoleArn in the config to name the two roles');
      return p.allow('PassTaskRolesToEcs', ['iam:PassRole'], roles.length ? roles : [`arn:aws:iam::${w.account}:role/*`], {
        StringEquals: { 'iam:PassedToService': ['ecs-tasks.amazonaws.com'] },
      });
    }
    case 'ecs.exec':
      p.allow('EcsExecuteCommand', ['ecs:ExecuteCommand'], [arn.cluster(w, cluster), arn.tasks(w, cluster)]);
      p.allow('EcsListServiceTasks', ['ecs:ListTasks'], ['*'], { ArnEquals: { 'ecs:cluster': [arn.cluster(w, cluster)] } });
      p.allow('EcsDescribeServiceTasks', ['ecs:DescribeTasks'], [arn.tasks(w, cluster)]);
      p.allow('EcsExecSessionChannels', ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'], ['*']);
      notes.add('ecs.exec: the task role needs the same four ssmmessages:* actions, and the service needs enableExecuteCommand');
      return;
    case 'aoss.capacity':
      return p.allow(
        'AossCapacity',
        ['aoss:BatchGetCollection', 'aoss:BatchGetCollectionGroup', 'aoss:GetAccountSettings', 'aoss:UpdateAccountSettings', 'aoss:UpdateCollectionGroup'],
        ['*'],
      );
    case 'aoss.prewarm': {
      const id = str(params, 'collection') === lookup(config, 'aoss.collection') ? lookup(config, 'aoss.collectionId') : undefined;
      p.allow('AossFindCollection', ['aoss:BatchGetCollection'], ['*']);
      p.allow('AossPrewarmQueries', ['aoss:APIAccessAll'], [`arn:aws:aoss:${w.region}:${w.account}:collection/${typeof id === 'string' ? id : '*'}`]);
      notes.add("aoss.prewarm: the collection's data access policy must also grant this principal aoss:ReadDocument on the index");
      return;
    }
    case 'redis.purge':
    case 'redis.invalidate-stale':
      notes.add(`${action}: no IAM; Redis authenticates with AUTH / ACL users (MANGAOPS_REDIS_URL carries the password)`);
      return;
    case 'dynamodb.flip-version':
      // A TransactWriteItems is authorised per item: UpdateItem and ConditionCheckItem.
      return p.allow('DynamoDbFlipVersion', ['dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], [arn.table(w, table)]);
    case 'dynamodb.set-config':
      return p.allow('DynamoDbSetConfig', ['dynamodb:GetItem', 'dynamodb:UpdateItem'], [arn.table(w, table)]);
    case 'quota.request':
      // Plan reads the quota and its open requests; verify reads the request back.
      p.allow('ServiceQuotaRequests', ['servicequotas:GetRequestedServiceQuotaChange', 'servicequotas:ListRequestedServiceQuotaChangeHistoryByQuota'], ['*']);
      return p.allow('ServiceQuotaIncrease', ['servicequotas:GetServiceQuota', 'servicequotas:RequestServiceQuotaIncrease'], [
        arn.quota(w, str(params, 'serviceCode'), str(params, 'quotaCode')),
      ]);
    default:
      notes.add(`${action}: not in the IAM table (src/aws/iam.ts); no permission listed`);
  }
}

export function iamPolicies(runbooks: Runbook[], config: Config, w: Where = whereOf(config)): IamPolicies {
  const reads = new PolicyBuilder();
  const writes = new PolicyBuilder();
  const notes = new Set<string>();
  if (w.account === '*') notes.add('no aws.accountId in the config: ARNs name any account (*)');
  for (const runbook of runbooks) {
    for (const probe of Object.values(runbook.probes)) readsOf(reads, probe, w);
    for (const node of Object.values(runbook.nodes)) {
      if (node.type !== 'outcome') continue;
      for (const tier of node.resolution) for (const step of tier.steps) if (step.action) writesOf(writes, notes, step.action, step.params, w, config);
    }
  }
  return { reads: reads.build(), writes: writes.build(), notes: [...notes] };
}
