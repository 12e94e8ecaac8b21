// Least-privilege IAM, written where each read and write is: every probe kind declares the
// reads it makes (`iamReads`) and every action the writes (`iamWrites`), into one of these
// builders. Resources are the ARNs of the config's tables, services, log groups and
// collections; an action IAM cannot scope to a resource (cloudwatch:GetMetricData,
// logs:GetQueryResults…) gets "*". Action names follow the Service Authorization Reference.
import type { Config } from '../core/config.js';

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

/** The account and region the ARNs name. */
export interface Where {
  region: string;
  /** '*' when unknown. */
  account: string;
}

function clusterName(c: string): string {
  return c.startsWith('arn:') ? c.split('/').pop()! : c;
}

export function arns(w: Where) {
  return {
    table: (t: string) => `arn:aws:dynamodb:${w.region}:${w.account}:table/${t}`,
    cluster: (c: string) => (c.startsWith('arn:') ? c : `arn:aws:ecs:${w.region}:${w.account}:cluster/${c}`),
    service: (c: string, s: string) => (s.startsWith('arn:') ? s : `arn:aws:ecs:${w.region}:${w.account}:service/${clusterName(c)}/${s}`),
    tasks: (c: string) => `arn:aws:ecs:${w.region}:${w.account}:task/${clusterName(c)}/*`,
    logGroup: (g: string) => `arn:aws:logs:${w.region}:${w.account}:log-group:${g}:*`,
    quota: (service: string, quota: string) => `arn:aws:servicequotas:${w.region}:${w.account}:${service}/${quota}`,
    collection: (id: string) => `arn:aws:aoss:${w.region}:${w.account}:collection/${id}`,
    role: (name: string) => `arn:aws:iam::${w.account}:role/${name}`,
  };
}

/** Statements keyed by Sid; resources and conditions accumulate, deduplicated. */
export class PolicyBuilder {
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

/** What a probe kind writes its reads into. */
export interface IamReads {
  allow: PolicyBuilder['allow'];
  arn: ReturnType<typeof arns>;
}

/** What an action writes its permissions into: also notes on what IAM cannot express. */
export interface IamWrites extends IamReads {
  note(text: string): void;
  where: Where;
  config: Config;
}

/** A parameter as a resource name, or '*' when it is not a plain value. */
export function str(params: Record<string, unknown>, key: string): string {
  const v = params[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '*';
}
