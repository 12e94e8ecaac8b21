// dynamodb.set-config — set one attribute of a config item (the router's
// complexity_threshold_for_sonnet 0.3 → 0.6, scenario 1) with an UpdateItem conditioned on its
// old value, so a change someone else made since the plan is never overwritten blind.
//
// The old value is `from` when given (the runbook's expectation: a different current value is
// a refusal, overridable with --force), else the value read while planning. The new value
// takes the current one's type: `--value 0.6` from the command line is a number when the
// attribute holds a number. Undo: the same action, back to the old value.
import { z } from 'zod';
import { MangaopsError, UsageError } from '../../../core/errors.js';
import { defineAction, type Plan } from '../../action.js';
import { str } from '../../iam.js';
import { name } from '../../params.js';
import { getItemCli, updateItemCli } from '../cli.js';
import { ConditionFailedError, type Condition, type Key, type Scalar, type UpdateSpec } from '../port.js';

const scalar = z.union([z.number(), z.string(), z.boolean()]);
const Params = z.strictObject({
  table: name,
  key: z.record(z.string(), z.string()),
  attribute: name,
  value: scalar,
  from: scalar.optional(),
});
type Params = z.output<typeof Params>;

interface Before {
  table: string;
  key: Key;
  attribute: string;
  /** Undefined: the item has no such attribute. */
  current: Scalar | undefined;
  value: Scalar;
}

const show = (v: unknown) => (v === undefined ? '(not set)' : JSON.stringify(v));

/** A command-line value in the type of the value it replaces: "0.6" for a number is 0.6. */
function likeCurrent(value: Scalar, current: unknown): Scalar {
  if (typeof value !== 'string') return value;
  if (typeof current === 'number' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (typeof current === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function setSpec(b: Before): UpdateSpec {
  const [partition] = Object.keys(b.key);
  const old: Condition = b.current === undefined ? { notExists: b.attribute } : { equals: [b.attribute, b.current] };
  // The key condition keeps UpdateItem from creating the item if it was deleted meanwhile.
  return { table: b.table, key: b.key, set: { [b.attribute]: b.value }, condition: { and: [{ exists: partition! }, old] } };
}

export const dynamodbSetConfig = defineAction({
  name: 'dynamodb.set-config',
  describe: 'Set one config attribute (complexity_threshold_for_sonnet) with a condition on its old value',
  params: Params,
  defaults: { table: '${dynamodb.configTable}' },

  async plan(p, ctx) {
    const dynamo = await ctx.ports.dynamo();
    const item = await dynamo.getItem(p.table, p.key);
    if (!item) throw new UsageError(`${p.table} has no item ${JSON.stringify(p.key)}`, 'check --table and --key (the runbook names the key, e.g. {"name":"router"})');
    const current = item[p.attribute];
    if (current !== undefined && !isScalar(current)) {
      throw new UsageError(`${p.attribute} in ${p.table} ${JSON.stringify(p.key)} is not a number, string or boolean`, 'set-config changes scalar attributes only');
    }
    const value = likeCurrent(p.value, current);
    const from = p.from === undefined ? undefined : likeCurrent(p.from, current);
    const before: Before = { table: p.table, key: p.key, attribute: p.attribute, current, value };
    const spec = setSpec(before);
    const where = `${p.table} ${JSON.stringify(p.key)}`;
    const plan: Plan<Params, Before> = {
      action: 'dynamodb.set-config',
      params: { ...p, value },
      summary: `Set ${p.attribute} in ${where} from ${show(current)} to ${show(value)}`,
      changes: [{ what: `${where} ${p.attribute}`, from: show(current), to: show(value) }],
      calls: [`DynamoDB UpdateItem ${p.table} key=${JSON.stringify(p.key)} SET ${p.attribute} = ${show(value)} IF ${p.attribute} ${current === undefined ? 'does not exist' : `= ${show(current)}`}`],
      cli: [updateItemCli(spec)],
      notes: [],
      before,
      check: getItemCli(p.table, p.key, p.attribute),
    };
    if (current !== undefined) {
      plan.undo = { action: 'dynamodb.set-config', params: { table: p.table, key: p.key, attribute: p.attribute, value: current, from: value }, text: `set ${p.attribute} back to ${show(current)}` };
    } else {
      plan.notes.push(`No undo: ${p.attribute} is not set now; to remove it again: aws dynamodb update-item --table-name ${p.table} --key '…' --update-expression 'REMOVE ${p.attribute}'`);
    }
    if (from !== undefined && from !== current) {
      plan.refusal = `${p.attribute} is ${show(current)}, not ${show(from)} as the runbook expects: someone changed it; check before overwriting it`;
      if (ctx.force) plan.notes.unshift(`--force: the condition is on the value read now, ${show(current)}.`);
    }
    if (value === current) {
      plan.noop = true;
      plan.summary = `${p.attribute} in ${where} is already ${show(value)}`;
    }
    return plan;
  },

  // The item's partition key value (the key's first attribute, as setSpec reads it).
  resource: (plan) => ({ key: `dynamodb:${plan.params.table}/${Object.values(plan.params.key)[0] ?? ''}`, name: `${plan.params.table} ${JSON.stringify(plan.params.key)}` }),
  iamWrites(params, iam) {
    iam.allow('DynamoDbSetConfig', ['dynamodb:GetItem', 'dynamodb:UpdateItem'], [iam.arn.table(str(params, 'table'))]);
  },

  async apply(plan, ctx) {
    const b = plan.before;
    const dynamo = await ctx.ports.dynamo();
    const calls = [`DynamoDB UpdateItem ${b.table} key=${JSON.stringify(b.key)} SET ${b.attribute}`];
    const changed = [`${b.attribute}: ${show(b.current)} → ${show(b.value)}`];
    try {
      await dynamo.update(setSpec(b));
    } catch (e) {
      if (!(e instanceof ConditionFailedError)) throw e;
      const item = await dynamo.getItem(b.table, b.key);
      // The SDK retried after a lost reply and our own first attempt had landed: that is success.
      if (item?.[b.attribute] === b.value) return { calls, changed, detail: { alreadySet: true } };
      const now = item ? show(item[b.attribute]) : '(the item is gone)';
      throw new MangaopsError(`${b.attribute} changed since the plan: it is ${now} now, not ${show(b.current)}. Nothing was changed.`, 1, 'plan again to see the current value');
    }
    return { calls, changed };
  },

  async reread(plan, ctx) {
    const b = plan.before;
    const item = await (await ctx.ports.dynamo()).getItem(b.table, b.key);
    const now = item?.[b.attribute];
    const observed = `${b.attribute} = ${item ? show(now) : '(the item is gone)'}`;
    if (now === b.value) return { state: 'applied', observed, changed: [`${b.attribute}: ${show(b.current)} → ${show(b.value)}`], unchanged: [] };
    const unchanged = [now === b.current ? `${b.attribute}: still ${show(b.current)}` : `${b.attribute}: ${show(now)} now, set by someone else since the plan`];
    return { state: 'not applied', observed, changed: [], unchanged };
  },

  async verify(plan, ctx) {
    const b = plan.before;
    const item = await (await ctx.ports.dynamo()).getItem(b.table, b.key);
    const now = item?.[b.attribute];
    if (now !== b.value) throw new MangaopsError(`${b.attribute} is ${show(now)}, not ${show(b.value)}`, 1, 'someone changed it meanwhile? plan again');
    return `${b.attribute} = ${show(now)}`;
  },
});
