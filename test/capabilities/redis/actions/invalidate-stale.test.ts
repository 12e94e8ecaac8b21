// redis.invalidate-stale: scenario 4's selective fix on real Redis (standalone and cluster)
// with the inventory on DynamoDB Local — only in-stock recommendations remain, partly stale
// entries are rewritten (TTL kept, stale_items_removed added), the rest deleted — and on the
// drill platform, where BatchGetItem's unprocessed keys are retried with backoff.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisInvalidateStale } from '../../../../src/capabilities/redis/actions/invalidate-stale.js';
import { BATCH_GET_ATTEMPTS } from '../../../../src/capabilities/dynamodb/batch-get.js';
import { judge, parseEntry } from '../../../../src/capabilities/redis/entries.js';
import { connectRedis } from '../../../../src/capabilities/redis/live.js';
import type { DynamoPort } from '../../../../src/capabilities/dynamodb/port.js';
import type { RedisPort } from '../../../../src/capabilities/redis/port.js';
import { simulatedDynamo } from '../../../../src/capabilities/dynamodb/simulated.js';
import { simulatedRedis } from '../../../../src/capabilities/redis/simulated.js';
import { MangaopsError } from '../../../../src/core/errors.js';
import { actionContext } from '../../../helpers/action-context.js';
import { startDynamoLocal, type DynamoLocal } from '../../../helpers/dynamodb-local.js';
import { createTable, localClient, localPort, putAll } from '../../../helpers/dynamo-tables.js';
import { allKeys, flushAll, openClient, seed, type Client } from '../../../helpers/redis-data.js';
import { startRedisCluster, startRedisServer } from '../../../helpers/redis-server.js';

const TABLE = 'manga-inventory';
const DAY = 24 * 3600 * 1000;
const params = redisInvalidateStale.params.parse({ pattern: 'precompute:*', table: TABLE });

// 250 products, every seventh sold out; ghost-1 is in no inventory.
const quantity = (i: number) => (i % 7 === 0 ? 0 : (i % 13) + 1);
const pid = (i: number) => `p${String(i).padStart(3, '0')}`;
const soldOut = new Set(Array.from({ length: 250 }, (_, i) => i).filter((i) => quantity(i) === 0).map(pid));

function entries(): Map<string, { recommendations: Array<{ product_id: string; title: string }>; generated_at: string }> {
  // mulberry32: a small seeded PRNG, so the data is the same on every run.
  let s = 42;
  const rand = (n: number) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
  const rec = (id: string) => ({ product_id: id, title: `Title ${id}` });
  const out = new Map<string, { recommendations: Array<{ product_id: string; title: string }>; generated_at: string }>();
  const at = '2026-11-27T01:00:00Z';
  out.set('precompute:genre:shonen:recommendations', { recommendations: [pid(0), pid(1), pid(2), pid(3)].map(rec), generated_at: at });
  out.set('precompute:genre:shonen:top_picks', { recommendations: [pid(7), pid(1)].map(rec), generated_at: at });
  out.set('precompute:genre:ghost:recommendations', { recommendations: ['ghost-1', pid(1)].map(rec), generated_at: at });
  for (let i = 0; i < 300; i++) {
    const n = 2 + rand(4);
    out.set(`precompute:genre:g${i}:recommendations`, { recommendations: Array.from({ length: n }, () => rec(pid(rand(250)))), generated_at: at });
  }
  return out;
}

/** What the seed's validate_precomputed_response makes of an entry: unchanged, gone (null), or filtered. */
function expected(entry: { recommendations: Array<{ product_id: string }> }): unknown {
  const stale = entry.recommendations.filter((r) => soldOut.has(r.product_id));
  if (!stale.length) return entry;
  const remaining = entry.recommendations.filter((r) => !soldOut.has(r.product_id));
  return remaining.length < 2 ? null : { ...entry, recommendations: remaining, stale_items_removed: stale.length };
}

describe.each([
  { name: 'standalone redis-server', cluster: false },
  { name: 'Redis Cluster', cluster: true },
])('redis.invalidate-stale on a $name and DynamoDB Local', ({ cluster }) => {
  let local: DynamoLocal;
  let ddb: DynamoDBClient;
  let dynamo: DynamoPort;
  let stopRedis: () => Promise<void>;
  let redis: RedisPort;
  let client: Client;
  const cached = entries();

  async function snapshot(): Promise<Map<string, string | null>> {
    const keys = [...(await allKeys(client))].sort();
    const values = await Promise.all(keys.map((k) => client.get(k)));
    return new Map(keys.map((k, i) => [k, values[i] ?? null]));
  }

  async function seedAll(): Promise<void> {
    await flushAll(client);
    await seed(client, [...cached.keys()], (k) => JSON.stringify(cached.get(k)), DAY);
    await seed(client, ['precompute:meta:last_run'], () => '2026-11-27T01:00:00Z');
    await seed(client, ['session:1'], () => JSON.stringify({ recommendations: [{ product_id: pid(0) }] }));
  }

  beforeAll(async () => {
    const [d, r] = await Promise.all([startDynamoLocal(), cluster ? startRedisCluster() : startRedisServer()]);
    local = d;
    stopRedis = r.stop;
    ddb = localClient(local.endpoint);
    dynamo = localPort(local.endpoint);
    redis = await connectRedis(r.url);
    client = await openClient(r.url, cluster);
    await createTable(ddb, TABLE, 'product_id');
    await putAll(ddb, TABLE, Array.from({ length: 250 }, (_, i) => ({ product_id: pid(i), title: `Title ${pid(i)}`, quantity: quantity(i) })));
  });

  afterAll(async () => {
    await redis?.close();
    client?.disconnect();
    ddb?.destroy();
    await Promise.all([local?.stop(), stopRedis?.()]);
  });

  it('changes nothing when only planned', async () => {
    await seedAll();
    const before = await snapshot();
    const plan = await redisInvalidateStale.plan(params, actionContext({ redis, dynamo }));
    expect(plan.noop).toBeUndefined();
    const products = new Set([...cached.values()].flatMap((e) => e.recommendations.map((r) => r.product_id)));
    expect(products.size).toBeGreaterThan(200);
    expect(plan.calls[1]).toBe(
      `DynamoDB BatchGetItem manga-inventory: ${products.size} products, ≤ 100 per call, unprocessed keys retried with backoff (done while planning: 3 calls)`,
    );
    expect(plan.notes.join('\n')).toContain('Not in manga-inventory (left in place): ghost-1.');
    expect(plan.notes.join('\n')).toContain('1 key under precompute:* is not a recommendation entry');
    expect(await snapshot()).toEqual(before);
  });

  it('leaves only in-stock recommendations: partly stale entries rewritten with their TTL, the rest deleted', async () => {
    await seedAll();
    const ctx = actionContext({ redis, dynamo });
    const plan = await redisInvalidateStale.plan(params, ctx);
    const applied = await redisInvalidateStale.apply(plan, ctx);
    const done = applied.detail as { deleted: string[]; replaced: string[]; changed: string[] };
    expect(done.deleted.length).toBeGreaterThan(10);
    expect(done.replaced.length).toBeGreaterThan(10);
    expect(done.changed).toEqual([]);

    const after = await snapshot();
    for (const [key, entry] of cached) {
      const want = expected(entry);
      const got = after.get(key);
      expect(got === undefined ? null : JSON.parse(got!), key).toEqual(want);
      if (want && want !== entry) expect(await client.pttl(key)).toBeGreaterThan(DAY - 60_000);
    }
    expect(JSON.parse(after.get('precompute:genre:shonen:recommendations')!)).toEqual({
      recommendations: [pid(1), pid(2), pid(3)].map((id) => ({ product_id: id, title: `Title ${id}` })),
      generated_at: '2026-11-27T01:00:00Z',
      stale_items_removed: 1,
    });
    expect(after.has('precompute:genre:shonen:top_picks')).toBe(false);
    expect(after.get('precompute:meta:last_run')).toBe('2026-11-27T01:00:00Z');
    expect(after.get('session:1')).toContain(pid(0));
    expect(await redisInvalidateStale.verify!(plan, ctx)).toMatch(/^none of the \d+ entries changed holds an out-of-stock product$/);

    const again = await redisInvalidateStale.plan(params, ctx);
    expect(again.noop).toBe(true);
  });

  it('leaves alone an entry the pre-computation job rewrote after the plan', async () => {
    await seedAll();
    const ctx = actionContext({ redis, dynamo });
    const plan = await redisInvalidateStale.plan(params, ctx);
    const fresh = JSON.stringify({ recommendations: [{ product_id: pid(0), title: 'rewritten by the job' }, { product_id: pid(1), title: 'x' }] });
    await client.set('precompute:genre:shonen:recommendations', fresh);
    const applied = await redisInvalidateStale.apply(plan, ctx);
    expect((applied.detail as { changed: string[] }).changed).toEqual(['precompute:genre:shonen:recommendations']);
    expect(applied.changed.at(-1)).toMatch(/^left 1 entry rewritten since the plan \(run again to check\)/);
    expect(await client.get('precompute:genre:shonen:recommendations')).toBe(fresh);
  });
});

describe('redis.invalidate-stale on the drill platform', () => {
  it('rewrites the shonen list without Demon Slayer 23 LE and deletes the top picks left with one', async () => {
    const redis = simulatedRedis();
    const dynamo = simulatedDynamo();
    const ctx = actionContext({ redis, dynamo });
    const plan = await redisInvalidateStale.plan(params, ctx);
    expect(plan.summary).toBe('Rewrite 1 cached entry and delete 1 cached entry under precompute:* holding out-of-stock products (ds-23-le)');
    expect(plan.changes).toEqual([
      { what: 'precompute:genre:shonen:recommendations', from: '4 recommendations (out of stock: ds-23-le)', to: '3 recommendations, stale_items_removed' },
      { what: 'precompute:genre:shonen:top_picks', from: '2 recommendations (out of stock: ds-23-le)', to: 'deleted (1 would remain; fewer than 2)' },
    ]);
    expect(redis.mutations).toEqual([]);
    await redisInvalidateStale.apply(plan, ctx);
    expect(redis.mutations).toEqual(['Redis SET precompute:genre:shonen:recommendations (TTL kept)', 'Redis UNLINK precompute:genre:shonen:top_picks']);
    const [entry] = await redis.get(['precompute:genre:shonen:recommendations']);
    expect(parseEntry(entry!)?.recommendations.map((r) => r.product_id)).toEqual(['jjk-1', 'csm-1', 'op-105']);
  });

  it('GIVEN a product whose quantity is empty or a word THEN it is unknown, never out of stock: its entries are left in place, and the notes say why', async () => {
    const redis = simulatedRedis();
    const dynamo = simulatedDynamo();
    await dynamo.update({ table: 'manga-inventory', key: { product_id: 'ds-23-le' }, set: { quantity: '' } });
    await dynamo.update({ table: 'manga-inventory', key: { product_id: 'jjk-1' }, set: { quantity: 'n/a' } });
    const plan = await redisInvalidateStale.plan(params, actionContext({ redis, dynamo }));
    expect(plan.noop).toBe(true);
    expect(plan.changes).toEqual([]);
    expect(plan.notes.join('\n')).toContain('No quantity in manga-inventory.quantity (left in place): ds-23-le, jjk-1.');
  });

  it('retries the keys BatchGetItem leaves unprocessed, backing off', async () => {
    const db = simulatedDynamo();
    let calls = 0;
    const throttled: DynamoPort = Object.assign(Object.create(db) as DynamoPort, {
      batchGet: async (table: string, keys: Array<Record<string, string>>, attributes?: string[]) => {
        const out = await db.batchGet(table, keys);
        // The first two calls answer only for the first key.
        if (++calls <= 2) return { items: out.items.filter((i) => i.product_id === keys[0]!.product_id), unprocessed: keys.slice(1) };
        return out;
      },
    });
    const ctx = actionContext({ redis: simulatedRedis(), dynamo: throttled });
    const plan = await redisInvalidateStale.plan(params, ctx);
    expect(ctx.sleeps).toEqual([50, 100]);
    expect(plan.summary).toContain('(ds-23-le)');
  });

  it('gives up after 8 attempts with nothing changed, saying what to do', async () => {
    const db = simulatedDynamo();
    const never: DynamoPort = Object.assign(Object.create(db) as DynamoPort, {
      batchGet: async (_t: string, keys: Array<Record<string, string>>) => ({ items: [], unprocessed: keys }),
    });
    const redis = simulatedRedis();
    const ctx = actionContext({ redis, dynamo: never });
    const error = await redisInvalidateStale.plan(params, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MangaopsError);
    expect((error as Error).message).toMatch(/still unprocessed after 8 BatchGetItem attempts/);
    expect(ctx.sleeps).toHaveLength(BATCH_GET_ATTEMPTS - 1);
    expect(redis.mutations).toEqual([]);
  });

  it('judges an entry as the seed does: fewer than 2 left and it goes', () => {
    const e = { recommendations: [{ product_id: 'a' }, { product_id: 'b' }, { product_id: 'c' }] };
    expect(judge(e, (id) => id === 'a')).toMatchObject({ action: 'rewrite', removed: ['a'] });
    expect(judge(e, (id) => id !== 'c')).toMatchObject({ action: 'delete', removed: ['a', 'b'] });
    expect(judge(e, () => false)).toEqual({ action: 'keep' });
    expect(parseEntry('not json')).toBeUndefined();
    expect(parseEntry('{"recommendations":[{"title":"no id"}]}')).toBeUndefined();
  });
});
