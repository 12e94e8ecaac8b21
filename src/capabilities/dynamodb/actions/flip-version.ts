// dynamodb.flip-version — make version B the active one of an intent's prompt template (or of
// the classifier) and deactivate the current one, A, in one TransactWriteItems: Update A SET
// active = false IF active = true; Update B SET active = true IF B exists AND it is inactive;
// plus a ConditionCheck that every other version is still inactive. Both or neither: there is
// never a moment with zero or two active versions, which the seed's two update-item commands
// (run one after the other) cannot promise. Two flips racing both condition on the same A, so
// one wins and the other is cancelled cleanly, saying which version is active now.
//
// Table layout (scenario 5): partition key `intent` (S), sort key `version` (S), `active` (BOOL).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { MangaopsError, UsageError } from '../../../core/errors.js';
import { defineAction, type Plan } from '../../action.js';
import { str } from '../../iam.js';
import { name } from '../../params.js';
import { queryPartitionCli, transactCli, updateItemCli } from '../cli.js';
import { TransactionCanceledError, type Condition, type DynamoPort, type TransactItem } from '../port.js';
import { ACTIVATED_AT, ACTIVE, INTENT, VERSION } from '../probes.js';

const Params = z.strictObject({ table: name, intent: name, to: name });
type Params = z.output<typeof Params>;

const PARTITION = INTENT;
const SORT = VERSION;
/** TransactWriteItems takes at most 100 items. */
const MAX_ITEMS = 100;

export interface VersionState {
  version: string;
  active: boolean;
}

interface Before {
  table: string;
  intent: string;
  to: string;
  versions: VersionState[];
  /** The versions apply deactivates (normally the one current A). */
  deactivate: string[];
  /** B is not active yet. */
  activate: boolean;
  /** Other versions whose staying inactive the transaction checks. */
  checks: string[];
}

const inactive = (): Condition => ({ or: [{ notExists: ACTIVE }, { equals: [ACTIVE, false] }] });

async function readVersions(dynamo: DynamoPort, table: string, intent: string): Promise<VersionState[]> {
  const items = await dynamo.queryPartition(table, PARTITION, intent);
  return items.map((i) => ({ version: String(i[SORT]), active: i[ACTIVE] === true })).sort((a, b) => (a.version < b.version ? -1 : 1));
}

function flipItems(b: Pick<Before, 'table' | 'intent' | 'to' | 'deactivate' | 'activate' | 'checks'>, activatedAt: string): TransactItem[] {
  const key = (version: string) => ({ [PARTITION]: b.intent, [SORT]: version });
  return [
    ...b.deactivate.map((v): TransactItem => ({ update: { table: b.table, key: key(v), set: { [ACTIVE]: false }, condition: { equals: [ACTIVE, true] } } })),
    ...(b.activate ? [{ update: { table: b.table, key: key(b.to), set: { [ACTIVE]: true, [ACTIVATED_AT]: activatedAt }, condition: { and: [{ exists: SORT }, inactive()] } } } satisfies TransactItem] : []),
    ...b.checks.map((v): TransactItem => ({ check: { table: b.table, key: key(v), condition: inactive() } })),
  ];
}

const activeOf = (versions: VersionState[]) => versions.filter((v) => v.active).map((v) => v.version);

function flipChanged(b: Pick<Before, 'intent' | 'to' | 'deactivate' | 'activate'>): string[] {
  return [...b.deactivate.map((v) => `${b.intent} ${v}: active → false`), ...(b.activate ? [`${b.intent} ${b.to}: active → true`] : [])];
}

export const dynamodbFlipVersion = defineAction({
  name: 'dynamodb.flip-version',
  describe: "Make one version of an intent's prompt template (or classifier) the active one, atomically (TransactWriteItems)",
  params: Params,
  defaults: { table: '${dynamodb.promptTable}' },

  async plan(p, ctx) {
    const dynamo = await ctx.ports.dynamo();
    const versions = await readVersions(dynamo, p.table, p.intent);
    if (!versions.some((v) => v.version === p.to)) {
      const known = versions.map((v) => v.version).join(', ');
      throw new UsageError(
        `${p.table} has no version ${p.to} of ${p.intent}`,
        known ? `versions of ${p.intent}: ${known}; pass one of them to --to` : `no versions of ${p.intent} at all: check --intent and --table`,
      );
    }
    const active = activeOf(versions);
    const deactivate = active.filter((v) => v !== p.to);
    const activate = !active.includes(p.to);
    const others = versions.map((v) => v.version).filter((v) => v !== p.to && !active.includes(v));
    const checks = deactivate.length + 1 + others.length <= MAX_ITEMS ? others : [];
    const before: Before = { table: p.table, intent: p.intent, to: p.to, versions, deactivate, activate, checks };
    const from = active.length ? active.join(' + ') : '(none active)';
    const items = flipItems(before, new Date(ctx.now()).toISOString());
    const updates = items.flatMap((i) => ('update' in i ? [i.update] : []));
    const plan: Plan<Params, Before> = {
      action: 'dynamodb.flip-version',
      params: p,
      summary: `Make ${p.to} the active ${p.intent} version in ${p.table}: ${from} → ${p.to}`,
      changes: [
        ...deactivate.map((v) => ({ what: `${p.table} ${p.intent} ${v} active`, from: 'true', to: 'false' })),
        ...(activate ? [{ what: `${p.table} ${p.intent} ${p.to} active`, from: 'false', to: 'true' }] : []),
      ],
      calls: [
        `DynamoDB TransactWriteItems ${p.table}: ${[
          ...deactivate.map((v) => `Update ${v} SET active = false IF active = true`),
          ...(activate ? [`Update ${p.to} SET active = true, activated_at = now IF it exists AND is inactive`] : []),
          ...(checks.length ? [`ConditionCheck ${checks.join(', ')} still inactive`] : []),
        ].join('; ')}`,
      ],
      cli: [transactCli(items), ...updates.map(updateItemCli)],
      notes: [
        'The first command is what this action sends: both changes or neither.',
        `The update-item commands below are the same change as two calls, with conditions: run one after the other they leave a moment with ${deactivate.length ? 'no active version' : 'two active versions'} in between.`,
        ...(checks.length < others.length ? [`${others.length} other versions: too many to check in one transaction (100 items); only A and B are conditioned.`] : []),
      ],
      before,
      check: queryPartitionCli(p.table, PARTITION, p.intent),
    };
    if (deactivate.length === 1) plan.undo = { action: 'dynamodb.flip-version', params: { table: p.table, intent: p.intent, to: deactivate[0] }, text: `flip ${p.intent} back to ${deactivate[0]}` };
    else plan.notes.push(active.length ? `No undo: ${active.length} versions were active (${from}); a flip makes exactly one active.` : 'No undo: no version was active before.');
    if (!deactivate.length && !activate) {
      plan.noop = true;
      plan.summary = `${p.to} is already the only active ${p.intent} version in ${p.table}`;
    }
    return plan;
  },

  resource: (plan) => ({ key: `dynamodb:${plan.params.table}/${plan.params.intent}`, name: `${plan.params.intent} versions in ${plan.params.table}` }),
  iamWrites(params, iam) {
    // A TransactWriteItems is authorised per item: UpdateItem and ConditionCheckItem.
    iam.allow('DynamoDbFlipVersion', ['dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], [iam.arn.table(str(params, 'table'))]);
  },

  async apply(plan, ctx) {
    const b = plan.before;
    const dynamo = await ctx.ports.dynamo();
    const items = flipItems(b, new Date(ctx.now()).toISOString());
    const changed = flipChanged(b);
    const call = `DynamoDB TransactWriteItems ${b.table} (${items.length} items)`;
    try {
      await dynamo.transact(items, randomUUID());
    } catch (e) {
      if (!(e instanceof TransactionCanceledError)) throw e;
      const now = activeOf(await readVersions(dynamo, b.table, b.intent));
      // Our own flip, already in place (a retried request), is success, not a conflict.
      if (now.length === 1 && now[0] === b.to) return { calls: [call], changed: [], detail: { alreadyActive: b.to } };
      const was = activeOf(b.versions).join(' + ') || 'none';
      throw new MangaopsError(
        `flip of ${b.intent} to ${b.to} cancelled: the versions changed since the plan (active then: ${was}; active now: ${now.join(' + ') || 'none'}). Nothing was changed.`,
        1,
        `plan again: mangaops act dynamodb.flip-version --table ${b.table} --intent ${b.intent} --to ${b.to}`,
      );
    }
    return { calls: [call], changed };
  },

  // One transaction: after a lost reply it took whole or not at all, and the versions say which.
  async reread(plan, ctx) {
    const b = plan.before;
    const versions = await readVersions(await ctx.ports.dynamo(), b.table, b.intent);
    const active = activeOf(versions);
    const now = active.join(' + ') || 'none';
    const was = activeOf(b.versions).join(' + ') || 'none';
    const observed = `active now: ${now} (${versions.map((v) => `${v.version}=${v.active}`).join(', ')})`;
    if (active.length === 1 && active[0] === b.to) return { state: 'applied', observed, changed: flipChanged(b), unchanged: [] };
    const unchanged = [now === was ? `${b.intent}: ${was} still active, ${b.to} not` : `${b.intent}: ${now} active now, not the plan's ${was}: changed by someone else`];
    return { state: 'not applied', observed, changed: [], unchanged };
  },

  async verify(plan, ctx) {
    const b = plan.before;
    const dynamo = await ctx.ports.dynamo();
    const versions = await readVersions(dynamo, b.table, b.intent);
    const active = activeOf(versions);
    const was = b.deactivate.map((v) => `${v} active=${versions.find((x) => x.version === v)?.active}`);
    if (active.length !== 1 || active[0] !== b.to) {
      throw new MangaopsError(`${b.intent} in ${b.table}: active now ${active.join(' + ') || 'none'}, not ${b.to}`, 1, 'someone flipped it meanwhile? read the table, then plan again');
    }
    return `${b.to} active=true${was.length ? `, ${was.join(', ')}` : ''}: exactly one active version of ${b.intent}`;
  },
});
