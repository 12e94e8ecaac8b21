// The team table on DynamoDB: the TeamStore port over the SDK v3 client, and the table's
// creation for `team init`. Loaded only when a team table is configured (a dynamic import), so
// a local-only run never loads the SDK for it. Every call has a deadline and at most two
// attempts: an unreachable table is known in seconds, said once, and the walk goes on locally.
import { randomUUID } from 'node:crypto';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { resolveRegion } from '../capabilities/aws.js';
import type { Config } from '../core/config.js';
import {
  approvalKey,
  eventKey,
  HEAD,
  incidentKey,
  INDEX,
  LEASE,
  leaseKey,
  alarmClaimKey,
  CLAIM,
  TABLE_DEFINITION,
  TTL_ATTRIBUTE,
  type ApprovalItem,
  type Claim,
  type EventItem,
  type Head,
  type HeadFields,
  type LeaseItem,
  type Listing,
  type TeamStore,
} from './store.js';

type DynamoSdk = typeof import('@aws-sdk/client-dynamodb');
type Item = Record<string, AttributeValue>;

/** Per request: the table answers in milliseconds; three seconds means it is not there. */
const CALL_MS = 3000;
/** A lease item outlives its expiry by a day before TTL deletes it (TTL is lazy anyway). */
const TTL_GRACE_S = 86_400;

export interface TeamClientOptions {
  table: string;
  region?: string;
  profile?: string;
  env: NodeJS.ProcessEnv;
  config: Config;
}

export interface TeamClient {
  client: DynamoDBClient;
  sdk: DynamoSdk;
  region: string;
}

/** The client, as the rest of mangaops makes them: the standard credential chain, AWS_ENDPOINT_URL_DYNAMODB honoured by the SDK. */
export async function teamClient(o: TeamClientOptions): Promise<TeamClient> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [sdk, { fromNodeProviderChain }] = await Promise.all([import('@aws-sdk/client-dynamodb'), import('../capabilities/credential-chain.js')]);
  const region = resolveRegion({ config: o.config, region: o.region, env: o.env });
  const client = new sdk.DynamoDBClient({
    region,
    ...(o.profile ? { profile: o.profile } : {}),
    credentials: fromNodeProviderChain(o.profile ? { profile: o.profile } : {}),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1000, requestTimeout: CALL_MS },
  });
  return { client, sdk, region };
}

const s = (v: string): AttributeValue => ({ S: v });
const n = (v: number): AttributeValue => ({ N: String(v) });
const str = (i: Item, k: string) => i[k]?.S;
const num = (i: Item, k: string) => (i[k]?.N !== undefined ? Number(i[k]!.N) : undefined);

function isConditionFailed(e: unknown): e is { name: string; Item?: Item } {
  return (e as { name?: string })?.name === 'ConditionalCheckFailedException';
}

function toHead(i: Item): Head {
  const head: Head = { incident: (str(i, 'pk') ?? '').slice('INC#'.length) };
  for (const k of ['runbook', 'mode', 'startedBy', 'startedAt', 'status', 'outcome', 'endedAt', 'driver', 'driverSince', 'handedTo'] as const) {
    const v = str(i, k);
    if (v !== undefined) head[k] = v;
  }
  const listing = str(i, 'listing');
  if (listing === 'open' || listing === 'closed') head.listing = listing;
  const until = num(i, 'driverUntil');
  if (until !== undefined) head.driverUntil = until;
  return head;
}

function toLease(i: Item): LeaseItem {
  return {
    resource: str(i, 'resource') ?? '',
    name: str(i, 'name') ?? '',
    holder: str(i, 'holder') ?? '',
    incident: str(i, 'incident') ?? '',
    step: num(i, 'step') ?? 0,
    action: str(i, 'action') ?? '',
    since: str(i, 'since') ?? '',
    until: num(i, 'until') ?? 0,
    token: str(i, 'token') ?? '',
  };
}

function toApproval(i: Item): ApprovalItem {
  return {
    incident: str(i, 'incident') ?? '',
    step: num(i, 'step') ?? 0,
    action: str(i, 'action') ?? '',
    by: str(i, 'by') ?? '',
    at: str(i, 'at') ?? '',
    ...(str(i, 'note') !== undefined && { note: str(i, 'note') }),
    key: str(i, 'key') ?? '',
    requestedBy: str(i, 'requestedBy') ?? '',
  };
}

/** SET a = :a, … for the defined fields. */
function setExpression(fields: Record<string, string | number | undefined>): { expression: string; names: Record<string, string>; values: Item } {
  const names: Record<string, string> = {};
  const values: Item = {};
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    names[`#${k}`] = k;
    values[`:${k}`] = typeof v === 'number' ? n(v) : s(v);
    parts.push(`#${k} = :${k}`);
  }
  return { expression: parts.length ? `SET ${parts.join(', ')}` : '', names, values };
}

export function dynamoTeamStore({ client, sdk }: TeamClient, table: string): TeamStore {
  // One generic send with the deadline: the SDK's own overloads are per command.
  const raw = client as unknown as { send(command: unknown, options: { abortSignal: AbortSignal }): Promise<unknown> };
  const send = <T = unknown>(command: unknown) => raw.send(command, { abortSignal: AbortSignal.timeout(CALL_MS) }) as Promise<T>;
  const queryAll = async (input: ConstructorParameters<DynamoSdk['QueryCommand']>[0]): Promise<Item[]> => {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await send<{ Items?: Item[]; LastEvaluatedKey?: Item }>(new sdk.QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  };

  return {
    table,

    async putEvent(incident, seq, record, by) {
      try {
        await send(
          new sdk.PutItemCommand({
            TableName: table,
            Item: { pk: s(incidentKey(incident)), sk: s(eventKey(seq)), seq: n(seq), record: s(record), by: s(by) },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return 'written';
      } catch (e) {
        if (!isConditionFailed(e)) throw e;
        return e.Item && str(e.Item, 'record') === record ? 'same' : 'conflict';
      }
    },

    async putEvents(incident, records, by, head) {
      const update = head && setExpression(head as Record<string, string | undefined>);
      try {
        await send(
          new sdk.TransactWriteItemsCommand({
            TransactItems: [
              ...records.map((r) => ({
                Put: { TableName: table, Item: { pk: s(incidentKey(incident)), sk: s(eventKey(r.seq)), seq: n(r.seq), record: s(r.record), by: s(by) }, ConditionExpression: 'attribute_not_exists(pk)' },
              })),
              ...(update?.expression
                ? [{ Update: { TableName: table, Key: { pk: s(incidentKey(incident)), sk: s(HEAD) }, UpdateExpression: update.expression, ExpressionAttributeNames: update.names, ExpressionAttributeValues: update.values } }]
                : []),
            ],
          }),
        );
        return true;
      } catch (e) {
        const reasons = (e as { name?: string; CancellationReasons?: { Code?: string }[] }).CancellationReasons;
        if ((e as { name?: string }).name === 'TransactionCanceledException' && reasons?.some((r) => r.Code === 'ConditionalCheckFailed')) return false;
        throw e;
      }
    },

    async events(incident, afterSeq = 0) {
      const items = await queryAll({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': s(incidentKey(incident)), ':from': s(eventKey(afterSeq + 1)), ':to': s(eventKey(99_999_999)) },
        ConsistentRead: true,
      });
      return items.map((i): EventItem => ({ seq: num(i, 'seq') ?? 0, record: str(i, 'record') ?? '', by: str(i, 'by') ?? '' }));
    },

    async head(incident) {
      const out = await send<{ Item?: Item }>(new sdk.GetItemCommand({ TableName: table, Key: { pk: s(incidentKey(incident)), sk: s(HEAD) }, ConsistentRead: true }));
      return out.Item ? toHead(out.Item) : undefined;
    },

    async updateHead(incident, fields) {
      const { expression, names, values } = setExpression(fields as Record<string, string | undefined>);
      if (!expression) return;
      await send(new sdk.UpdateItemCommand({ TableName: table, Key: { pk: s(incidentKey(incident)), sk: s(HEAD) }, UpdateExpression: expression, ExpressionAttributeNames: names, ExpressionAttributeValues: values }));
    },

    async claimDriver(incident, me, token, nowMs, untilMs, take): Promise<Claim> {
      try {
        const out = await send<{ Attributes?: Item }>(
          new sdk.UpdateItemCommand({
            TableName: table,
            Key: { pk: s(incidentKey(incident)), sk: s(HEAD) },
            UpdateExpression: 'SET driver = :me, driverToken = :t, driverSince = :since, driverUntil = :until REMOVE handedTo',
            ...(take ? {} : { ConditionExpression: 'attribute_not_exists(driverUntil) OR driverUntil < :now OR driver = :me' }),
            ExpressionAttributeValues: { ':me': s(me), ':t': s(token), ':since': s(new Date(nowMs).toISOString()), ':until': n(untilMs), ...(take ? {} : { ':now': n(nowMs) }) },
            ReturnValues: 'ALL_OLD',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { ok: true, ...(out.Attributes && { previous: toHead(out.Attributes) }) };
      } catch (e) {
        if (!isConditionFailed(e)) throw e;
        return { ok: false, head: toHead(e.Item ?? {}) };
      }
    },

    async renewDriver(incident, token, untilMs) {
      try {
        await send(
          new sdk.UpdateItemCommand({
            TableName: table,
            Key: { pk: s(incidentKey(incident)), sk: s(HEAD) },
            UpdateExpression: 'SET driverUntil = :until',
            ConditionExpression: 'driverToken = :t',
            ExpressionAttributeValues: { ':t': s(token), ':until': n(untilMs) },
          }),
        );
        return true;
      } catch (e) {
        if (isConditionFailed(e)) return false;
        throw e;
      }
    },

    async releaseDriver(incident, by, handedTo) {
      const own = 'token' in by;
      try {
        await send(
          new sdk.UpdateItemCommand({
            TableName: table,
            Key: { pk: s(incidentKey(incident)), sk: s(HEAD) },
            UpdateExpression: `SET driverUntil = :zero${handedTo ? ', handedTo = :to' : ''}`,
            ConditionExpression: own ? 'driverToken = :t' : 'attribute_not_exists(driverUntil) OR driverUntil < :now OR driver = :me',
            ExpressionAttributeValues: {
              ':zero': n(0),
              ...(handedTo && { ':to': s(handedTo) }),
              ...(own ? { ':t': s(by.token) } : { ':me': s(by.me), ':now': n(by.nowMs) }),
            },
          }),
        );
        return true;
      } catch (e) {
        if (isConditionFailed(e)) return false;
        throw e;
      }
    },

    async listIncidents(listing: Listing, limit) {
      const out = await send<{ Items?: Item[] }>(
        new sdk.QueryCommand({
          TableName: table,
          IndexName: INDEX,
          KeyConditionExpression: 'listing = :l',
          ExpressionAttributeValues: { ':l': s(listing) },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map(toHead);
    },

    async acquireLease(lease, nowMs) {
      const item: Item = {
        pk: s(leaseKey(lease.resource)),
        sk: s(LEASE),
        resource: s(lease.resource),
        name: s(lease.name),
        holder: s(lease.holder),
        incident: s(lease.incident),
        step: n(lease.step),
        action: s(lease.action),
        since: s(lease.since),
        until: n(lease.until),
        token: s(lease.token),
        [TTL_ATTRIBUTE]: n(Math.ceil(lease.until / 1000) + TTL_GRACE_S),
        listing: s('lease'),
        listedAt: s(lease.since),
      };
      try {
        await send(
          new sdk.PutItemCommand({
            TableName: table,
            Item: item,
            // Free, or its holder stopped renewing it: TTL deletes lazily, so expiry is this condition.
            ConditionExpression: 'attribute_not_exists(pk) OR #until < :now',
            ExpressionAttributeNames: { '#until': 'until' },
            ExpressionAttributeValues: { ':now': n(nowMs) },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { taken: true };
      } catch (e) {
        if (!isConditionFailed(e)) throw e;
        const holder = toLease(e.Item ?? {});
        // The SDK's retry after a lost reply meets our own put: the lease is ours.
        return holder.token === lease.token ? { taken: true } : { taken: false, holder };
      }
    },

    async renewLease(resource, token, untilMs) {
      try {
        await send(
          new sdk.UpdateItemCommand({
            TableName: table,
            Key: { pk: s(leaseKey(resource)), sk: s(LEASE) },
            UpdateExpression: 'SET #until = :until, #ttl = :ttl',
            ConditionExpression: '#token = :t',
            ExpressionAttributeNames: { '#until': 'until', '#ttl': TTL_ATTRIBUTE, '#token': 'token' },
            ExpressionAttributeValues: { ':t': s(token), ':until': n(untilMs), ':ttl': n(Math.ceil(untilMs / 1000) + TTL_GRACE_S) },
          }),
        );
        return true;
      } catch (e) {
        if (isConditionFailed(e)) return false;
        throw e;
      }
    },

    async releaseLease(resource, token) {
      try {
        await send(
          new sdk.DeleteItemCommand({
            TableName: table,
            Key: { pk: s(leaseKey(resource)), sk: s(LEASE) },
            ConditionExpression: '#token = :t',
            ExpressionAttributeNames: { '#token': 'token' },
            ExpressionAttributeValues: { ':t': s(token) },
          }),
        );
      } catch (e) {
        // Already someone else's (it expired and was taken): nothing of ours to release.
        if (!isConditionFailed(e)) throw e;
      }
    },

    async leases() {
      const items = await queryAll({ TableName: table, IndexName: INDEX, KeyConditionExpression: 'listing = :l', ExpressionAttributeValues: { ':l': s('lease') } });
      return items.map(toLease);
    },

    async claimAlarm(transition, note, expiresMs) {
      const token = randomUUID();
      try {
        await send(
          new sdk.PutItemCommand({
            TableName: table,
            Item: { pk: s(alarmClaimKey(transition)), sk: s(CLAIM), note: s(note), token: s(token), [TTL_ATTRIBUTE]: n(Math.ceil(expiresMs / 1000)) },
            // Every machine and every Lambda container sees the same claim: the first put wins.
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return true;
      } catch (e) {
        if (!isConditionFailed(e)) throw e;
        // The SDK's retry after a lost reply meets our own claim: still ours, not a duplicate.
        return str(e.Item ?? {}, 'token') === token;
      }
    },

    async releaseAlarm(transition) {
      await send(new sdk.DeleteItemCommand({ TableName: table, Key: { pk: s(alarmClaimKey(transition)), sk: s(CLAIM) } }));
    },

    async putApproval(a) {
      try {
        await send(
          new sdk.PutItemCommand({
            TableName: table,
            Item: {
              pk: s(incidentKey(a.incident)),
              sk: s(approvalKey(a.step, a.by)),
              incident: s(a.incident),
              step: n(a.step),
              action: s(a.action),
              by: s(a.by),
              at: s(a.at),
              ...(a.note !== undefined && { note: s(a.note) }),
              key: s(a.key),
              requestedBy: s(a.requestedBy),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return true;
      } catch (e) {
        if (!isConditionFailed(e)) throw e;
        // The SDK's retry after a lost reply meets this very approval (same moment): recorded now, not before.
        return str(e.Item ?? {}, 'at') === a.at;
      }
    },

    async approvals(incident) {
      const items = await queryAll({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
        ExpressionAttributeValues: { ':pk': s(incidentKey(incident)), ':a': s('APPROVAL#') },
        ConsistentRead: true,
      });
      return items.map(toApproval);
    },
  };
}

// ── team init ─────────────────────────────────────────────────────────────────────────

export interface TableState {
  status: string;
  /** The key schema and index match what mangaops writes. */
  matches: boolean;
  ttl: string;
}

export async function describeTeamTable({ client, sdk }: TeamClient, table: string): Promise<TableState | undefined> {
  try {
    const out = await client.send(new sdk.DescribeTableCommand({ TableName: table }), { abortSignal: AbortSignal.timeout(CALL_MS) });
    const t = out.Table;
    const keys = JSON.stringify(t?.KeySchema?.map((k) => [k.AttributeName, k.KeyType]));
    const want = JSON.stringify(TABLE_DEFINITION.KeySchema.map((k) => [k.AttributeName, k.KeyType]));
    const index = t?.GlobalSecondaryIndexes?.some((g) => g.IndexName === INDEX);
    const ttl = await client.send(new sdk.DescribeTimeToLiveCommand({ TableName: table }), { abortSignal: AbortSignal.timeout(CALL_MS) });
    return { status: t?.TableStatus ?? 'UNKNOWN', matches: keys === want && Boolean(index), ttl: ttl.TimeToLiveDescription?.TimeToLiveStatus ?? 'DISABLED' };
  } catch (e) {
    if ((e as { name?: string })?.name === 'ResourceNotFoundException') return undefined;
    throw e;
  }
}

/** CreateTable (on demand), wait until ACTIVE under `deadlineMs`, then TTL on `ttl`. */
export async function createTeamTable(tc: TeamClient, table: string, deadlineMs: number, sleep: (ms: number) => Promise<void>, now: () => number): Promise<void> {
  const { client, sdk } = tc;
  await client.send(new sdk.CreateTableCommand({ TableName: table, ...TABLE_DEFINITION }), { abortSignal: AbortSignal.timeout(CALL_MS) });
  const until = now() + deadlineMs;
  for (;;) {
    const state = await describeTeamTable(tc, table);
    if (state?.status === 'ACTIVE') break;
    if (now() >= until) throw new Error(`table ${table} not ACTIVE after ${Math.round(deadlineMs / 1000)} s (${state?.status ?? 'not found'})`);
    await sleep(250);
  }
  await enableTtl(tc, table);
}

export async function enableTtl({ client, sdk }: TeamClient, table: string): Promise<void> {
  await client.send(new sdk.UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: true, AttributeName: TTL_ATTRIBUTE } }), { abortSignal: AbortSignal.timeout(CALL_MS) });
}
