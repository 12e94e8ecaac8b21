// DynamoDB's probe kinds.
//   dynamodb.stream       DescribeTable → StreamSpecification.StreamEnabled (absent: false).
//   dynamodb.stock        BatchGetItem of the products (capabilities/dynamodb/batch-get.ts);
//                         value = how many are out of stock (quantity ≤ 0). Products missing
//                         from the table are named on the card, not counted; all missing is
//                         no data (wrong key?). The product ids are the probe's, or the ones
//                         the cached recommendations in Redis hold (`fromRedis`).
//   dynamodb.activations  Scan of the prompt / classifier table for items whose `activated_at`
//                         falls within `since` (and whose `intent` matches, when the probe names
//                         one); value = how many. The attribute is what the flip-version action
//                         writes: an ISO-8601 time (2026-03-04T05:00:00Z) or epoch seconds / ms.
//                         A Scan, not a Query: these tables hold tens of items, and a Scan needs
//                         no assumption about their key schema.
import { z } from 'zod';
import type { Evidence } from '../../core/evidence.js';
import { durationMs, fmtTime } from '../../core/time.js';
import { shared } from '../failure.js';
import { defineProbeKind, duration, isReplay, probeCommon, simulateScalar, type Pending, type ReadContext, type Reader } from '../probe-kind.js';
import { cachedProducts } from '../redis/cached-products.js';
import { batchGetAll } from './batch-get.js';
import type { DynamoPort } from './port.js';

/** Stamped by dynamodb.flip-version on the version it activates; read by the activations probe. */
export const ACTIVATED_AT = 'activated_at';
export const INTENT = 'intent';
export const VERSION = 'version';

const REPLAY_NOTE = 'current state: --at replays metrics, logs and activations only';

const DynamoStreamProbe = z.strictObject({
  kind: z.literal('dynamodb.stream'),
  ...probeCommon,
  table: z.string(),
});

const DynamoStockProbe = z.strictObject({
  kind: z.literal('dynamodb.stock'),
  ...probeCommon,
  table: z.string(),
  /** Product ids to check; when empty, the live source reads them from the cached recommendations under `fromRedis`. */
  products: z.array(z.string()).default([]),
  fromRedis: z.string().optional(),
  keyAttribute: z.string().default('product_id'),
  quantityAttribute: z.string().default('quantity'),
});
type StockProbe = z.infer<typeof DynamoStockProbe>;

const DynamoActivationsProbe = z.strictObject({
  kind: z.literal('dynamodb.activations'),
  ...probeCommon,
  table: z.string(),
  intent: z.string().optional(),
  since: duration.default('2h'),
});
type ActivationsProbe = z.infer<typeof DynamoActivationsProbe>;

export async function streamEnabled(dynamo: DynamoPort, table: string, signal?: AbortSignal): Promise<Evidence> {
  const t = await dynamo.describeTable(table, signal);
  return { status: 'ok', value: t.streamEnabled, detail: t.streamEnabled ? `view type ${t.streamViewType ?? '?'}` : 'no stream on the table' };
}

export async function stock(dynamo: DynamoPort, probe: StockProbe, ctx: Pick<ReadContext, 'at' | 'now' | 'ports'>, signal?: AbortSignal): Promise<Evidence> {
  let listed = probe.products;
  let source: string | undefined;
  if (listed.length === 0 && probe.fromRedis) {
    // The products the customers are being recommended: read from the cache itself.
    let cached;
    try {
      cached = await cachedProducts(await ctx.ports.redis(), probe.fromRedis, signal);
    } catch (error) {
      // Redis down is this probe's missing data (the human answers), not a DynamoDB failure.
      return { status: 'nodata', reason: `reading the cached recommendations in Redis (${probe.fromRedis}): ${(error as Error).message}` };
    }
    if (cached.entries === 0) return { status: 'nodata', reason: `no cached recommendations match ${probe.fromRedis} in Redis` };
    listed = cached.products;
    source = `${cached.products.length} products in ${cached.entries} cached entries under ${probe.fromRedis}${cached.truncated ? ' (the first 1000 entries)' : ''}`;
  }
  if (listed.length === 0) {
    return { status: 'nodata', reason: "the product ids are not given: list them under the probe's products, or name the cached recommendations with fromRedis" };
  }
  const products = [...new Set(listed)];
  const keys = products.map((p) => ({ [probe.keyAttribute]: p }));
  const { items } = await batchGetAll(dynamo, probe.table, keys, [probe.keyAttribute, probe.quantityAttribute], { signal });
  const quantity = new Map(items.map((i) => [String(i[probe.keyAttribute]), i[probe.quantityAttribute]]));
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

function activationTime(v: unknown): number | undefined {
  if (typeof v === 'number') return v < 1e11 ? v * 1000 : v; // epoch seconds or milliseconds
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

export async function activations(dynamo: DynamoPort, probe: ActivationsProbe, ctx: Pick<ReadContext, 'at'>, signal?: AbortSignal): Promise<Evidence> {
  const to = ctx.at.getTime();
  const from = to - durationMs(probe.since);
  const items = await dynamo.scan(probe.table, { attributes: [ACTIVATED_AT, INTENT, VERSION], exists: [ACTIVATED_AT], ...(probe.intent && { equals: { [INTENT]: probe.intent } }) }, signal);
  const found = items
    .map((item) => ({ intent: item[INTENT], version: item[VERSION], at: activationTime(item[ACTIVATED_AT]) }))
    .filter((f): f is { intent: unknown; version: unknown; at: number } => f.at !== undefined && f.at >= from && f.at <= to)
    .sort((a, b) => a.at - b.at);
  const detail = found.map((f) => `${f.intent ?? '?'} ${f.version ?? ''} at ${fmtTime(f.at)}`.replace(/\s+/g, ' ')).join(', ');
  return { status: 'ok', value: found.length, ...(detail && { detail }) };
}

/** One DescribeTable per table, whatever number of probes read it. */
const streamReader: Reader<z.infer<typeof DynamoStreamProbe>> = {
  read(requests, ctx) {
    const pending: Pending = new Map();
    const byTable = new Map<string, typeof requests>();
    for (const r of requests) byTable.set(r.probe.table, [...(byTable.get(r.probe.table) ?? []), r]);
    for (const [table, rs] of byTable) {
      const signal = ctx.signal(Math.max(...rs.map((r) => r.timeoutMs)));
      const work = ctx.ports.dynamo().then(async (d) => {
        let e = await streamEnabled(d, table, signal);
        if (isReplay(ctx) && e.status === 'ok') e = { ...e, detail: `${e.detail}; ${REPLAY_NOTE}` };
        return new Map(rs.map((r) => [r.id, e]));
      });
      for (const [id, p] of shared(rs.map((r) => r.id), work, `dynamodb:DescribeTable ${table}`)) pending.set(id, p);
    }
    return pending;
  },
};

/** One read per probe, each under its own deadline. */
function perProbe<P extends { table: string }>(call: string, read: (d: DynamoPort, probe: P, ctx: ReadContext, signal: AbortSignal) => Promise<Evidence>): Reader<P> {
  return {
    read(requests, ctx) {
      const pending: Pending = new Map();
      for (const r of requests) {
        const signal = ctx.signal(r.timeoutMs);
        const work = ctx.ports.dynamo().then(async (d) => new Map([[r.id, await read(d, r.probe, ctx, signal)]]));
        for (const [id, p] of shared([r.id], work, `${call} ${r.probe.table}`)) pending.set(id, p);
      }
      return pending;
    },
  };
}

export const dynamoStreamKind = defineProbeKind({
  kind: 'dynamodb.stream',
  schema: DynamoStreamProbe,
  describe: (p) => `DynamoDB DescribeTable ${p.table} · StreamSpecification.StreamEnabled`,
  iamReads: (p, iam) => iam.allow('DynamoDbDescribeTable', ['dynamodb:DescribeTable'], [iam.arn.table(p.table)]),
  simulate: (_, sim) => simulateScalar(sim),
  reader: streamReader,
});

export const dynamoStockKind = defineProbeKind({
  kind: 'dynamodb.stock',
  schema: DynamoStockProbe,
  describe: (p) => `DynamoDB BatchGetItem ${p.table} · out-of-stock recommended products`,
  iamReads: (p, iam) => iam.allow('DynamoDbReadStock', ['dynamodb:BatchGetItem'], [iam.arn.table(p.table)]),
  simulate: (_, sim) => simulateScalar(sim),
  reader: perProbe('dynamodb:BatchGetItem', stock),
});

export const dynamoActivationsKind = defineProbeKind({
  kind: 'dynamodb.activations',
  schema: DynamoActivationsProbe,
  describe: (p) => `DynamoDB ${p.table} · activations${p.intent ? ` of ${p.intent}` : ''} in the last ${p.since}`,
  iamReads: (p, iam) => iam.allow('DynamoDbScanActivations', ['dynamodb:Scan'], [iam.arn.table(p.table)]),
  simulate: (_, sim) => simulateScalar(sim),
  reader: perProbe('dynamodb:Scan', activations),
});
