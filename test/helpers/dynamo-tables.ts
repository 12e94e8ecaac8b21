// MangaAssist's tables on DynamoDB Local, created and read with the SDK directly — independent
// of the port under test — plus the port itself pointed at the local endpoint.
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  QueryCommand,
  type AttributeDefinition,
  type BatchWriteItemCommandOutput,
  type KeySchemaElement,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { createLiveDynamo } from '../../src/capabilities/dynamodb/live.js';
import type { DynamoPort } from '../../src/capabilities/dynamodb/port.js';
import { dynamoLocalClientConfig } from './dynamodb-local.js';

export function localClient(endpoint: string, options: { maxAttempts?: number } = {}): DynamoDBClient {
  return new DynamoDBClient({ ...dynamoLocalClientConfig(endpoint), ...options });
}

/** The live adapter on DynamoDB Local, its client built as createAws would but for the endpoint. */
export function localPort(endpoint: string, options: { maxAttempts?: number } = {}): DynamoPort {
  const client = localClient(endpoint, options);
  return createLiveDynamo({
    region: 'ap-northeast-1',
    profile: undefined,
    dynamodb: async () => ({ client, sdk: await import('@aws-sdk/client-dynamodb') }),
  });
}

export async function createTable(client: DynamoDBClient, name: string, hash: string, range?: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: name })).catch(() => {});
  const keys: KeySchemaElement[] = [{ AttributeName: hash, KeyType: 'HASH' }, ...(range ? [{ AttributeName: range, KeyType: 'RANGE' as const }] : [])];
  const attributes: AttributeDefinition[] = keys.map((k) => ({ AttributeName: k.AttributeName, AttributeType: 'S' }));
  await client.send(new CreateTableCommand({ TableName: name, KeySchema: keys, AttributeDefinitions: attributes, BillingMode: 'PAY_PER_REQUEST' }));
}

export async function putAll(client: DynamoDBClient, table: string, items: Array<Record<string, unknown>>): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let request: Record<string, WriteRequest[]> | undefined = {
      [table]: items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: marshall(item) } })),
    };
    while (request && Object.keys(request).length) {
      const out: BatchWriteItemCommandOutput = await client.send(new BatchWriteItemCommand({ RequestItems: request }));
      request = out.UnprocessedItems;
    }
  }
}

export async function queryAll(client: DynamoDBClient, table: string, hash: string, value: string): Promise<Array<Record<string, unknown>>> {
  const out = await client.send(
    new QueryCommand({ TableName: table, KeyConditionExpression: '#h = :v', ExpressionAttributeNames: { '#h': hash }, ExpressionAttributeValues: { ':v': { S: value } }, ConsistentRead: true }),
  );
  return (out.Items ?? []).map((i) => unmarshall(i));
}
