// "Is the recommended product in stock?" live: the product ids come from the cached
// recommendations in a real redis-server, their stock from DynamoDB Local.
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../../src/capabilities/redis/live.js';
import type { RedisPort } from '../../../src/capabilities/redis/port.js';
import type { DynamoSdk, Sdk } from '../../../src/capabilities/aws.js';
import { createLiveDynamo } from '../../../src/capabilities/dynamodb/live.js';
import type { DynamoPort } from '../../../src/capabilities/dynamodb/port.js';
import type { Ports } from '../../../src/capabilities/ports.js';
import { cachedProducts } from '../../../src/capabilities/redis/cached-products.js';
import { stock } from '../../../src/capabilities/dynamodb/probes.js';
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
  for (const [id, q] of [['demon-slayer-23-le', '0'], ['chainsaw-man-1', '7'], ['jjk-0', '3'], ['spy-family-12', '0']] as const) {
    await dynamo.client.send(new PutItemCommand({ TableName: 'manga-inventory', Item: { product_id: { S: id }, quantity: { N: q } } }));
  }
  const client = await openClient(server.url, false);
  const values: Record<string, string> = {
    'precompute:genre:shonen:recommendations': entry('demon-slayer-23-le', 'chainsaw-man-1', 'jjk-0'),
    'precompute:genre:shonen:top_picks': entry('jjk-0', 'chainsaw-man-1'),
    'precompute:genre:seinen:recommendations': entry('spy-family-12'),
    'session:abc': 'not a recommendation',
  };
  await seed(client, Object.keys(values), (k) => values[k]!);
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
