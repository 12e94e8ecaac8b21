// DynamoDB probes.
//   dynamodb.stream       DescribeTable → StreamSpecification.StreamEnabled (absent: false).
//   dynamodb.stock        BatchGetItem of the products (100 keys a call, UnprocessedKeys
//                         retried with backoff under the probe's deadline); value = how many are
//                         out of stock (quantity ≤ 0). Products missing from the table are named
//                         on the card, not counted; all missing is no data (wrong key?).
//   dynamodb.activations  Scan of the prompt / classifier table for items whose `activated_at`
//                         falls within `since` (and whose `intent` matches, when the probe names
//                         one); value = how many. The attribute is what the flip-version action
//                         writes: an ISO-8601 time (2026-03-04T05:00:00Z) or epoch seconds / ms.
//                         A Scan, not a Query: these tables hold tens of items, and a Scan needs
//                         no assumption about their key schema.
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoSdk, Sdk } from '../../aws/clients.js';
import type { Evidence } from '../../engine/evidence.js';
import type { Probe } from '../../runbook/schema.js';
import type { ProbeRequest } from '../port.js';
import { durationMs } from './at.js';
import { chunks, fmtTime, isReplay, shared, sleep, type LiveContext, type Pending } from './context.js';

type StockProbe = Extract<Probe, { kind: 'dynamodb.stock' }>;
type ActivationsProbe = Extract<Probe, { kind: 'dynamodb.activations' }>;

/** The attribute an activation is stamped with, and the ones shown on the card. */
/** Written by dynamodb.flip-version when it activates a version (the same attribute). */
export const ACTIVATED_AT = 'activated_at';
export const INTENT = 'intent';
export const VERSION = 'version';

const BATCH_GET_MAX = 100;
const REPLAY_NOTE = 'current state: --at replays metrics, logs and activations only';

type Dynamo = Sdk<DynamoDBClient, DynamoSdk>;

function scalar(av: AttributeValue | undefined): string | number | boolean | undefined {
  if (!av) return undefined;
  if (av.N !== undefined) return Number(av.N);
  if (av.S !== undefined) return av.S;
  if (av.BOOL !== undefined) return av.BOOL;
  return undefined;
}

export async function streamEnabled(dynamo: Dynamo, table: string, signal?: AbortSignal): Promise<Evidence> {
  const res = await dynamo.client.send(new dynamo.sdk.DescribeTableCommand({ TableName: table }), { abortSignal: signal });
  const spec = res.Table?.StreamSpecification;
  const enabled = spec?.StreamEnabled ?? false;
  return { status: 'ok', value: enabled, detail: enabled ? `view type ${spec?.StreamViewType ?? '?'}` : 'no stream on the table' };
}

/** BatchGetItem of every key, following UnprocessedKeys until done or aborted. */
export async function batchGet(dynamo: Dynamo, table: string, keys: Record<string, AttributeValue>[], projection: string[], signal?: AbortSignal) {
  const items: Record<string, AttributeValue>[] = [];
  const names = Object.fromEntries(projection.map((a, i) => [`#a${i}`, a]));
  for (const batch of chunks(keys, BATCH_GET_MAX)) {
    let pending: Record<string, AttributeValue>[] = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(1000, 50 * 2 ** attempt), signal);
      const res = await dynamo.client.send(
        new dynamo.sdk.BatchGetItemCommand({
          RequestItems: { [table]: { Keys: pending, ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names } },
        }),
        { abortSignal: signal },
      );
      items.push(...(res.Responses?.[table] ?? []));
      pending = res.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return items;
}

export async function stock(dynamo: Dynamo, probe: StockProbe, ctx: Pick<LiveContext, 'at' | 'now' | 'cachedProducts'>, signal?: AbortSignal): Promise<Evidence> {
  let listed = probe.products;
  let source: string | undefined;
  if (listed.length === 0 && probe.fromRedis && ctx.cachedProducts) {
    // The products the customers are being recommended: read from the cache itself.
    let cached;
    try {
      cached = await ctx.cachedProducts(probe.fromRedis, signal);
    } catch (error) {
      // Redis down is this probe's missing data (the human answers), not a DynamoDB failure.
      return { status: 'nodata', reason: `reading the cached recommendations: ${(error as Error).message}` };
    }
    if (cached.entries === 0) return { status: 'nodata', reason: `no cached recommendations match ${probe.fromRedis} in Redis` };
    listed = cached.products;
    source = `${cached.products.length} products in ${cached.entries} cached entries under ${probe.fromRedis}${cached.truncated ? ' (the first 1000 entries)' : ''}`;
  }
  if (listed.length === 0) {
    const where = probe.fromRedis ? `come from the cached recommendations in Redis (${probe.fromRedis}), which this walk has no connection to` : 'are not given';
    return { status: 'nodata', reason: `the product ids ${where}: list them under the probe's products, or check the cached response by hand` };
  }
  const products = [...new Set(listed)];
  const keys = products.map((p) => ({ [probe.keyAttribute]: { S: p } }));
  const items = await batchGet(dynamo, probe.table, keys, [probe.keyAttribute, probe.quantityAttribute], signal);
  const quantity = new Map(items.map((i) => [String(scalar(i[probe.keyAttribute])), scalar(i[probe.quantityAttribute])]));
  const missing = products.filter((p) => !quantity.has(p));
  if (missing.length === products.length) {
    return { status: 'nodata', reason: `none of the ${products.length} products is in ${probe.table} (key attribute ${probe.keyAttribute}?)` };
  }
  const out = products.filter((p) => quantity.has(p) && Number(quantity.get(p)) <= 0);
  const detail = [
    out.length ? `out of stock: ${out.join(', ')}` : `all ${products.length - missing.length} in stock`,
    missing.length ? `not in the table: ${missing.join(', ')}` : undefined,
    source,
    isReplay(ctx) ? REPLAY_NOTE : undefined,
  ].filter(Boolean).join('; ');
  return { status: 'ok', value: out.length, detail };
}

function activationTime(av: AttributeValue | undefined): number | undefined {
  const v = scalar(av);
  if (typeof v === 'number') return v < 1e11 ? v * 1000 : v; // epoch seconds or milliseconds
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

export async function activations(dynamo: Dynamo, probe: ActivationsProbe, ctx: Pick<LiveContext, 'at'>, signal?: AbortSignal): Promise<Evidence> {
  const to = ctx.at.getTime();
  const from = to - durationMs(probe.since);
  const names: Record<string, string> = { '#at': ACTIVATED_AT, '#intent': INTENT, '#version': VERSION };
  const values: Record<string, AttributeValue> = {};
  let filter = 'attribute_exists(#at)';
  if (probe.intent) {
    filter += ' AND #intent = :intent';
    values[':intent'] = { S: probe.intent };
  }
  const found: { intent?: unknown; version?: unknown; at: number }[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const res = await dynamo.client.send(
      new dynamo.sdk.ScanCommand({
        TableName: probe.table,
        FilterExpression: filter,
        ProjectionExpression: '#at, #intent, #version',
        ExpressionAttributeNames: names,
        ...(Object.keys(values).length && { ExpressionAttributeValues: values }),
        ...(start && { ExclusiveStartKey: start }),
      }),
      { abortSignal: signal },
    );
    for (const item of res.Items ?? []) {
      const at = activationTime(item[ACTIVATED_AT]);
      if (at !== undefined && at >= from && at <= to) found.push({ intent: scalar(item[INTENT]), version: scalar(item[VERSION]), at });
    }
    start = res.LastEvaluatedKey;
  } while (start);
  found.sort((a, b) => a.at - b.at);
  const detail = found.map((f) => `${f.intent ?? '?'} ${f.version ?? ''} at ${fmtTime(f.at)}`.replace(/\s+/g, ' ')).join(', ');
  return { status: 'ok', value: found.length, ...(detail && { detail }) };
}

export function gatherDynamo(requests: ProbeRequest[], ctx: LiveContext): Pending {
  const pending: Pending = new Map();
  const client = () => ctx.aws.dynamodb();

  // One DescribeTable per table, whatever number of probes read it.
  const streams = new Map<string, ProbeRequest[]>();
  for (const r of requests) if (r.probe.kind === 'dynamodb.stream') streams.set(r.probe.table, [...(streams.get(r.probe.table) ?? []), r]);
  for (const [table, rs] of streams) {
    const signal = ctx.signal(Math.max(...rs.map((r) => r.timeoutMs)));
    const work = client().then(async (d) => {
      let e = await streamEnabled(d, table, signal);
      if (isReplay(ctx) && e.status === 'ok') e = { ...e, detail: `${e.detail}; ${REPLAY_NOTE}` };
      return new Map(rs.map((r) => [r.id, e]));
    });
    for (const [id, p] of shared(rs.map((r) => r.id), work, `dynamodb:DescribeTable ${table}`)) pending.set(id, p);
  }

  for (const r of requests) {
    const { probe } = r;
    if (probe.kind !== 'dynamodb.stock' && probe.kind !== 'dynamodb.activations') continue;
    const signal = ctx.signal(r.timeoutMs);
    const work = client().then(async (d) => {
      const e = probe.kind === 'dynamodb.stock' ? await stock(d, probe, ctx, signal) : await activations(d, probe, ctx, signal);
      return new Map([[r.id, e]]);
    });
    const call = probe.kind === 'dynamodb.stock' ? `dynamodb:BatchGetItem ${probe.table}` : `dynamodb:Scan ${probe.table}`;
    for (const [id, p] of shared([r.id], work, call)) pending.set(id, p);
  }
  return pending;
}
