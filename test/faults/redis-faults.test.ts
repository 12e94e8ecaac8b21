// Faults between mangaops and Redis, on a real redis-server behind a TCP proxy. GIVEN a purge
// whose connection is cut mid-way, or whose replies stop, or whose server is killed -9, THEN the
// journal holds the exact count of what the UNLINK replies confirmed and says plainly what is
// not known; GIVEN a pattern wider than a namespace or over the cap THEN nothing is deleted
// without --force; GIVEN a bad URL or password THEN one line says which.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simulatedDynamo } from '../../src/capabilities/dynamodb/simulated.js';
import { connectRedis } from '../../src/capabilities/redis/live.js';
import { seededRecommendations } from '../../src/capabilities/redis/simulated.js';
import type { RedisPort } from '../../src/capabilities/redis/port.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { allKeys, flushAll, openClient, seed, type Client } from '../helpers/redis-data.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { onlyPorts, runAct } from './fault-world.js';

const PATTERN = 'precompute:genre:*';
const SLACK_MS = 1500;
const matching = (n: number) => Array.from({ length: n }, (_, i) => `precompute:genre:${i}`);

/** The exact count the journal gives: every "deleted N keys" of the failed step. */
function deletedIn(lines: string[] = []): number {
  const line = lines.find((l) => /^deleted [\d,]+ keys? matching/.test(l));
  return line ? Number(/^deleted ([\d,]+)/.exec(line)![1]!.replace(/,/g, '')) : 0;
}

describe('Redis faults, on redis-server behind a proxy', () => {
  let server: RedisServer;
  let client: Client;
  let proxy: FaultProxy;
  let redis: RedisPort;

  beforeAll(async () => {
    server = await startRedisServer();
    client = await openClient(server.url, false);
  });

  afterAll(async () => {
    await redis?.close();
    await proxy?.close();
    client?.disconnect();
    await server?.stop();
  });

  beforeEach(async () => {
    await redis?.close();
    await proxy?.close();
    await flushAll(client);
    proxy = await startFaultProxy({ port: server.port });
    redis = await connectRedis(proxy.url('redis'));
  });

  it('GIVEN the connection is cut in the middle of a purge THEN the lost batches are re-read and the journal count is exactly what is gone', async () => {
    await seed(client, matching(10_000));
    await seed(client, ['session:1', 'session:2']);
    proxy.resetAfterChunks(/UNLINK/i, 4);
    const run = await runAct('redis.purge', ['--pattern', PATTERN, '--count', '500', '--batch', '250'], onlyPorts({ redis: async () => redis }));
    const left = (await allKeys(client, PATTERN)).size;
    expect(left).toBeGreaterThan(0);
    const failed = run.steps.at(-1)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/re-read: partly applied/);
    expect(deletedIn(failed.changed)).toBe(10_000 - left);
    expect(failed.changed![0]).toMatch(/counted from UNLINK replies, [\d,]+ more found gone by a re-read/);
    expect(failed.unchanged).toEqual([`keys matching ${PATTERN} not yet reached: run redis.purge again to finish`]);
    expect([...(await allKeys(client, 'session:*'))].sort()).toEqual(['session:1', 'session:2']);
  });

  it('GIVEN Redis stops answering mid-purge THEN apply ends at its deadline and the journal gives the confirmed count and the read to make', async () => {
    await seed(client, matching(5_000));
    proxy.dropRepliesAfter(/UNLINK/i);
    const run = await runAct('redis.purge', ['--pattern', PATTERN, '--count', '500', '--batch', '250'], onlyPorts({ redis: async () => redis }), { applyTimeout: 700, planTimeout: 700 });
    const failed = run.steps.at(-1)!;
    expect(failed.error).toMatch(/^applying did not finish within 700 ms: no answer from Redis (UNLINK|SCAN)/);
    expect(failed.error).toContain(`check with: mangaops act redis.purge --pattern ${PATTERN} --dry-run`);
    expect(failed.changed).toContainEqual(expect.stringMatching(/^unknown: keys matching precompute:genre:\*/));
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(700 + 700 + 2000 + SLACK_MS);
  });

  it('GIVEN redis-server is killed -9 mid-purge THEN the journal holds the count the replies confirmed and names the keys left unanswered, and what is gone lies between them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mangaops-aof-'));
    const durable = ['--appendonly', 'yes', '--appendfsync', 'always'];
    const victim = await startRedisServer({ args: durable, dir });
    const seeder = await openClient(victim.url, false);
    await seed(seeder, matching(5_000));
    seeder.disconnect();
    const slow = await startFaultProxy({ port: victim.port });
    slow.delayReplies(5);
    const port = await connectRedis(slow.url('redis'));
    // Killed once a few UNLINK batches are out: mid-purge, with replies still on their way.
    const killed = slow.seen(/UNLINK/i, 5).then(() => void process.kill(victim.pid, 'SIGKILL'));
    const run = await runAct('redis.purge', ['--pattern', PATTERN, '--count', '100', '--batch', '100'], onlyPorts({ redis: async () => port }), { planTimeout: 1500 });
    await killed;
    await port.close();
    await slow.close();
    await victim.stop();
    // Back from its append-only file, fsynced at every write: what it holds is what was done.
    const again = await startRedisServer({ args: durable, dir });
    const reader = await openClient(again.url, false);
    const gone = 5_000 - (await allKeys(reader, PATTERN)).size;
    reader.disconnect();
    await again.stop();
    rmSync(dir, { recursive: true, force: true });

    const failed = run.steps.at(-1)!;
    expect(failed.status).toBe('failed');
    const confirmed = deletedIn(failed.changed);
    const unanswered = Number(/([\d,]+) keys? in UNLINKs whose reply was lost/.exec(failed.changed!.join('\n'))?.[1]?.replace(/,/g, '') ?? 0);
    expect(gone).toBeGreaterThan(0);
    expect(confirmed).toBeLessThanOrEqual(gone);
    expect(gone).toBeLessThanOrEqual(confirmed + unanswered);
    expect(failed.error).toContain('whether the change took is unknown');
  });

  it('GIVEN the connection is cut as a compare-and-replace goes out THEN invalidate-stale re-reads the entries and journals them as rewritten', async () => {
    const cached = seededRecommendations();
    for (const [key, value] of Object.entries(cached)) await client.set(key, JSON.stringify(value), 'PX', 86_400_000);
    proxy.resetAfterChunks(/evalsha|eval/i, 0);
    const ports = onlyPorts({ redis: async () => redis, dynamo: async () => simulatedDynamo({ dynamodb: { inventoryTable: 'manga-inventory' } }) });
    const run = await runAct('redis.invalidate-stale', ['--pattern', 'precompute:*', '--table', 'manga-inventory'], ports);
    expect(proxy.matched()).toBe(1);
    expect(run.code).toBe(0);
    const applied = run.steps.find((s) => s.status === 'applied')!;
    expect(applied.detail).toMatchObject({ lostReply: { state: 'applied' } });
    // Our own write, found by the re-read: not "rewritten since the plan" by someone else.
    expect(applied.changed!.join('\n')).not.toContain('rewritten since the plan');
    expect(applied.changed!.join('\n')).toMatch(/rewrote|deleted/);
    expect(run.steps.at(-1)!.status).toBe('verified');
    const top = JSON.parse((await client.get('precompute:genre:shonen:recommendations'))!) as { recommendations: { product_id: string }[] };
    expect(top.recommendations.map((r) => r.product_id)).not.toContain('ds-23-le');
  });

  it("GIVEN --pattern 's*' without --force THEN it is refused (exit 2) and no session is touched; a whole namespace goes through", async () => {
    await seed(client, ['session:1', 'session:2', 'search:1']);
    const wide = await runAct('redis.purge', ['--pattern', 's*'], onlyPorts({ redis: async () => redis }));
    expect(wide.code).toBe(2);
    expect(wide.out).toContain('does not start with a whole namespace');
    expect((await allKeys(client)).size).toBe(3);
    const narrow = await runAct('redis.purge', ['--pattern', 'search:*'], onlyPorts({ redis: async () => redis }));
    expect(narrow.code).toBe(0);
    expect([...(await allKeys(client))].sort()).toEqual(['session:1', 'session:2']);
  });

  it('GIVEN more matching keys than redis.maxPurgeKeys THEN the plan says the estimate and refuses; --force purges', async () => {
    await seed(client, matching(3_000));
    const dir = mkdtempSync(join(tmpdir(), 'mangaops-cfg-'));
    writeFileSync(join(dir, 'config.yaml'), 'redis:\n  maxPurgeKeys: 1000\n');
    const capped = await runAct('redis.purge', ['--pattern', PATTERN], onlyPorts({ redis: async () => redis }), { config: join(dir, 'config.yaml') });
    expect(capped.code).toBe(2);
    expect(capped.out).toContain('3,000 keys match, more than redis.maxPurgeKeys (1,000)');
    expect((await allKeys(client, PATTERN)).size).toBe(3_000);
    const forced = await runAct('redis.purge', ['--pattern', PATTERN], onlyPorts({ redis: async () => redis }), { config: join(dir, 'config.yaml'), force: true });
    expect(forced.code).toBe(0);
    expect((await allKeys(client, PATTERN)).size).toBe(0);
  });

  it('GIVEN a key holding ESC[2J THEN the plan shows it escaped, never the raw control sequence', async () => {
    await seed(client, ['precompute:genre:\x1b[2J\x1b[31mred']);
    const run = await runAct('redis.purge', ['--pattern', PATTERN], onlyPorts({ redis: async () => redis }), { dryRun: true });
    expect(run.out).toContain('precompute:genre:\\x1b[2J\\x1b[31mred');
    expect((run.out + run.err)).not.toContain('\x1b');
  });

  it('GIVEN redis://host/abc THEN a usage error (exit 2), not database 0', async () => {
    const run = await runAct('redis.purge', ['--pattern', PATTERN], undefined, { redisUrl: `redis://127.0.0.1:${server.port}/abc` });
    expect(run.error?.exitCode).toBe(2);
    expect(run.error?.message).toMatch(/^not a Redis URL: redis:\/\/127\.0\.0\.1:\d+\/abc \(the path is a database number/);
  });
});

describe('Redis with a password', () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await startRedisServer({ args: ['--requirepass', 'right-password'] });
  });

  afterAll(async () => server?.stop());

  it('GIVEN a wrong password THEN "authentication failed", not "cannot reach", and the password is never shown', async () => {
    const run = await runAct('redis.purge', ['--pattern', PATTERN], undefined, { redisUrl: `redis://:wrong-secret@127.0.0.1:${server.port}` });
    expect(run.error?.message).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:\d+: authentication failed \(WRONGPASS/);
    expect(`${run.error?.message} ${run.error?.hint} ${run.err}`).not.toContain('wrong-secret');
  });
});
