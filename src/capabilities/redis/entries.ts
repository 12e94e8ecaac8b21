// The cached recommendation entry, as the pre-computation job writes it and the seed's code
// reads it: a JSON object `{"recommendations":[{"product_id":"…","title":"…"}, …], …}`; other
// fields are kept. Read by the stock probe and redis.invalidate-stale alike.
import { chunks } from '../../core/async.js';
import { type RedisPort } from './port.js';

/** The seed's threshold: fewer than this many left, and the entry goes. */
export const MIN_REMAINING = 2;
const READ_CHUNK = 500;

export interface Recommendation {
  product_id: string;
  [field: string]: unknown;
}

export interface CachedEntry {
  recommendations: Recommendation[];
  stale_items_removed?: number;
  [field: string]: unknown;
}

/** The entry, or undefined when the value is not a recommendation entry. */
export function parseEntry(raw: string): CachedEntry | undefined {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const recs = (v as { recommendations?: unknown }).recommendations;
  if (!Array.isArray(recs) || !recs.every((r) => r && typeof r === 'object' && typeof (r as Recommendation).product_id === 'string')) return undefined;
  return v as CachedEntry;
}

export type Verdict = { action: 'keep' } | { action: 'delete'; removed: string[] } | { action: 'rewrite'; removed: string[]; next: CachedEntry };

/** The seed's validate_precomputed_response, applied to one cached entry. */
export function judge(entry: CachedEntry, outOfStock: (productId: string) => boolean): Verdict {
  const stale = entry.recommendations.filter((r) => outOfStock(r.product_id));
  if (stale.length === 0) return { action: 'keep' };
  const removed = [...new Set(stale.map((r) => r.product_id))];
  const remaining = entry.recommendations.filter((r) => !outOfStock(r.product_id));
  if (remaining.length < MIN_REMAINING) return { action: 'delete', removed };
  return { action: 'rewrite', removed, next: { ...entry, recommendations: remaining, stale_items_removed: (entry.stale_items_removed ?? 0) + stale.length } };
}

/** The string values of `keys`, read in chunks; keys that are gone or not strings are left out. */
export async function readEntries(redis: RedisPort, keys: string[]): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const part of chunks(keys, READ_CHUNK)) {
    const got = await redis.get(part);
    part.forEach((k, i) => {
      const v = got[i];
      if (typeof v === 'string') values.set(k, v);
    });
  }
  return values;
}
