// Least-privilege IAM for runbooks: the reads their probes make (what a diagnose needs) and,
// separately, the writes of the actions their outcomes name (what a fix needs) — each written
// by its probe kind or action, collected here from the registries.
import type { Config } from '../core/config.js';
import { getAction, isActionName } from './actions.js';
import { resolveRegion } from './aws.js';
import { alarmsIamReads } from './cloudwatch/alarms.js';
import { arns, PolicyBuilder, type IamWrites, type PolicyDocument, type Where } from './iam.js';
import { kindOf, type Probe } from './probes.js';

export interface IamPolicies {
  reads: PolicyDocument;
  writes: PolicyDocument;
  /** What IAM cannot express: Redis AUTH, the task role's ECS Exec channels, AOSS data access policies. */
  notes: string[];
}

/** What this needs of a runbook (structurally, so capabilities never import the runbook layer). */
export interface PolicySubject {
  probes: Record<string, Probe>;
  nodes: Record<string, { type: string; resolution?: { steps: { action?: string; params: Record<string, unknown> }[] }[] }>;
  /** The alarms it answers: `alarms`, `diagnose --alarm` and `on-alarm` read them (DescribeAlarms). */
  alarms?: unknown[];
}

export function whereOf(config: Config, env: NodeJS.ProcessEnv = {}, region?: string): Where {
  return { region: resolveRegion({ config, env, ...(region && { region }) }), account: config.aws?.accountId ?? '*' };
}

export function iamPolicies(runbooks: PolicySubject[], config: Config, w: Where = whereOf(config)): IamPolicies {
  const reads = new PolicyBuilder();
  const writes = new PolicyBuilder();
  const notes = new Set<string>();
  const arn = arns(w);
  if (w.account === '*') notes.add('no aws.accountId in the config: ARNs name any account (*)');
  const iam: IamWrites = { allow: writes.allow.bind(writes), arn, note: (t) => notes.add(t), where: w, config };
  if (runbooks.some((r) => r.alarms?.length)) alarmsIamReads({ allow: reads.allow.bind(reads) }, w);
  for (const runbook of runbooks) {
    for (const probe of Object.values(runbook.probes)) kindOf(probe).iamReads(probe, { allow: reads.allow.bind(reads), arn });
    for (const node of Object.values(runbook.nodes)) {
      for (const tier of node.resolution ?? []) {
        for (const step of tier.steps) {
          if (!step.action) continue;
          if (isActionName(step.action)) getAction(step.action).iamWrites(step.params, iam);
          else notes.add(`${step.action}: not an action of this build; no permission listed`);
        }
      }
    }
  }
  return { reads: reads.build(), writes: writes.build(), notes: [...notes] };
}

/**
 * The team table (src/team/): what every team command needs (the journal's records, the
 * heads, leases and approvals: one table and its index), and what `team init` needs to
 * create it. The table's name comes from the config or MANGAOPS_TEAM_TABLE.
 */
export function teamTablePolicy(table: string, w: Where): PolicyDocument {
  const b = new PolicyBuilder();
  const arn = arns(w).table(table);
  b.allow('MangaopsTeamTable', ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], [arn, `${arn}/index/*`]);
  b.allow('MangaopsTeamInit', ['dynamodb:CreateTable', 'dynamodb:DescribeTable', 'dynamodb:DescribeTimeToLive', 'dynamodb:UpdateTimeToLive'], [arn]);
  return b.build();
}
