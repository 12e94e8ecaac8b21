// redis.invalidate-stale — scenario 4's selective fix: drop from the pre-computed
// recommendations only what is out of stock, as the seed's `validate_precomputed_response`
// does at serve time, but once, in the cache itself.
//
// The cached entry (what the pre-computation job writes and the seed's code reads): a JSON
// object `{"recommendations":[{"product_id":"…","title":"…"}, …], …}`; other fields are kept.
// The inventory: the table given (config dynamodb.inventoryTable), key `product_id` (S),
// stock `quantity` (N) — both renamable by parameter; quantity ≤ 0 is out of stock.
//
// For each entry holding an out-of-stock product: when at least 2 recommendations remain, it
// is rewritten without them, with `stale_items_removed` (how many were removed) as the seed
// adds it, keeping the entry's remaining TTL; otherwise it is deleted, so the next request
// generates a fresh list. Entries in stock are not touched; keys that are not such an entry
// are left alone and counted. A product missing from the inventory table is left in place and
// named: a wrong table or key name must not empty the whole cache.
//
// Each write is a compare-and-replace: an entry the pre-computation job rewrote since the
// plan read it is left alone (rerun to re-check it). The plan keeps a SHA-1 of each entry it
// will change, not the entry, so the journal stays small however large the cache; apply reads
// the entry again, and computes the same rewrite from it when the fingerprint still matches.
// There is no undo: it is a cache.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { printable } from '../../../core/printable.js';
import { count, plural, sh } from '../../../core/shell.js';
import { defineAction, PartialApplyError, type ActionContext, type Plan } from '../../action.js';
import { BATCH_GET_MAX, batchGetAll } from '../../dynamodb/batch-get.js';
import { quantityOf } from '../../dynamodb/products.js';
import type { DynamoPort } from '../../dynamodb/port.js';
import { str } from '../../iam.js';
import { name } from '../../params.js';
import { judge, MIN_REMAINING, parseEntry, readEntries, type CachedEntry } from '../entries.js';
import { redisCli, scanAll } from '../keys.js';
import { keysResource, type RedisPort } from '../port.js';
import { chunks } from '../../../core/async.js';


const WRITE_CHUNK = 100;
const SHOWN = 10;

/** Quantities of the products, through the one out-of-stock read (capabilities/dynamodb/batch-get.ts). */
async function readStock(
  dynamo: DynamoPort,
  p: { table: string; keyAttribute: string; quantityAttribute: string },
  productIds: string[],
  ctx: Pick<ActionContext, 'sleep'>,
): Promise<{ quantity: Map<string, number>; found: Set<string>; calls: number }> {
  const keys = productIds.map((id) => ({ [p.keyAttribute]: id }));
  const { items, calls } = await batchGetAll(dynamo, p.table, keys, [p.keyAttribute, p.quantityAttribute], { sleep: ctx.sleep });
  const quantity = new Map<string, number>();
  const found = new Set(items.map((item) => String(item[p.keyAttribute])));
  for (const item of items) {
    // As the stock probes read it: a NULL, an empty string or a word is no quantity (unknown,
    // left in place), never 0 — an entry is rewritten only for a product known to be out.
    const q = quantityOf(item[p.quantityAttribute]);
    if (q !== undefined) quantity.set(String(item[p.keyAttribute]), q);
  }
  return { quantity, found, calls };
}

interface Affected {
  key: string;
  /** SHA-1 of the value read while planning: the write happens only if the entry still holds it. */
  sha1: string;
  /** Rewritten without the out-of-stock products, or (false) deleted. */
  rewrite: boolean;
  removed: string[];
  before: number;
  after: number;
}

const fingerprint = (value: string) => createHash('sha1').update(value).digest('hex');

interface Before {
  endpoint: string;
  pattern: string;
  table: string;
  scanned: number;
  notEntries: number;
  outOfStock: string[];
  unknown: string[];
  affected: Affected[];
}

function describeChange(a: Affected): { what: string; from: string; to: string } {
  return {
    what: printable(a.key),
    from: `${plural(a.before, 'recommendation')} (out of stock: ${a.removed.map(printable).join(', ')})`,
    to: !a.rewrite ? `deleted (${a.after} would remain; fewer than ${MIN_REMAINING})` : `${plural(a.after, 'recommendation')}, stale_items_removed`,
  };
}

async function cliFor(redis: RedisPort, affected: Affected[], rewritten: Map<string, string>): Promise<string[]> {
  const cluster = redis.mode === 'cluster';
  const cli = redisCli(redis.endpoint, { follow: cluster });
  const deletes = affected.filter((a) => !a.rewrite).map((a) => a.key);
  const lines: string[] = [];
  // Across slots a multi-key UNLINK fails in a cluster: one key per command there.
  if (deletes.length) lines.push(...(cluster ? deletes.map((k) => `${cli} unlink ${sh(k)}`) : [`${cli} unlink ${deletes.map(sh).join(' ')}`]));
  for (const a of affected.filter((x) => x.rewrite)) {
    if (lines.length >= SHOWN) break;
    const ttl = await redis.pttl(a.key);
    lines.push(`${cli} set ${sh(a.key)} ${sh(rewritten.get(a.key)!)}${ttl > 0 ? ` px ${ttl}` : ''}`);
  }
  const shown = lines.slice(0, SHOWN);
  if (lines.length > SHOWN || affected.length - deletes.length > SHOWN) shown.push(`# … and the other entries alike (${plural(affected.length, 'entry', 'entries')} in all)`);
  return shown;
}

export const redisInvalidateStale = defineAction({
  name: 'redis.invalidate-stale',
  describe: 'Remove out-of-stock products from the cached recommendations: rewrite entries with ≥ 2 left, delete the rest',
  params: z.strictObject({
    pattern: name,
    table: name,
    /** The inventory table's key (S) and stock (N) attributes, as the dynamodb.stock probe names them. */
    keyAttribute: name.default('product_id'),
    quantityAttribute: name.default('quantity'),
  }),
  defaults: { table: '${dynamodb.inventoryTable}' },

  async plan(p, ctx) {
    const redis = await ctx.ports.redis();
    const keys = await scanAll(redis, p.pattern);
    ctx.progress(`read ${plural(keys.length, 'key')} matching ${p.pattern}`);
    const values = await readEntries(redis, keys);
    const entries = new Map<string, CachedEntry>();
    for (const [k, v] of values) {
      const e = parseEntry(v);
      if (e) entries.set(k, e);
    }
    const productIds = [...new Set([...entries.values()].flatMap((e) => e.recommendations.map((r) => r.product_id)))].sort();
    const dynamo = productIds.length ? await ctx.ports.dynamo() : undefined;
    const { quantity, found, calls } = dynamo ? await readStock(dynamo, p, productIds, ctx) : { quantity: new Map<string, number>(), found: new Set<string>(), calls: 0 };
    const isOut = (id: string) => quantity.has(id) && quantity.get(id)! <= 0;
    const unknown = productIds.filter((id) => !quantity.has(id));

    const affected: Affected[] = [];
    const rewritten = new Map<string, string>();
    for (const [key, entry] of entries) {
      const verdict = judge(entry, isOut);
      if (verdict.action === 'keep') continue;
      const after = verdict.action === 'rewrite' ? verdict.next.recommendations.length : entry.recommendations.filter((r) => !isOut(r.product_id)).length;
      if (verdict.action === 'rewrite') rewritten.set(key, JSON.stringify(verdict.next));
      affected.push({
        key,
        sha1: fingerprint(values.get(key)!),
        rewrite: verdict.action === 'rewrite',
        removed: verdict.removed,
        before: entry.recommendations.length,
        after,
      });
    }
    affected.sort((a, b) => (a.key < b.key ? -1 : 1));
    const deletes = affected.filter((a) => !a.rewrite).length;
    const rewrites = affected.length - deletes;
    const outOfStock = productIds.filter(isOut);
    const before: Before = { endpoint: redis.endpoint, pattern: p.pattern, table: p.table, scanned: keys.length, notEntries: values.size - entries.size, outOfStock, unknown, affected };

    const notes = [
      `${plural(entries.size, 'cached entry', 'cached entries')} under ${p.pattern} read; ${plural(productIds.length, 'product')} checked in ${p.table}; out of stock: ${outOfStock.length ? listed(outOfStock) : 'none'}.`,
      'Each write happens only if the entry is still what was read now: one the pre-computation job rewrote meanwhile is left alone (run again to check it). TTLs are kept.',
      'No undo: it is a cache; the pre-computation job rebuilds deleted entries, and requests regenerate them meanwhile.',
    ];
    const missing = unknown.filter((id) => !found.has(id));
    const noQuantity = unknown.filter((id) => found.has(id));
    if (missing.length) notes.push(`Not in ${p.table} (left in place): ${listed(missing)}. Check the table name and its key attribute (${p.keyAttribute}).`);
    if (noQuantity.length) notes.push(`No quantity in ${p.table}.${p.quantityAttribute} (left in place): ${listed(noQuantity)}.`);
    if (before.notEntries) notes.push(`${plural(before.notEntries, 'key')} under ${p.pattern} ${before.notEntries === 1 ? 'is' : 'are'} not a recommendation entry ({"recommendations":[{"product_id":…}]}): left alone.`);

    const plan: Plan<typeof p, Before> = {
      action: 'redis.invalidate-stale',
      params: p,
      summary: affected.length
        ? `${[rewrites ? `Rewrite ${plural(rewrites, 'cached entry', 'cached entries')}` : '', deletes ? `${rewrites ? 'delete' : 'Delete'} ${plural(deletes, 'cached entry', 'cached entries')}` : ''].filter(Boolean).join(' and ')} under ${p.pattern} holding out-of-stock products (${listed(outOfStock)})`
        : `Nothing to do: the ${plural(entries.size, 'cached entry', 'cached entries')} under ${p.pattern} hold only in-stock products`,
      changes: affected.slice(0, 20).map(describeChange),
      calls: [
        `Redis SCAN MATCH ${p.pattern} COUNT 1000 on every master, GET each entry (done while planning: ${plural(keys.length, 'key')})`,
        `DynamoDB BatchGetItem ${p.table}: ${plural(productIds.length, 'product')}, ≤ ${BATCH_GET_MAX} per call, unprocessed keys retried with backoff (done while planning: ${plural(calls, 'call')})`,
        ...(affected.length ? [`Redis EVAL compare-and-replace per entry: ${count(rewrites)} × (PTTL, SET … PX), ${count(deletes)} × UNLINK — each only if the entry is unchanged`] : []),
      ],
      cli: await cliFor(redis, affected, rewritten),
      notes,
      before,
    };
    if (affected.length > 20) plan.changes.push({ what: `${count(affected.length - 20)} more entries`, to: 'alike' });
    if (!affected.length) plan.noop = true;
    return plan;
  },

  resource: keysResource,
  iamWrites(params, iam) {
    iam.note('redis.invalidate-stale: no IAM for Redis (AUTH / ACL users; MANGAOPS_REDIS_URL carries the password)');
    iam.allow('DynamoDbReadStock', ['dynamodb:BatchGetItem'], [iam.arn.table(str(params, 'table'))]);
  },

  async apply(plan, ctx) {
    const before = plan.before;
    const redis = await ctx.ports.redis();
    const out = new Set(before.outOfStock);
    const done = { deleted: [] as string[], replaced: [] as string[], changed: [] as string[] };
    try {
      for (const part of chunks(before.affected, WRITE_CHUNK)) {
        const values = await redis.get(part.map((a) => a.key));
        const outcomes = await Promise.all(
          part.map(async (a, i) => {
            const value = values[i];
            const entry = typeof value === 'string' && fingerprint(value) === a.sha1 ? parseEntry(value) : undefined;
            if (!entry) return 'changed' as const;
            // The same entry and the same stock as planned: the same verdict, recomputed.
            const verdict = judge(entry, (id) => out.has(id));
            return redis.replaceIfUnchanged(a.key, value!, verdict.action === 'rewrite' ? JSON.stringify(verdict.next) : null);
          }),
        );
        outcomes.forEach((o, i) => done[o].push(part[i]!.key));
        ctx.progress(`${count(done.deleted.length + done.replaced.length + done.changed.length)} of ${count(before.affected.length)} entries`);
      }
    } catch (e) {
      const touched = new Set([...done.deleted, ...done.replaced, ...done.changed]);
      const untouched = before.affected.filter((a) => !touched.has(a.key));
      // The chunk in flight may have been written: the runner's re-read settles which (reread below).
      throw new PartialApplyError(`invalidation stopped: ${(e as Error).message}`, summarize(done), untouched.map(notYet), { cause: e, pending: { done, untouched: untouched.map((a) => a.key) } });
    }
    return {
      calls: [`Redis GET × ${count(before.affected.length)}, EVAL compare-and-replace × ${count(done.deleted.length + done.replaced.length)}`],
      changed: summarize(done),
      detail: done,
    };
  },

  async reread(plan, ctx, failure) {
    const before = plan.before;
    const pending = (failure instanceof PartialApplyError ? failure.pending : undefined) as Pending | undefined;
    const done = pending?.done ?? { deleted: [], replaced: [], changed: [] };
    const keys = pending?.untouched ?? before.affected.map((a) => a.key);
    const values = keys.length ? await (await ctx.ports.redis()).get(keys) : [];
    const planned = new Map(before.affected.map((a) => [a.key, a]));
    const out = new Set(before.outOfStock);
    const still: Affected[] = [];
    keys.forEach((key, i) => {
      const value = values[i];
      const a = planned.get(key)!;
      // Gone, as planned or expired; unchanged since the plan; rewritten without the stale products; or someone else's value.
      if (value === null || value === undefined) done.deleted.push(key);
      else if (fingerprint(value) === a.sha1) still.push(a);
      else if (parseEntry(value)?.recommendations.every((r) => !out.has(r.product_id))) done.replaced.push(key);
      else done.changed.push(key);
    });
    const touched = done.deleted.length + done.replaced.length + done.changed.length;
    return {
      state: still.length === 0 ? 'applied' : touched ? 'partly applied' : 'not applied',
      observed: `${count(keys.length - still.length)} of the ${plural(keys.length, 'entry', 'entries')} apply had not heard back about are written or gone, ${count(still.length)} still as read in the plan`,
      changed: summarize(done),
      unchanged: still.map(notYet),
      detail: done,
    };
  },

  async verify(plan, ctx) {
    const before = plan.before;
    const redis = await ctx.ports.redis();
    const out = new Set(before.outOfStock);
    const keys = before.affected.map((a) => a.key);
    const values = keys.length ? await redis.get(keys) : [];
    const still = keys.filter((k, i) => {
      const e = values[i] ? parseEntry(values[i]!) : undefined;
      return e?.recommendations.some((r) => out.has(r.product_id));
    });
    if (still.length) return `${plural(still.length, 'entry', 'entries')} hold out-of-stock products again (${still.slice(0, 3).map(printable).join(', ')}): the pre-computation job re-cached them — run again, and see scenario 4's stream-driven invalidation`;
    return `none of the ${plural(keys.length, 'entry', 'entries')} changed holds an out-of-stock product`;
  },
});

/** Keys and product ids come from the cache: shown with control characters escaped. */
function listed(ids: string[], max = SHOWN): string {
  const shown = ids.slice(0, max).map(printable).join(', ');
  return ids.length > max ? `${shown} and ${count(ids.length - max)} more` : shown;
}

interface Pending {
  done: { deleted: string[]; replaced: string[]; changed: string[] };
  /** Keys apply had not heard back about. */
  untouched: string[];
}

function notYet(a: Affected): string {
  return `${printable(a.key)}: not yet ${a.rewrite ? 'rewritten' : 'deleted'} (run again)`;
}

function summarize(done: { deleted: string[]; replaced: string[]; changed: string[] }): string[] {
  const lines: string[] = [];
  const some = (keys: string[]) => `${keys.slice(0, SHOWN).map(printable).join(', ')}${keys.length > SHOWN ? ', …' : ''}`;
  if (done.replaced.length) lines.push(`rewrote ${plural(done.replaced.length, 'entry', 'entries')} without the out-of-stock products: ${some(done.replaced)}`);
  if (done.deleted.length) lines.push(`deleted ${plural(done.deleted.length, 'entry', 'entries')}: ${some(done.deleted)}`);
  if (done.changed.length) lines.push(`left ${plural(done.changed.length, 'entry', 'entries')} rewritten since the plan (run again to check): ${done.changed.slice(0, SHOWN).map(printable).join(', ')}`);
  return lines;
}
