// The live DynamoDB port: the SDK v3 client from capabilities/aws.ts (created lazily there,
// with its region policy and credential chain; AWS_ENDPOINT_URL_DYNAMODB and AWS_PROFILE are
// read by the SDK itself), the requests built by port.ts, and DynamoDB's two conditional
// failures mapped to the port's errors. Every DynamoDB call of the probes and actions is here.
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { waitingFor } from '../../core/deadline.js';
import { MangaopsError } from '../../core/errors.js';
import type { Aws, DynamoSdk, Sdk } from '../aws.js';
import { classifyError, credentialsError, errorLine, errorName } from '../aws.js';
import {
  compileTransact,
  compileUpdate,
  ConditionFailedError,
  keyJson,
  toAttribute,
  TransactionCanceledError,
  type DynamoPort,
  type Item,
  type Key,
} from './port.js';

type Unmarshall = typeof import('@aws-sdk/util-dynamodb').unmarshall;

function translate(error: unknown, table: string, aws: Pick<Aws, 'profile' | 'region'>): Error {
  const name = errorName(error);
  if (name === 'ConditionalCheckFailedException') return new ConditionFailedError(errorLine(error));
  if (name === 'TransactionCanceledException') {
    const reasons = ((error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []).map((r) => r.Code ?? 'None');
    return new TransactionCanceledError(errorLine(error), reasons);
  }
  const kind = classifyError(error);
  if (kind === 'credentials') return credentialsError(error, aws);
  const cause = { cause: error };
  if (name === 'ResourceNotFoundException') {
    return new MangaopsError(`DynamoDB table ${table} not found in ${aws.region}`, 1, 'check the table name (config dynamodb.*), --region and the account (--profile)', cause);
  }
  if (kind === 'denied') return new MangaopsError(`DynamoDB ${table}: access denied (${errorLine(error)})`, 1, 'mangaops iam-policy prints the permissions each action needs', cause);
  return error instanceof Error ? error : new Error(String(error));
}

export function createLiveDynamo(aws: Pick<Aws, 'dynamodb' | 'profile' | 'region'>): DynamoPort {
  let loaded: Promise<{ client: DynamoDBClient; sdk: DynamoSdk; unmarshall: Unmarshall }> | undefined;
  const load = () =>
    (loaded ??= Promise.all([aws.dynamodb(), import('@aws-sdk/util-dynamodb')]).then(([c, u]: [Sdk<DynamoDBClient, DynamoSdk>, typeof import('@aws-sdk/util-dynamodb')]) => ({
      ...c,
      unmarshall: u.unmarshall,
    })));

  async function call<T>(table: string, run: (l: Awaited<ReturnType<typeof load>>) => Promise<T>): Promise<T> {
    const l = await load();
    try {
      return await run(l);
    } catch (e) {
      throw translate(e, table, aws);
    }
  }

  return {
    describeTable: (table, signal) =>
      call(table, async ({ client, sdk }) => {
        const res = await waitingFor(`DynamoDB DescribeTable ${table}`, (abortSignal) => client.send(new sdk.DescribeTableCommand({ TableName: table }), { abortSignal }), signal);
        const spec = res.Table?.StreamSpecification;
        return { status: res.Table?.TableStatus, streamEnabled: spec?.StreamEnabled ?? false, streamViewType: spec?.StreamViewType };
      }),

    scan: (table, spec, signal) =>
      call(table, async ({ client, sdk, unmarshall }) => {
        const names: Record<string, string> = {};
        const values: Record<string, AttributeValue> = {};
        const name = (a: string) => ((names[`#${a.replace(/[^A-Za-z0-9_]/g, '_')}`] = a), `#${a.replace(/[^A-Za-z0-9_]/g, '_')}`);
        const filters = [
          ...(spec.exists ?? []).map((a) => `attribute_exists(${name(a)})`),
          ...Object.entries(spec.equals ?? {}).map(([a, v]) => {
            const p = `:${a.replace(/[^A-Za-z0-9_]/g, '_')}`;
            values[p] = toAttribute(v);
            return `${name(a)} = ${p}`;
          }),
        ];
        const projection = spec.attributes.map(name).join(', ');
        const items: Item[] = [];
        let start: Record<string, AttributeValue> | undefined;
        do {
          const input = {
            TableName: table,
            ...(filters.length && { FilterExpression: filters.join(' AND ') }),
            ProjectionExpression: projection,
            ExpressionAttributeNames: names,
            ...(Object.keys(values).length && { ExpressionAttributeValues: values }),
            ...(spec.limit && { Limit: spec.limit }),
            ...(start && { ExclusiveStartKey: start }),
          };
          const res = await waitingFor(`DynamoDB Scan ${table}`, (abortSignal) => client.send(new sdk.ScanCommand(input), { abortSignal }), signal);
          for (const i of res.Items ?? []) items.push(unmarshall(i) as Item);
          start = spec.limit && items.length >= spec.limit ? undefined : res.LastEvaluatedKey;
        } while (start);
        return items;
      }),

    getItem: (table, key) =>
      call(table, async ({ client, sdk, unmarshall }) => {
        const out = await waitingFor(`DynamoDB GetItem ${table}`, (abortSignal) => client.send(new sdk.GetItemCommand({ TableName: table, Key: keyJson(key), ConsistentRead: true }), { abortSignal }));
        return out.Item ? (unmarshall(out.Item) as Item) : undefined;
      }),

    queryPartition: (table, attribute, value) =>
      call(table, async ({ client, sdk, unmarshall }) => {
        const items: Item[] = [];
        let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
        do {
          const input = {
            TableName: table,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': attribute },
            ExpressionAttributeValues: { ':pk': keyJson({ pk: value }).pk! },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          };
          const out = await waitingFor(`DynamoDB Query ${table}`, (abortSignal) => client.send(new sdk.QueryCommand(input), { abortSignal }));
          for (const i of out.Items ?? []) items.push(unmarshall(i) as Item);
          start = out.LastEvaluatedKey;
        } while (start);
        return items;
      }),

    batchGet: (table, keys, attributes, signal) =>
      call(table, async ({ client, sdk, unmarshall }) => {
        if (keys.length === 0) return { items: [], unprocessed: [] };
        if (keys.length > 100) throw new Error(`BatchGetItem takes at most 100 keys, not ${keys.length}`);
        const names = attributes?.length ? Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a])) : undefined;
        const input = {
          RequestItems: {
            [table]: {
              Keys: keys.map(keyJson),
              ...(names ? { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names } : {}),
            },
          },
        };
        const out = await waitingFor(`DynamoDB BatchGetItem ${table}`, (abortSignal) => client.send(new sdk.BatchGetItemCommand(input), { abortSignal }), signal);
        const items = (out.Responses?.[table] ?? []).map((i) => unmarshall(i) as Item);
        const unprocessed = (out.UnprocessedKeys?.[table]?.Keys ?? []).map((k) => unmarshall(k) as Key);
        return { items, unprocessed };
      }),

    update: (spec) =>
      call(spec.table, async ({ client, sdk }) => {
        await waitingFor(`DynamoDB UpdateItem ${spec.table}`, (abortSignal) => client.send(new sdk.UpdateItemCommand(compileUpdate(spec)), { abortSignal }));
      }),

    transact: (items, token) => {
      const table = items.map((i) => ('update' in i ? i.update.table : i.check.table))[0] ?? '';
      const input = { TransactItems: compileTransact(items), ClientRequestToken: token };
      return call(table, async ({ client, sdk }) => {
        await waitingFor(`DynamoDB TransactWriteItems ${table}`, (abortSignal) => client.send(new sdk.TransactWriteItemsCommand(input), { abortSignal }));
      });
    },
  };
}
