// `mangaops iam-policy [<scenario>] [--only reads|writes]`: the least-privilege policies for
// one runbook (or all) — reads for a diagnose, writes for its fixes — as `{ reads, writes }`,
// or with --only exactly one policy document that `aws iam create-policy --policy-document
// file://…` takes. What IAM cannot express (Redis AUTH, the task role's ECS Exec channels…)
// goes to stderr. The account in the ARNs is the caller's (STS GetCallerIdentity) when
// credentials answer, else the configured one — and the shipped example account is never used
// without saying so.
import { createAws } from '../capabilities/aws.js';
import { iamPolicies, teamTablePolicy, whereOf } from '../capabilities/policies.js';
import { callerIdentity } from '../capabilities/sts/identity.js';
import type { Config } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { findRunbook, loadAll } from '../runbook/catalog.js';
import { teamSettings } from '../team/settings.js';
import { cacheFor, configFor, type CommonOptions } from './context.js';

export interface IamPolicyOptions extends CommonOptions {
  scenario?: string;
  only?: 'reads' | 'writes' | 'team';
}

async function account(config: Config, options: IamPolicyOptions, io: Io): Promise<{ account: string; note?: string }> {
  const identity = await callerIdentity(createAws({ config, region: options.region, profile: options.profile, env: io.env }));
  if (identity) return { account: identity.account, note: `account ${identity.account} from the current credentials (${identity.arn})` };
  const configured = config.aws?.accountId;
  // Loaded here only: the walks' shared chunk must not pull in the YAML reader and the schema.
  const { shippedConfig } = await import('../core/config.js');
  const example = (await shippedConfig()).aws?.accountId;
  if (configured && configured !== example) return { account: configured };
  if (configured) return { account: configured, note: `ARNs name ${configured}, the example account of the shipped config: no credentials answered GetCallerIdentity — set aws.accountId (mangaops config init) or run with credentials` };
  return { account: '*', note: 'no account known: ARNs name any account (*) — set aws.accountId or run with credentials' };
}

export async function iamPolicy(options: IamPolicyOptions, io: Io): Promise<number> {
  const config = await configFor(options, io);
  const runbooks = options.scenario ? [(await findRunbook(options.scenario, config, cacheFor(io))).runbook] : (await loadAll(config, cacheFor(io))).map((l) => l.runbook);
  const who = await account(config, options, io);
  const where = { ...whereOf(config, io.env, options.region), account: who.account };
  const { reads, writes, notes } = iamPolicies(runbooks, config, where);
  // With a team table, a third document: every command that walks or applies writes to it.
  const table = teamSettings(config, io.env)?.table;
  const team = table ? teamTablePolicy(table, where) : undefined;
  if (options.only === 'team' && !team) throw new UsageError('no team table is configured: there is no team policy to print', 'name one in the config (team: {table: mangaops-team}) or MANGAOPS_TEAM_TABLE');
  const document = options.only === 'reads' ? reads : options.only === 'writes' ? writes : options.only === 'team' ? team : { reads, writes, ...(team && { team }) };
  io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  for (const note of [...(who.note ? [who.note] : []), ...notes.filter((n) => !n.startsWith('no aws.accountId'))]) io.stderr.write(`note: ${note}\n`);
  return 0;
}
