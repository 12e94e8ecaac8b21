// redis.purge on real servers: a standalone redis-server and a local 3-master Redis Cluster.
// GIVEN 100k matching keys among others WHEN purged THEN no matching key and every other key
// is left; an interrupted purge, run again, finishes; planning alone changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisPurge } from '../../../../src/capabilities/redis/actions/purge.js';
import { connectRedis } from '../../../../src/capabilities/redis/live.js';
import type { RedisPort } from '../../../../src/capabilities/redis/port.js';
import { PartialApplyError } from '../../../../src/capabilities/action.js';
import { actionContext } from '../../../helpers/action-context.js';
import { allKeys, dbsize, flushAll, openClient, seed, type Client } from '../../../helpers/redis-data.js';
import { startRedisCluster, startRedisServer } from '../../../helpers/redis-server.js';

const PATTERN = 'precompute:genre:shonen:*';

function matchingKeys(n: number): string[] {
  // A tenth share hash tags, so some slots hold many matching keys (batches of more than one key per slot).
  return Array.from({ length: n }, (_, i) => (i % 10 === 0 ? `precompute:genre:shonen:{user${i % 97}}:${i}` : `precompute:genre:shonen:${i}`));
}

function otherKeys(n: number): string[] {
  const near = ['precompute:genre:shonen', 'precompute:genre:shonenX:1', 'Precompute:genre:shonen:1', 'xprecompute:genre:shonen:1', '{precompute:genre:shonen:}1'];
  return [...near, ...Array.from({ length: n - near.length }, (_, i) => (i % 2 ? `precompute:genre:seinen:${i}` : `session:${i}`))];
}

/** A port whose UNLINK fails after `batches` calls: a connection dropped midway through a purge. */
function failingAfter(port: RedisPort, batches: number): RedisPort {
  let calls = 0;
  return Object.assign(Object.create(port) as RedisPort, {
    mode: port.mode,
    endpoint: port.endpoint,
    unlink: async (groups: string[][]) => {
      if (++calls > batches) throw new Error('Connection is closed.');
      return port.unlink(groups);
    },
  });
}

describe.each([
  { name: 'standalone redis-server', cluster: false },
  { name: 'Redis Cluster (3 masters, 3 replicas)', cluster: true },
])('redis.purge on a $name', ({ cluster }) => {
  let stop: () => Promise<void>;
  let port: RedisPort;
  let client: Client;

  beforeAll(async () => {
    const server = cluster ? await startRedisCluster() : await startRedisServer();
    stop = server.stop;
    // Auto-detection picks the mode: no flag given.
    port = await connectRedis(server.url);
    client = await openClient(server.url, cluster);
  });

  afterAll(async () => {
    await port?.close();
    client?.disconnect();
    await stop?.();
  });

  it('detects the mode and lists the masters', async () => {
    expect(port.mode).toBe(cluster ? 'cluster' : 'standalone');
    expect(await port.masters()).toHaveLength(cluster ? 3 : 1);
  });

  it('purges 100,000 matching keys among 20,000 others, leaving every other key', async () => {
    await flushAll(client);
    const others = otherKeys(20_000);
    await seed(client, matchingKeys(100_000));
    await seed(client, others);
    // 100,000 is at the default cap (redis.maxPurgeKeys): this purge is one the config allows.
    const ctx = actionContext({ redis: port }, { config: { redis: { maxPurgeKeys: 200_000 } } });

    const plan = await redisPurge.plan(redisPurge.params.parse({ pattern: PATTERN }), ctx);
    expect(plan.refusal).toBeUndefined();
    const before = plan.before as { estimate: number; sample: string[] };
    // The estimate (DBSIZE × the matching share of a 20,000-key sample per master) is within 5 %.
    expect(Math.abs(before.estimate - 100_000)).toBeLessThan(5_000);
    expect(before.sample.length).toBeGreaterThan(0);
    for (const k of before.sample) expect(k.startsWith('precompute:genre:shonen:')).toBe(true);
    // By hand: SCAN and UNLINK inside Redis, one page per EVAL (test/faults/redis-by-hand runs it).
    expect(plan.cli.join('\n')).toContain('EVAL');
    expect(plan.cli.join('\n')).toContain('"SCAN"');
    expect(plan.cli.join('\n')).not.toMatch(/\bkeys\b/i);

    const result = await redisPurge.apply(plan, ctx);
    expect((result.detail as { deleted: number }).deleted).toBe(100_000);
    expect(result.changed[0]).toMatch(/deleted 100,000 keys matching/);
    expect(ctx.lines.at(-1)).toMatch(/purged 100,000 keys/);

    expect((await allKeys(client, PATTERN)).size).toBe(0);
    expect([...(await allKeys(client))].sort()).toEqual([...others].sort());
    expect(await redisPurge.verify!(plan, ctx)).toBe(`no key matches ${PATTERN} any more`);
  });

  it('finishes, when run again, a purge interrupted midway', async () => {
    await flushAll(client);
    const others = otherKeys(5_000);
    await seed(client, matchingKeys(60_000));
    await seed(client, others);

    const broken = actionContext({ redis: failingAfter(port, 6) });
    const plan = await redisPurge.plan(redisPurge.params.parse({ pattern: PATTERN, batch: 200 }), broken);
    const error = await redisPurge.apply(plan, broken).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PartialApplyError);
    const partial = error as PartialApplyError;
    expect(partial.changed[0]).toMatch(/deleted [\d,]+ keys matching/);
    expect(partial.unchanged[0]).toMatch(/run redis.purge again to finish/);
    const left = (await allKeys(client, PATTERN)).size;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(60_000);

    const ctx = actionContext({ redis: port });
    const again = await redisPurge.plan(redisPurge.params.parse({ pattern: PATTERN }), ctx);
    const result = await redisPurge.apply(again, ctx);
    expect((result.detail as { deleted: number }).deleted).toBe(left);
    expect((await allKeys(client, PATTERN)).size).toBe(0);
    expect([...(await allKeys(client))].sort()).toEqual([...others].sort());
  });

  it('changes nothing when only planned', async () => {
    await flushAll(client);
    await seed(client, matchingKeys(3_000));
    await seed(client, otherKeys(1_000));
    const ctx = actionContext({ redis: port });
    const plan = await redisPurge.plan(redisPurge.params.parse({ pattern: PATTERN }), ctx);
    expect(plan.summary).toBe(`Delete 3,000 keys matching ${PATTERN} on ${port.endpoint}${cluster ? ' (cluster, 3 masters)' : ''}`);
    expect(await dbsize(client)).toBe(4_000);
    expect((await allKeys(client, PATTERN)).size).toBe(3_000);
  });

  it('refuses a pattern without a literal prefix, and says why', async () => {
    const ctx = actionContext({ redis: port });
    for (const pattern of ['*', '*:*', '?recompute:*', '[p]recompute:*']) {
      const plan = await redisPurge.plan(redisPurge.params.parse({ pattern }), ctx);
      expect(plan.refusal).toMatch(/has no literal prefix/);
    }
    expect((await redisPurge.plan(redisPurge.params.parse({ pattern: 'precompute:*' }), ctx)).refusal).toBeUndefined();
  });

  it('refuses a pattern that does not start with a whole namespace (up to the first ":"), and one over the cap, saying the estimate', async () => {
    await flushAll(client);
    await seed(client, matchingKeys(3_000));
    const ctx = actionContext({ redis: port }, { config: { redis: { maxPurgeKeys: 1_000 } } });
    for (const pattern of ['s*', 'session*', 'precompute*']) {
      expect((await redisPurge.plan(redisPurge.params.parse({ pattern }), ctx)).refusal).toMatch(/does not start with a whole namespace/);
    }
    const over = await redisPurge.plan(redisPurge.params.parse({ pattern: PATTERN }), ctx);
    expect(over.refusal).toBe('3,000 keys match, more than redis.maxPurgeKeys (1,000): purge a narrower pattern, or raise the cap in the config');
  });
});
