// "Is the recommended product in stock?" and "when did it change, and when was it cached?" live:
// the product ids come from the cached recommendations in a real redis-server (their age from
// PTTL), their stock and update time from DynamoDB Local.
import { CreateTableCommand, DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../../src/capabilities/redis/live.js';
import type { RedisPort } from '../../../src/capabilities/redis/port.js';
import type { DynamoSdk, Sdk } from '../../../src/capabilities/aws.js';
import { createLiveDynamo } from '../../../src/capabilities/dynamodb/live.js';
import type { DynamoPort } from '../../../src/capabilities/dynamodb/port.js';
import type { Ports } from '../../../src/capabilities/ports.js';
import { cachedProducts } from '../../../src/capabilities/redis/cached-products.js';
import { simulatedRedis } from '../../../src/capabilities/redis/simulated.js';
import { stock } from '../../../src/capabilities/dynamodb/probes.js';
import { updated } from '../../../src/capabilities/dynamodb/updated.js';
import { cacheAge } from '../../../src/capabilities/redis/cache-age.js';
import { dynamoLocalClientConfig, startDynamoLocal, type DynamoLocal } from '../../helpers/dynamodb-local.js';
import { openClient, seed } from '../../helpers/redis-data.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { probe } from '../../helpers/live-probes.js';

let local: DynamoLocal;
let server: RedisServer;
let redis: RedisPort;
let dynamo: Sdk<DynamoDBClient, DynamoSdk>;
let port: DynamoPort;
const now = new Date();
const HOUR = 3_600_000;
const hoursAgo = (h: number) => new Date(now.getTime() - h * HOUR).toISOString();
/** The walk's ports, as far as the stock probe reads them: Redis for the ids. */
const withRedis = (connect: () => Promise<RedisPort>) => ({ redis: connect }) as unknown as Ports;
const entry = (...ids: string[]) => JSON.stringify({ recommendations: ids.map((id) => ({ product_id: id, title: `Title ${id}` })) });

beforeAll(async () => {
  [local, server] = await Promise.all([startDynamoLocal(), startRedisServer()]);
  dynamo = { client: new DynamoDBClient(dynamoLocalClientConfig(local.endpoint)), sdk: await import('@aws-sdk/client-dynamodb') };
  port = createLiveDynamo({ dynamodb: async () => dynamo, profile: undefined, region: 'ap-northeast-1' });
  await dynamo.client.send(
    new CreateTableCommand({ TableName: 'manga-inventory', AttributeDefinitions: [{ AttributeName: 'product_id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'product_id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }),
  );
  // Stock changed 4 h ago (the flash sale), 30 h ago, 2 days ago; spy-family-12 was never stamped.
  const stamped: Record<string, string> = { 'demon-slayer-23-le': hoursAgo(4), 'chainsaw-man-1': hoursAgo(30), 'jjk-0': hoursAgo(48) };
  for (const [id, q] of [['demon-slayer-23-le', '0'], ['chainsaw-man-1', '7'], ['jjk-0', '3'], ['spy-family-12', '0']] as const) {
    const item: Record<string, AttributeValue> = { product_id: { S: id }, quantity: { N: q } };
    if (stamped[id]) item.updated_at = { S: stamped[id] };
    await dynamo.client.send(new PutItemCommand({ TableName: 'manga-inventory', Item: item }));
  }
  const client = await openClient(server.url, false);
  const values: Record<string, string> = {
    'precompute:genre:shonen:recommendations': entry('demon-slayer-23-le', 'chainsaw-man-1', 'jjk-0'),
    'precompute:genre:shonen:top_picks': entry('jjk-0', 'chainsaw-man-1'),
    'precompute:genre:seinen:recommendations': entry('spy-family-12'),
    'session:abc': 'not a recommendation',
  };
  await seed(client, Object.keys(values), (k) => values[k]!);
  // Written by the nightly job with a 24 h TTL: the shonen lists 6 h ago, the seinen one 2 h ago.
  await client.pexpire('precompute:genre:shonen:recommendations', 18 * HOUR);
  await client.pexpire('precompute:genre:shonen:top_picks', 18 * HOUR);
  await client.pexpire('precompute:genre:seinen:recommendations', 22 * HOUR);
  await seed(client, ['precompute:forever:1'], () => entry('jjk-0'));
  client.disconnect();
  redis = await connectRedis(server.url);
}, 120_000);

afterAll(async () => {
  await redis?.close();
  dynamo?.client.destroy();
  await Promise.all([local?.stop(), server?.stop()]);
});

const stockProbe = (fromRedis: string) => probe({ kind: 'dynamodb.stock', table: 'manga-inventory', fromRedis }) as never;

describe('GIVEN cached recommendations in Redis and the inventory in DynamoDB', () => {
  it('WHEN the shonen entries are read THEN their products are listed once each', async () => {
    const cached = await cachedProducts(redis, 'precompute:genre:shonen:*');
    expect(cached.entries).toBe(2);
    expect(cached.products.sort()).toEqual(['chainsaw-man-1', 'demon-slayer-23-le', 'jjk-0']);
    expect(cached.truncated).toBe(false);
  });

  it('WHEN the stock probe reads from Redis THEN it counts the recommended products out of stock', async () => {
    const e = await stock(port, stockProbe('precompute:genre:shonen:*'), { at: now, now, ports: withRedis(async () => redis) });
    expect(e).toEqual({ status: 'ok', value: 1, detail: 'out of stock: demon-slayer-23-le; 3 products in 2 cached entries under precompute:genre:shonen:*' });
  });

  it('WHEN nothing is cached under the pattern THEN no data, not "all in stock"', async () => {
    const e = await stock(port, stockProbe('precompute:genre:isekai:*'), { at: now, now, ports: withRedis(async () => redis) });
    expect(e).toEqual({ status: 'nodata', reason: 'no cached recommendations match precompute:genre:isekai:* in Redis' });
  });

  it('WHEN the walk cannot reach Redis THEN no data says where the ids would come from', async () => {
    const e = await stock(port, stockProbe('precompute:genre:shonen:*'), { at: now, now, ports: withRedis(() => Promise.reject(new Error('cannot reach Redis'))) });
    expect(e.status).toBe('nodata');
    expect(e.status === 'nodata' && e.reason).toContain('the cached recommendations in Redis (precompute:genre:shonen:*)');
  });

  it('WHEN Redis is down THEN no data with the reason, and the walk goes on', async () => {
    const down = () => connectRedis('redis://127.0.0.1:1', { connectTimeoutMs: 500 });
    const e = await stock(port, stockProbe('precompute:genre:shonen:*'), { at: now, now, ports: withRedis(down) });
    expect(e).toEqual({ status: 'nodata', reason: 'reading the cached recommendations in Redis (precompute:genre:shonen:*): cannot reach Redis at redis://127.0.0.1:1: ECONNREFUSED' });
  });
});

describe('GIVEN scenario 4 in a real Redis and DynamoDB Local: when the lists were cached, and when stock changed', () => {
  const ageProbe = (pattern: string) => probe({ kind: 'redis.cache-age', pattern, ttl: '24h' }) as never;
  const updatedProbe = (fromRedis: string) => probe({ kind: 'dynamodb.updated', table: 'manga-inventory', fromRedis }) as never;

  it('WHEN the shonen entries have 18 h of a 24 h TTL left THEN they were cached 6 h ago', async () => {
    const e = await cacheAge(redis, ageProbe('precompute:genre:shonen:*'));
    expect(e).toMatchObject({ status: 'ok', value: 6, detail: expect.stringMatching(/^cached 6(\.0)? h ago \(oldest of 2 sampled\); TTL 24 h, 18 h left$/) });
  });

  it('WHEN an entry has no TTL THEN it is not dated; with none datable the answer is no data', async () => {
    const e = await cacheAge(redis, ageProbe('precompute:forever:*'));
    expect(e).toEqual({ status: 'nodata', reason: 'none of the 1 sampled entries can be dated from its TTL: 1 without a TTL (never expire)' });
  });

  it('WHEN the sample is bounded THEN only that many entries are read (PTTL once each)', async () => {
    const calls: string[] = [];
    const counting = new Proxy(redis, { get: (t, k, r) => (typeof k === 'string' && ['scan', 'pttl'].includes(k) && calls.push(k), Reflect.get(t, k, r)) });
    const e = await cacheAge(counting, probe({ kind: 'redis.cache-age', pattern: 'precompute:genre:*', ttl: '24h', sample: 1 }) as never);
    expect(e).toMatchObject({ status: 'ok' });
    expect(calls.filter((c) => c === 'pttl')).toHaveLength(1);
  });

  it('WHEN the out-of-stock product changed 4 h ago THEN stock changed 4 h ago, from the cached products', async () => {
    const e = await updated(port, updatedProbe('precompute:genre:shonen:*'), { at: now, now, ports: withRedis(async () => redis) });
    expect(e).toMatchObject({ status: 'ok', value: 4, detail: expect.stringMatching(/^stock changed 4(\.0)? h ago: demon-slayer-23-le \(now out of stock\) at .*; 3 products in 2 cached entries/) });
  });

  it('WHEN stock and stock-changed read the same cached recommendations in one gather THEN Redis is scanned once for both, and each answers', async () => {
    let scans = 0;
    const counting = new Proxy(redis, { get: (t, k, r) => (k === 'scan' && scans++, Reflect.get(t, k, r)) });
    const ctx = { at: now, now, ports: withRedis(async () => counting) };
    const [inStock, changed] = await Promise.all([stock(port, stockProbe('precompute:genre:shonen:*'), ctx), updated(port, updatedProbe('precompute:genre:shonen:*'), ctx)]);
    expect(inStock).toMatchObject({ status: 'ok', value: 1 });
    expect(changed).toMatchObject({ status: 'ok', value: 4 });
    expect(scans).toBe(1);
    // Another gather (its own ports) reads the cache afresh.
    await stock(port, stockProbe('precompute:genre:shonen:*'), { at: now, now, ports: withRedis(async () => counting) });
    expect(scans).toBe(2);
  });

  it('WHEN the product in question has no update attribute THEN no data with its name, never "long ago"', async () => {
    const e = await updated(port, updatedProbe('precompute:genre:seinen:*'), { at: now, now, ports: withRedis(async () => redis) });
    expect(e).toEqual({ status: 'nodata', reason: 'no updated_at on spy-family-12 in manga-inventory: when its stock changed is unknown' });
  });
});

describe('GIVEN a large keyspace where few keys match', () => {
  it('THEN the walk stops when the probe is given up (its signal), and after a bounded number of SCAN calls otherwise', async () => {
    const big = simulatedRedis();
    for (let i = 0; i < 120_000; i++) big.set(`session:${String(i).padStart(6, '0')}`, '{}');
    let scans = 0;
    const counted = new Proxy(big, { get: (target, key) => (key === 'scan' ? (...args: Parameters<typeof big.scan>) => (scans++, target.scan(...args)) : Reflect.get(target, key)) }) as typeof big;
    const stop = new AbortController();
    const first = counted.scan.bind(counted);
    const aborting = new Proxy(counted, { get: (target, key) => (key === 'scan' ? async (...args: Parameters<typeof big.scan>) => { const page = await first(...args); stop.abort(new Error('probe timed out')); return page; } : Reflect.get(target, key)) }) as typeof big;
    await expect(cachedProducts(aborting, 'precompute:*', stop.signal)).rejects.toThrow('probe timed out');
    expect(scans).toBe(1);
    scans = 0;
    const cached = await cachedProducts(counted, 'precompute:*');
    expect(cached.entries).toBeGreaterThan(0);
    expect(scans).toBe(50);
  });
});
