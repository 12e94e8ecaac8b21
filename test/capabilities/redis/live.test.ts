// The live Redis adapter on a real redis-server: where the URL comes from, a down server as
// one line, Redis's glob rules matched exactly as the server's SCAN MATCH does, and the
// compare-and-replace that keeps an entry's TTL.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectRedis, redisClusterFrom, redisUrlFrom } from '../../../src/capabilities/redis/live.js';
import { globMatcher, groupBySlot, literalPrefix, type RedisPort } from '../../../src/capabilities/redis/port.js';
import { MangaopsError, UsageError } from '../../../src/core/errors.js';
import { allKeys, openClient, seed, type Client } from '../../helpers/redis-data.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import calculateSlot from 'cluster-key-slot';

describe('redisUrlFrom', () => {
  const config = { redis: { url: 'redis://config:6379' } };

  it('takes --redis-url, then MANGAOPS_REDIS_URL, then config redis.url, then localhost', () => {
    expect(redisUrlFrom({ redisUrl: 'rediss://flag:6380', env: { MANGAOPS_REDIS_URL: 'redis://env:6379' }, config })).toBe('rediss://flag:6380');
    expect(redisUrlFrom({ env: { MANGAOPS_REDIS_URL: 'redis://env:6379' }, config })).toBe('redis://env:6379');
    expect(redisUrlFrom({ env: {}, config })).toBe('redis://config:6379');
    expect(redisUrlFrom({ env: {}, config: {} })).toBe('redis://127.0.0.1:6379');
  });

  it('refuses what is not a redis:// or rediss:// URL, saying what to pass', () => {
    expect(() => redisUrlFrom({ redisUrl: 'http://x:6379', env: {}, config })).toThrow(UsageError);
    expect(() => redisUrlFrom({ redisUrl: 'cache.example:6379', env: {}, config })).toThrow(/not a Redis URL/);
  });

  it('reads config redis.cluster as true, false or auto (the default)', () => {
    expect(redisClusterFrom({})).toBe('auto');
    expect(redisClusterFrom({ redis: { cluster: true } })).toBe(true);
    expect(redisClusterFrom({ redis: { cluster: 'false' } })).toBe(false);
    expect(() => redisClusterFrom({ redis: { cluster: 'yes' } })).toThrow(expect.objectContaining({ hint: 'set redis.cluster to true, false or auto' }));
  });
});

describe('key patterns', () => {
  it('finds the literal prefix of a glob', () => {
    expect(literalPrefix('precompute:genre:*')).toBe('precompute:genre:');
    expect(literalPrefix('*:*')).toBe('');
    expect(literalPrefix('a\\*b*')).toBe('a*b');
    expect(literalPrefix('[ab]x')).toBe('');
  });

  it('groups keys by the hash slot ioredis routes them to, cut to the batch size', () => {
    const keys = ['{u1}:a', '{u1}:b', '{u1}:c', 'x', 'y'];
    const groups = groupBySlot(keys, 2);
    for (const g of groups) expect(calculateSlot.generateMulti(g)).toBeGreaterThanOrEqual(0);
    expect(groups.flat().sort()).toEqual([...keys].sort());
    expect(groups.filter((g) => g[0]!.startsWith('{u1}')).map((g) => g.length)).toEqual([2, 1]);
  });
});

describe('the live adapter on a real redis-server', () => {
  let server: RedisServer;
  let port: RedisPort;
  let client: Client;

  beforeAll(async () => {
    server = await startRedisServer();
    port = await connectRedis(server.url, { cluster: 'auto' });
    client = await openClient(server.url, false);
  });

  afterAll(async () => {
    await port?.close();
    client?.disconnect();
    await server?.stop();
  });

  it('says in one line that a server is down, quickly, with what to check', async () => {
    const down = `redis://127.0.0.1:${server.port === 1 ? 2 : 1}`;
    const started = Date.now();
    const error = await connectRedis(down).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(MangaopsError);
    expect((error as Error).message).toBe(`cannot reach Redis at ${down}: ECONNREFUSED`);
    expect((error as MangaopsError).hint).toMatch(/MANGAOPS_REDIS_URL or --redis-url/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('never prints a password in its endpoint', async () => {
    await client.config('SET', 'requirepass', 's3cret');
    try {
      const authed = await connectRedis(`redis://:s3cret@127.0.0.1:${server.port}`);
      expect(authed.endpoint).toBe(`redis://127.0.0.1:${server.port}`);
      await authed.close();
    } finally {
      await client.config('SET', 'requirepass', '');
    }
  });

  it('matches globs exactly as the server does', async () => {
    const keys = ['precompute:genre:shonen:1', 'precompute:genre:shonen', 'precompute:x', 'p*x', 'p?x', 'pax', 'pbx', 'p-x', 'p]x', 'p\\x', 'a[b', 'hello', 'hallo', 'hxllo', 'hllo', 'héllo'];
    await client.flushall();
    await seed(client, keys);
    const patterns = ['precompute:*', 'precompute:genre:shonen:*', 'p?x', 'p\\*x', 'p\\?x', 'p[ab]x', 'p[^ab]x', 'p[a-b]x', 'p[b-a]x', 'p[\\]]x', 'p\\\\x', 'h[ae]llo', 'h[^e]llo', 'h*llo', 'h?llo', 'h??llo', 'h\u00e9llo', 'a[b', '*', '*x', 'p[]x'];
    for (const pattern of patterns) {
      const server = [...(await allKeys(client, pattern))].sort();
      expect(keys.filter(globMatcher(pattern)).sort(), pattern).toEqual(server);
    }
  });

  it('replaces an entry only if unchanged, keeping its remaining TTL', async () => {
    await client.set('entry', 'old', 'PX', 600_000);
    await client.set('plain', 'old');
    expect(await port.replaceIfUnchanged('entry', 'other', 'new')).toBe('changed');
    expect(await client.get('entry')).toBe('old');
    expect(await port.replaceIfUnchanged('entry', 'old', 'new')).toBe('replaced');
    expect(await client.get('entry')).toBe('new');
    const ttl = await client.pttl('entry');
    expect(ttl).toBeGreaterThan(590_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
    expect(await port.replaceIfUnchanged('plain', 'old', 'new')).toBe('replaced');
    expect(await client.pttl('plain')).toBe(-1);
    expect(await port.replaceIfUnchanged('entry', 'new', null)).toBe('deleted');
    expect(await client.exists('entry')).toBe(0);
    expect(await port.replaceIfUnchanged('entry', 'new', null)).toBe('changed');
  });

  it('reads entries and their TTLs in one pipelined round', async () => {
    await client.set('a', '1', 'PX', 5000);
    expect(await port.get(['a', 'missing'])).toEqual(['1', null]);
    expect(await port.pttl('a')).toBeGreaterThan(0);
    expect(await port.pttl('missing')).toBe(-2);
  });
});

describe('the live adapter over TLS (rediss://), as ElastiCache with in-transit encryption', () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await startRedisServer({ tls: true });
  });

  afterAll(async () => server?.stop());
  afterEach(() => vi.unstubAllEnvs());

  it('speaks TLS for rediss://, and purges through it', async () => {
    // The test server's certificate is self-signed: trust it here only (a private CA would go in NODE_EXTRA_CA_CERTS).
    vi.stubEnv('NODE_TLS_REJECT_UNAUTHORIZED', '0');
    const port = await connectRedis(server.url);
    try {
      expect(port.mode).toBe('standalone');
      expect(port.endpoint).toBe(server.url);
      for (const k of ['precompute:a', 'precompute:b', 'other']) expect(await port.replaceIfUnchanged(k, 'nothing', 'x')).toBe('changed');
      const node = (await port.masters())[0]!;
      expect((await port.scan(node, '0', { count: 100 })).keys).toEqual([]);
    } finally {
      await port.close();
    }
  });

  it('refuses a certificate it cannot verify, in one line', async () => {
    const error = await connectRedis(server.url).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(MangaopsError);
    expect((error as Error).message).toMatch(/^cannot reach Redis at rediss:\/\/127\.0\.0\.1:\d+: (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)$/);
  });

  it('says so in one line when plain redis:// meets a TLS-only server', async () => {
    const error = await connectRedis(server.url.replace('rediss:', 'redis:'), { connectTimeoutMs: 1500 }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(MangaopsError);
    expect((error as Error).message).toMatch(/^cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: /);
    expect((error as Error).message).not.toContain('\n');
  });
});
