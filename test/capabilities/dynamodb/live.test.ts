// The live DynamoDB adapter: request shapes and error mapping on aws-sdk-client-mock, and the
// real client factory (src/aws/clients.ts) honouring AWS_ENDPOINT_URL_DYNAMODB against
// DynamoDB Local, as an engineer pointing the tool at a local endpoint would.
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLiveDynamo } from '../../../src/capabilities/dynamodb/live.js';
import { ConditionFailedError, TransactionCanceledError } from '../../../src/capabilities/dynamodb/port.js';
import { createAws } from '../../../src/capabilities/aws.js';
import { MangaopsError } from '../../../src/core/errors.js';
import { startDynamoLocal, type DynamoLocal } from '../../helpers/dynamodb-local.js';
import { createTable, localClient, putAll } from '../../helpers/dynamo-tables.js';

const meta = { $metadata: {} };

function mocked() {
  const client = new DynamoDBClient({ region: 'ap-northeast-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const mock = mockClient(client);
  const port = createLiveDynamo({ region: 'ap-northeast-1', profile: undefined, dynamodb: async () => ({ client, sdk: await import('@aws-sdk/client-dynamodb') }) });
  return { mock, port };
}

describe('the live DynamoDB adapter (mocked SDK)', () => {
  it('reads strongly consistent, every page of a partition', async () => {
    const { mock, port } = mocked();
    mock.on(QueryCommand).resolvesOnce({ Items: [{ intent: { S: 'r' }, version: { S: 'v1' } }], LastEvaluatedKey: { intent: { S: 'r' }, version: { S: 'v1' } } }).resolvesOnce({ Items: [{ intent: { S: 'r' }, version: { S: 'v2' }, active: { BOOL: true } }] });
    mock.on(GetItemCommand).resolves({});
    expect(await port.queryPartition('t', 'intent', 'r')).toEqual([{ intent: 'r', version: 'v1' }, { intent: 'r', version: 'v2', active: true }]);
    expect(mock.commandCalls(QueryCommand).map((c) => c.args[0].input.ConsistentRead)).toEqual([true, true]);
    expect(mock.commandCalls(QueryCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual({ intent: { S: 'r' }, version: { S: 'v1' } });
    expect(await port.getItem('t', { name: 'router' })).toBeUndefined();
    expect(mock.commandCalls(GetItemCommand)[0]!.args[0].input).toEqual({ TableName: 't', Key: { name: { S: 'router' } }, ConsistentRead: true });
  });

  it('projects BatchGetItem to the attributes asked for and hands back the unprocessed keys', async () => {
    const { mock, port } = mocked();
    mock.on(BatchGetItemCommand).resolves({
      Responses: { inv: [{ product_id: { S: 'a' }, quantity: { N: '0' } }] },
      UnprocessedKeys: { inv: { Keys: [{ product_id: { S: 'b' } }] } },
    });
    expect(await port.batchGet('inv', [{ product_id: 'a' }, { product_id: 'b' }], ['product_id', 'quantity'])).toEqual({
      items: [{ product_id: 'a', quantity: 0 }],
      unprocessed: [{ product_id: 'b' }],
    });
    expect(mock.commandCalls(BatchGetItemCommand)[0]!.args[0].input).toEqual({
      RequestItems: { inv: { Keys: [{ product_id: { S: 'a' } }, { product_id: { S: 'b' } }], ProjectionExpression: '#a0, #a1', ExpressionAttributeNames: { '#a0': 'product_id', '#a1': 'quantity' } } },
    });
  });

  it('maps a failed condition and a cancelled transaction to the port errors, with the reasons', async () => {
    const { mock, port } = mocked();
    mock.on(UpdateItemCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', ...meta }));
    mock.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({ message: 'Transaction cancelled', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }], ...meta }),
    );
    await expect(port.update({ table: 't', key: { name: 'router' }, set: { x: 1 }, condition: { equals: ['x', 0] } })).rejects.toBeInstanceOf(ConditionFailedError);
    const error = await port.transact([{ check: { table: 't', key: { k: 'a' }, condition: { exists: 'k' } } }], 'token-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledError);
    expect((error as TransactionCanceledError).reasons).toEqual(['ConditionalCheckFailed', 'None']);
    expect(mock.commandCalls(TransactWriteItemsCommand)[0]!.args[0].input.ClientRequestToken).toBe('token-1');
  });

  it('says in one line which table is missing, and where', async () => {
    const { mock, port } = mocked();
    mock.on(GetItemCommand).rejects(new ResourceNotFoundException({ message: 'Requested resource not found', ...meta }));
    const error = await port.getItem('manga-router-config', { name: 'router' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MangaopsError);
    expect((error as Error).message).toBe('DynamoDB table manga-router-config not found in ap-northeast-1');
  });
});

describe('the live DynamoDB adapter through createAws, on DynamoDB Local', () => {
  let local: DynamoLocal;

  beforeAll(async () => {
    local = await startDynamoLocal();
    const client = localClient(local.endpoint);
    await createTable(client, 'manga-router-config', 'name');
    await putAll(client, 'manga-router-config', [{ name: 'router', complexity_threshold_for_sonnet: 0.3 }]);
    client.destroy();
  });

  afterEach(() => vi.unstubAllEnvs());
  afterAll(async () => local?.stop());

  it('honours AWS_ENDPOINT_URL_DYNAMODB without being told an endpoint', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', local.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    vi.stubEnv('AWS_PROFILE', '');
    const port = createLiveDynamo(createAws({ env: process.env, config: { region: 'ap-northeast-1' } }));
    expect(await port.getItem('manga-router-config', { name: 'router' })).toEqual({ name: 'router', complexity_threshold_for_sonnet: 0.3 });
  });
});
