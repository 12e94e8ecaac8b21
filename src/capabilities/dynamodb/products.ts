// What the inventory probes share: which products to read (listed on the probe, or the ones the
// cached recommendations in Redis hold) and how an inventory item's attributes read — a
// quantity, a time — where an attribute that is absent or unreadable is unknown, never 0.
import { z } from 'zod';
import { deferred } from '../../core/deferred.js';
import type { Evidence } from '../../core/evidence.js';
import type { ReadContext } from '../probe-kind.js';
import { cachedProducts, type CachedProducts } from '../redis/cached-products.js';

/** The schema fields of a probe that reads inventory items (dynamodb.stock, dynamodb.updated). */
export const inventoryFields = {
  table: deferred(() => z.string()),
  /** Product ids to check; when empty, the live source reads them from the cached recommendations under `fromRedis`. */
  products: deferred(() => z.array(z.string()).default([])),
  fromRedis: deferred(() => z.string().optional()),
  keyAttribute: deferred(() => z.string().default('product_id')),
  quantityAttribute: deferred(() => z.string().default('quantity')),
};

export interface ProductSource {
  table: string;
  /** Product ids to check; when empty, read from the cached recommendations under `fromRedis`. */
  products: string[];
  fromRedis?: string;
}

/**
 * The cached recommendations read once per gather (its ports) and pattern: dynamodb.stock and
 * dynamodb.updated both ask which products are recommended, and a runbook reads the two
 * together (stale-precompute) — one SCAN of production Redis, not two.
 */
const cachedReads = new WeakMap<object, Map<string, Promise<CachedProducts>>>();

function cachedOnce(ctx: Pick<ReadContext, 'ports'>, pattern: string, signal?: AbortSignal): Promise<CachedProducts> {
  const reads = cachedReads.get(ctx.ports) ?? new Map<string, Promise<CachedProducts>>();
  cachedReads.set(ctx.ports, reads);
  let read = reads.get(pattern);
  if (!read) reads.set(pattern, (read = ctx.ports.redis().then((redis) => cachedProducts(redis, pattern, signal))));
  return read;
}

/** The product ids to read, and where they came from; or the evidence that says why there are none. */
export async function productsToRead(probe: ProductSource, ctx: Pick<ReadContext, 'ports'>, signal?: AbortSignal): Promise<{ products: string[]; source?: string } | Evidence> {
  if (probe.products.length) return { products: [...new Set(probe.products)] };
  if (!probe.fromRedis) {
    return { status: 'nodata', reason: "the product ids are not given: list them under the probe's products, or name the cached recommendations with fromRedis" };
  }
  // The products the customers are being recommended: read from the cache itself.
  let cached;
  try {
    cached = await cachedOnce(ctx, probe.fromRedis, signal);
  } catch (error) {
    // Redis down is this probe's missing data (the human answers), not a DynamoDB failure.
    return { status: 'nodata', reason: `reading the cached recommendations in Redis (${probe.fromRedis}): ${(error as Error).message}` };
  }
  if (cached.entries === 0) return { status: 'nodata', reason: `no cached recommendations match ${probe.fromRedis} in Redis` };
  if (cached.products.length === 0) return { status: 'nodata', reason: `the ${cached.entries} cached recommendations under ${probe.fromRedis} list no products` };
  const source = `${cached.products.length} products in ${cached.entries} cached entries under ${probe.fromRedis}${cached.truncated ? ' (the first 1000 entries)' : ''}`;
  return { products: cached.products, source };
}

/** A stock quantity as DynamoDB holds it (a number, or a numeric string); undefined when it is not one. */
export function quantityOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** A time attribute: ISO-8601 (2026-03-04T05:00:00Z) or epoch seconds / milliseconds; undefined when it is none of these. */
export function timeOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v < 1e11 ? v * 1000 : v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}
