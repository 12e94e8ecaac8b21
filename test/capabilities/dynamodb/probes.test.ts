// DynamoDB probes against the official DynamoDB Local (test/helpers/dynamodb-local.ts): real
// DescribeTable, BatchGetItem and Scan answers, not a mock's idea of them.
import { BatchGetItemCommand, CreateTableCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Sdk, DynamoSdk } from '../../../src/capabilities/aws.js';
import { batchGetAll } from '../../../src/capabilities/dynamodb/batch-get.js';
import { createLiveDynamo } from '../../../src/capabilities/dynamodb/live.js';
import type { DynamoPort } from '../../../src/capabilities/dynamodb/port.js';
import { activations, stock, streamEnabled } from '../../../src/capabilities/dynamodb/probes.js';
import type { Ports } from '../../../src/capabilities/ports.js';
import { dynamoLocalClientConfig, startDynamoLocal, type DynamoLocal } from '../../helpers/dynamodb-local.js';
import { probe } from '../../helpers/live-probes.js';

let local: DynamoLocal;
let dynamo: Sdk<DynamoDBClient, DynamoSdk>;
/** The live port on DynamoDB Local's client: the probes' one way into DynamoDB. */
let port: DynamoPort;
const at = new Date('2026-03-04T05:30:00Z');
// No Redis in this walk: the product ids come from the probe, or the card says where to look.
const noRedis = { redis: async () => Promise.reject(new Error('no Redis in this test')) } as unknown as Ports;
const ctx = { at, now: new Date(at.getTime() + 60_000), ports: noRedis };
const hoursAgo = (h: number) => new Date(at.getTime() - h * 3_600_000).toISOString();

async function table(name: string, key: string, stream = false) {
  await dynamo.client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...(stream && { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }),
    }),
  );
}

async function put(name: string, item: Record<string, AttributeValue>) {
  await dynamo.client.send(new PutItemCommand({ TableName: name, Item: item }));
}

/** The seed's table layout: intent (partition) and version (sort). */
async function versionTable(name: string) {
  await dynamo.client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'intent', AttributeType: 'S' }, { AttributeName: 'version', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'intent', KeyType: 'HASH' }, { AttributeName: 'version', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

/** Exactly the seed's rollback command: `aws dynamodb update-item … --update-expression "SET active = :v"`, nothing else. */
async function seedSetActive(name: string, version: string, active: boolean) {
  await dynamo.client.send(
    new UpdateItemCommand({
      TableName: name,
      Key: { intent: { S: 'recommendation' }, version: { S: version } },
      UpdateExpression: 'SET active = :v',
      ExpressionAttributeValues: { ':v': { BOOL: active } },
    }),
  );
}

beforeAll(async () => {
  local = await startDynamoLocal();
  dynamo = { client: new DynamoDBClient(dynamoLocalClientConfig(local.endpoint)), sdk: await import('@aws-sdk/client-dynamodb') };
  port = createLiveDynamo({ dynamodb: async () => dynamo, profile: undefined, region: 'ap-northeast-1' });
  await table('inventory-streamed', 'product_id', true);
  await table('manga-inventory', 'product_id');
  await table('manga-prompt-templates', 'template_id');
  for (let i = 0; i < 250; i++) await put('manga-inventory', { product_id: { S: `p${i}` }, quantity: { N: i % 50 === 0 ? '0' : '3' } });
  await put('manga-prompt-templates', { template_id: { S: 'rec-v1' }, intent: { S: 'recommendation' }, version: { S: 'v1' }, activated_at: { S: hoursAgo(48) } });
  await put('manga-prompt-templates', { template_id: { S: 'rec-v2' }, intent: { S: 'recommendation' }, version: { S: 'v2' }, activated_at: { S: hoursAgo(1.5) } });
  await put('manga-prompt-templates', { template_id: { S: 'faq-v7' }, intent: { S: 'faq' }, version: { S: 'v7' }, activated_at: { N: String(Math.floor((at.getTime() - 3_600_000) / 1000)) } });
  await put('manga-prompt-templates', { template_id: { S: 'draft' }, intent: { S: 'recommendation' }, version: { S: 'v3' } });
  await table('inventory-no-quantity', 'product_id');
  await put('inventory-no-quantity', { product_id: { S: 'ds-23-le' } });
  await put('inventory-no-quantity', { product_id: { S: 'jjk-1' }, quantity: { N: '42' } });
}, 120_000);

afterAll(async () => {
  dynamo?.client.destroy();
  await local?.stop();
});

describe('GIVEN DynamoDB Local', () => {
  it('WHEN a table has a stream THEN StreamEnabled is true; WHEN it has none THEN false, not no data', async () => {
    expect(await streamEnabled(port, 'inventory-streamed')).toEqual({ status: 'ok', value: true, detail: 'view type NEW_AND_OLD_IMAGES' });
    expect(await streamEnabled(port, 'manga-inventory')).toEqual({ status: 'ok', value: false, detail: 'no stream on the table' });
  });

  it('WHEN the table is missing THEN DescribeTable says ResourceNotFoundException', async () => {
    await expect(streamEnabled(port, 'no-such-table')).rejects.toMatchObject({ cause: { name: 'ResourceNotFoundException' } });
  });

  it('WHEN 250 products are checked THEN BatchGetItem goes in batches of 100 and the value counts those out of stock', async () => {
    const send = vi.spyOn(dynamo.client, 'send');
    const products = Array.from({ length: 250 }, (_, i) => `p${i}`);
    const e = await stock(port, probe({ kind: 'dynamodb.stock', table: 'manga-inventory', products: [...products, 'gone-1'] }) as never, ctx);
    const sizes = send.mock.calls.map(([c]) => ((c as BatchGetItemCommand).input.RequestItems!['manga-inventory']!.Keys ?? []).length);
    send.mockRestore();
    expect(sizes).toEqual([100, 100, 51]);
    expect(e).toEqual({ status: 'ok', value: 5, detail: 'out of stock: p0, p50, p100, p150, p200; not in the table: gone-1' });
  });

  it('WHEN BatchGetItem leaves keys unprocessed THEN they are asked again until done', async () => {
    const real = dynamo.client.send.bind(dynamo.client);
    let first = true;
    const send = vi.spyOn(dynamo.client, 'send').mockImplementation((async (command: BatchGetItemCommand) => {
      const res = (await real(command)) as { Responses: Record<string, Record<string, AttributeValue>[]> };
      if (!first) return res;
      first = false;
      // Drop the second item and hand its key back as unprocessed, as DynamoDB does under load.
      const items = res.Responses['manga-inventory']!;
      const dropped = items.splice(1, 1)[0]!;
      return { ...res, UnprocessedKeys: { 'manga-inventory': { Keys: [{ product_id: dropped.product_id! }] } } };
    }) as never);
    const { items } = await batchGetAll(port, 'manga-inventory', [{ product_id: 'p1' }, { product_id: 'p2' }], ['product_id', 'quantity']);
    const calls = send.mock.calls.length;
    send.mockRestore();
    expect(calls).toBe(2);
    expect(items.map((i) => i.product_id).sort()).toEqual(['p1', 'p2']);
  });

  it('WHEN no product is in the table THEN it is no data (a wrong key attribute is not "all in stock")', async () => {
    const e = await stock(port, probe({ kind: 'dynamodb.stock', table: 'manga-inventory', products: ['x', 'y'] }) as never, ctx);
    expect(e).toEqual({ status: 'nodata', reason: 'none of the 2 products is in manga-inventory (key attribute product_id?)' });
  });

  it('WHEN the products come from Redis THEN the card says where to list them', async () => {
    const e = await stock(port, probe({ kind: 'dynamodb.stock', table: 'manga-inventory', fromRedis: 'precompute:shonen' }) as never, ctx);
    expect(e).toMatchObject({ status: 'nodata', reason: expect.stringMatching(/cached recommendations in Redis \(precompute:shonen\)/) });
  });

  it('WHEN activations are asked THEN items whose activated_at (ISO or epoch seconds) falls within `since` are counted, by intent when named', async () => {
    const rec = await activations(port, probe({ kind: 'dynamodb.activations', table: 'manga-prompt-templates', intent: 'recommendation', since: '2h' }) as never, ctx);
    expect(rec).toEqual({ status: 'ok', value: 1, detail: 'recommendation v2 at 2026-03-04T04:00:00Z' });
    const all = await activations(port, probe({ kind: 'dynamodb.activations', table: 'manga-prompt-templates', since: '2h' }) as never, ctx);
    expect(all).toMatchObject({ status: 'ok', value: 2 });
    const none = await activations(port, probe({ kind: 'dynamodb.activations', table: 'manga-prompt-templates', intent: 'recommendation', since: '30m' }) as never, ctx);
    expect(none).toEqual({ status: 'ok', value: 0 });
  });

  it('WHEN a product has no quantity attribute THEN its stock is unknown: no data, not "in stock"', async () => {
    const e = await stock(port, probe({ kind: 'dynamodb.stock', table: 'inventory-no-quantity', products: ['ds-23-le', 'jjk-1'] }) as never, ctx);
    expect(e).toEqual({ status: 'nodata', reason: 'no quantity on ds-23-le in inventory-no-quantity: their stock is unknown' });
  });
});

describe('GIVEN prompt versions activated the seed\'s way (SET active = :t only) in DynamoDB Local', () => {
  const activationProbe = (table: string, since: string) => probe({ kind: 'dynamodb.activations', table, intent: 'recommendation', since }) as never;

  it('WHEN the active version has no activated_at THEN the probe says no data with the reason, never 0', async () => {
    await versionTable('prompts-seed-way');
    await put('prompts-seed-way', { intent: { S: 'recommendation' }, version: { S: 'v2.0' }, active: { BOOL: false } });
    await put('prompts-seed-way', { intent: { S: 'recommendation' }, version: { S: 'v2.1' }, active: { BOOL: false } });
    await seedSetActive('prompts-seed-way', 'v2.1', true);
    const e = await activations(port, activationProbe('prompts-seed-way', '2h'), ctx);
    expect(e).toEqual({ status: 'nodata', reason: 'recommendation v2.1 is active but has no activated_at: activation time unknown' });
  });

  it('WHEN the seed\'s rollback re-activates a version stamped long ago THEN its stale activated_at is not read as "no recent change"', async () => {
    await versionTable('prompts-rolled-back');
    // Flipped by mangaops (which stamps activated_at): v2.0 two days ago, v2.1 an hour ago.
    await put('prompts-rolled-back', { intent: { S: 'recommendation' }, version: { S: 'v2.0' }, active: { BOOL: true }, activated_at: { S: hoursAgo(48) } });
    await put('prompts-rolled-back', { intent: { S: 'recommendation' }, version: { S: 'v2.1' }, active: { BOOL: false }, activated_at: { S: hoursAgo(1) } });
    // …then rolled back with the seed's two update-item commands.
    await seedSetActive('prompts-rolled-back', 'v2.1', false);
    await seedSetActive('prompts-rolled-back', 'v2.0', true);
    // Within 2 h: v2.1's activation, and v2.0's, which must have come after it.
    expect(await activations(port, activationProbe('prompts-rolled-back', '2h'), ctx)).toEqual({
      status: 'ok',
      value: 2,
      detail: 'recommendation v2.1 at 2026-03-04T04:30:00Z, recommendation v2.0 after 2026-03-04T04:30:00Z (time not recorded)',
    });
    // Within 30 min: v2.0 came back some time after 04:30 — maybe in the window, maybe not.
    expect(await activations(port, activationProbe('prompts-rolled-back', '30m'), ctx)).toMatchObject({
      status: 'nodata',
      reason: expect.stringMatching(/^recommendation v2\.0 is active but its activated_at \(2026-03-02T05:30:00Z\) is older than another version's \(2026-03-04T04:30:00Z\)/),
    });
  });
});
