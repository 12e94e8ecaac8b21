// The dynamodb.updated probe: when the stock of the recommended products last changed —
// scenario 4's "DynamoDB inventory update timestamp: 4 hours ago (flash sale depleted stock)".
// One BatchGetItem of the products (listed, or read from the cached recommendations in Redis)
// with their update attribute (`updatedAttribute`, updated_at by default) and quantity. Value:
// hours since the latest update of the out-of-stock products — the change that made a cached
// list stale — or of all of them when none is out of stock. A product in question without a
// readable update time makes the answer unknown: no data, with its name.
import { z } from 'zod';
import { deferred } from '../../core/deferred.js';
import type { Evidence } from '../../core/evidence.js';
import { fmtSpan, fmtTime, hoursOf } from '../../core/time.js';
import { defineProbeKind, isReplay, probeCommon, simulateScalar, type ReadContext } from '../probe-kind.js';
import { batchGetAll } from './batch-get.js';
import type { DynamoPort } from './port.js';
import { perProbe, REPLAY_NOTE } from './probes.js';
import { inventoryFields, productsToRead, quantityOf, timeOf } from './products.js';

const DynamoUpdatedProbe = deferred(() => z.strictObject({
  kind: z.literal('dynamodb.updated'),
  ...probeCommon,
  ...inventoryFields,
  /** When the item last changed: ISO-8601 or epoch seconds / milliseconds. */
  updatedAttribute: z.string().default('updated_at'),
}));
type UpdatedProbe = z.infer<typeof DynamoUpdatedProbe>;

interface Row {
  id: string;
  out: boolean;
  at?: number;
}

export async function updated(dynamo: DynamoPort, probe: UpdatedProbe, ctx: Pick<ReadContext, 'at' | 'now' | 'ports'>, signal?: AbortSignal): Promise<Evidence> {
  const listed = await productsToRead(probe, ctx, signal);
  if ('status' in listed) return listed;
  const keys = listed.products.map((p) => ({ [probe.keyAttribute]: p }));
  const { items } = await batchGetAll(dynamo, probe.table, keys, [probe.keyAttribute, probe.quantityAttribute, probe.updatedAttribute], { signal });
  if (items.length === 0) return { status: 'nodata', reason: `none of the ${keys.length} products is in ${probe.table} (key attribute ${probe.keyAttribute}?)` };
  const rows: Row[] = items.map((i) => ({ id: String(i[probe.keyAttribute]), out: (quantityOf(i[probe.quantityAttribute]) ?? 1) <= 0, at: timeOf(i[probe.updatedAttribute]) }));
  const out = rows.filter((r) => r.out);
  const considered = out.length ? out : rows;
  const undated = considered.filter((r) => r.at === undefined);
  if (undated.length) {
    return { status: 'nodata', reason: `no ${probe.updatedAttribute} on ${undated.map((r) => r.id).join(', ')} in ${probe.table}: when its stock changed is unknown` };
  }
  const latest = considered.reduce((a, r) => (r.at! > a.at! ? r : a));
  const age = ctx.at.getTime() - latest.at!;
  const detail = [
    `stock changed ${fmtSpan(age)} ago: ${latest.id}${latest.out ? ' (now out of stock)' : ''} at ${fmtTime(latest.at)}`,
    out.length ? undefined : `none of the ${rows.length} products is out of stock`,
    listed.source,
    isReplay(ctx) ? REPLAY_NOTE : undefined,
  ].filter(Boolean).join('; ');
  return { status: 'ok', value: hoursOf(age), detail };
}

export const dynamoUpdatedKind = defineProbeKind({
  kind: 'dynamodb.updated',
  schema: DynamoUpdatedProbe,
  describe: (p) => `DynamoDB BatchGetItem ${p.table} · ${p.updatedAttribute} of the ${p.fromRedis && !p.products.length ? 'recommended' : 'listed'} products`,
  iamReads: (p, iam) => iam.allow('DynamoDbReadStock', ['dynamodb:BatchGetItem'], [iam.arn.table(p.table)]),
  simulate(_, sim) {
    const e = simulateScalar(sim);
    return e.status === 'ok' && typeof e.value === 'number' ? { ...e, detail: `stock changed ${fmtSpan(e.value * 3_600_000)} ago` } : e;
  },
  reader: perProbe('dynamodb:BatchGetItem', updated),
});
