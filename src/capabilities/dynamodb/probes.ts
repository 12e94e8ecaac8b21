// DynamoDB's probe kinds.
//   dynamodb.stream       DescribeTable → StreamSpecification.StreamEnabled (absent: false).
//   dynamodb.stock        BatchGetItem of the products (capabilities/dynamodb/batch-get.ts);
//                         value = how many are out of stock (quantity ≤ 0). Products missing
//                         from the table are named on the card, not counted; all missing is
//                         no data (wrong key?). An item without a readable quantity is unknown
//                         stock, never "in stock". The product ids are the probe's, or the ones
//                         the cached recommendations in Redis hold (`fromRedis`).
//   dynamodb.activations  Scan of the prompt / classifier table for items whose `activated_at`
//                         falls within `since` (and whose `intent` matches, when the probe names
//                         one); value = how many. The attribute is what the flip-version action
//                         writes: an ISO-8601 time (2026-03-04T05:00:00Z) or epoch seconds / ms.
//                         A version made active some other way — the seed's own rollback is
//                         `update-item … SET active = :t`, nothing else — has no time of its
//                         own, so "0 in the window" would be a guess: see activations().
//                         A Scan, not a Query: these tables hold tens of items, and a Scan needs
//                         no assumption about their key schema.
import { z } from 'zod';
import { deferred } from '../../core/deferred.js';
import type { Evidence } from '../../core/evidence.js';
import { durationMs, fmtTime } from '../../core/time.js';
import { shared } from '../failure.js';
import { defineProbeKind, duration, isReplay, probeCommon, simulateScalar, type Pending, type ReadContext, type Reader } from '../probe-kind.js';
import { batchGetAll } from './batch-get.js';
import type { DynamoPort } from './port.js';
import { inventoryFields, productsToRead, quantityOf, timeOf } from './products.js';

/** Stamped by dynamodb.flip-version on the version it activates; read by the activations probe. */
export const ACTIVATED_AT = 'activated_at';
export const INTENT = 'intent';
export const VERSION = 'version';
/** The flag the seed's rollback sets; one version of an intent is active at a time. */
export const ACTIVE = 'active';

export const REPLAY_NOTE = 'current state: --at replays metrics, logs and activations only';

const DynamoStreamProbe = deferred(() => z.strictObject({
  kind: z.literal('dynamodb.stream'),
  ...probeCommon,
  table: z.string(),
}));

const DynamoStockProbe = deferred(() => z.strictObject({
  kind: z.literal('dynamodb.stock'),
  ...probeCommon,
  ...inventoryFields,
}));
type StockProbe = z.infer<typeof DynamoStockProbe>;

const DynamoActivationsProbe = deferred(() => z.strictObject({
  kind: z.literal('dynamodb.activations'),
  ...probeCommon,
  table: z.string(),
  intent: z.string().optional(),
  since: duration.default('2h'),
}));
type ActivationsProbe = z.infer<typeof DynamoActivationsProbe>;

export async function streamEnabled(dynamo: DynamoPort, table: string, signal?: AbortSignal): Promise<Evidence> {
  const t = await dynamo.describeTable(table, signal);
  return { status: 'ok', value: t.streamEnabled, detail: t.streamEnabled ? `view type ${t.streamViewType ?? '?'}` : 'no stream on the table' };
}

export async function stock(dynamo: DynamoPort, probe: StockProbe, ctx: Pick<ReadContext, 'at' | 'now' | 'ports'>, signal?: AbortSignal): Promise<Evidence> {
  const listed = await productsToRead(probe, ctx, signal);
  if ('status' in listed) return listed;
  const { products, source } = listed;
  const keys = products.map((p) => ({ [probe.keyAttribute]: p }));
  const { items } = await batchGetAll(dynamo, probe.table, keys, [probe.keyAttribute, probe.quantityAttribute], { signal });
  const quantity = new Map(items.map((i) => [String(i[probe.keyAttribute]), quantityOf(i[probe.quantityAttribute])]));
  const missing = products.filter((p) => !quantity.has(p));
  if (missing.length === products.length) {
    return { status: 'nodata', reason: `none of the ${products.length} products is in ${probe.table} (key attribute ${probe.keyAttribute}?)` };
  }
  // An item without a readable quantity is unknown stock, never "in stock".
  const unknown = products.filter((p) => quantity.has(p) && quantity.get(p) === undefined);
  const out = products.filter((p) => (quantity.get(p) ?? 1) <= 0);
  if (out.length === 0 && unknown.length) {
    return { status: 'nodata', reason: `no ${probe.quantityAttribute} on ${unknown.join(', ')} in ${probe.table}: their stock is unknown` };
  }
  const inStock = products.length - missing.length - unknown.length - out.length;
  const detail = [
    out.length ? `out of stock: ${out.join(', ')}` : `all ${inStock} in stock`,
    unknown.length ? `no ${probe.quantityAttribute} on ${unknown.join(', ')}` : undefined,
    missing.length ? `not in the table: ${missing.join(', ')}` : undefined,
    source,
    isReplay(ctx) ? REPLAY_NOTE : undefined,
  ].filter(Boolean).join('; ');
  return { status: 'ok', value: out.length, detail };
}

interface VersionRow {
  intent: unknown;
  version: unknown;
  active: boolean;
  /** Its own activated_at, when it has a readable one. */
  at?: number;
}

/** An active version whose activation time the table does not hold; it happened after `after`, when known. */
interface UnknownActivation {
  row: VersionRow;
  after?: number;
  why: string;
}

const nameOf = (r: VersionRow) => `${r.intent ?? '?'} ${r.version ?? ''}`.trim();

/**
 * Active versions whose activation the table cannot date: no activated_at, or one older than
 * another version's of the same intent — only one version of an intent is active at a time,
 * so that one was made active again later, by something that set `active` only. Either way
 * it happened after the latest activation of the other versions, when there is one.
 */
function undatedActivations(rows: VersionRow[]): UnknownActivation[] {
  const out: UnknownActivation[] = [];
  for (const r of rows.filter((x) => x.active)) {
    const others = rows.filter((x) => x !== r && x.intent === r.intent && x.at !== undefined).map((x) => x.at!);
    const after = others.length ? Math.max(...others) : undefined;
    if (r.at === undefined) out.push({ row: r, after, why: `${nameOf(r)} is active but has no activated_at: activation time unknown` });
    else if (after !== undefined && after > r.at) {
      out.push({ row: r, after, why: `${nameOf(r)} is active but its activated_at (${fmtTime(r.at)}) is older than another version's (${fmtTime(after)}): it was made active again at an unknown time` });
    }
  }
  return out;
}

/**
 * How many versions were activated within `since`. A version whose activation time is unknown
 * counts when it must have happened inside the window (after another version's activation in
 * it); otherwise the answer is no data with the reason, never 0: the node asks the human.
 */
export async function activations(dynamo: DynamoPort, probe: ActivationsProbe, ctx: Pick<ReadContext, 'at'>, signal?: AbortSignal): Promise<Evidence> {
  const to = ctx.at.getTime();
  const from = to - durationMs(probe.since);
  const items = await dynamo.scan(probe.table, { attributes: [ACTIVATED_AT, ACTIVE, INTENT, VERSION], ...(probe.intent && { equals: { [INTENT]: probe.intent } }) }, signal);
  const rows: VersionRow[] = items.map((i) => ({ intent: i[INTENT], version: i[VERSION], active: i[ACTIVE] === true, at: timeOf(i[ACTIVATED_AT]) }));
  const inWindow = (t: number) => t >= from && t <= to;
  const dated = rows.filter((r) => r.at !== undefined && inWindow(r.at)).sort((a, b) => a.at! - b.at!);
  const undated = undatedActivations(rows);
  const inside = undated.filter((u) => u.after !== undefined && inWindow(u.after));
  const unknown = undated.filter((u) => !inside.includes(u));
  const count = dated.length + inside.length;
  if (count === 0 && unknown.length) return { status: 'nodata', reason: unknown.map((u) => u.why).join('; ') };
  const listed = [...dated.map((r) => `${nameOf(r)} at ${fmtTime(r.at)}`), ...inside.map((u) => `${nameOf(u.row)} after ${fmtTime(u.after)} (time not recorded)`)].join(', ');
  const detail = [listed, unknown.length ? `a lower bound: ${unknown.map((u) => u.why).join('; ')}` : ''].filter(Boolean).join('; ');
  return { status: 'ok', value: count, ...(detail && { detail }) };
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
export function perProbe<P extends { table: string }>(call: string, read: (d: DynamoPort, probe: P, ctx: ReadContext, signal: AbortSignal) => Promise<Evidence>): Reader<P> {
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
