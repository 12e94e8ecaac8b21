// Which products the cached recommendations hold: the stale-precompute tree asks whether
// "the recommended product" is in stock, and the recommended products are in Redis. A
// bounded SCAN of the pattern (never KEYS), the entries read in batches, their product ids.
import type { RedisPort } from '../../actions/ports/redis.js';
import { parseEntry } from '../../actions/catalogue/redis-invalidate-stale.js';

/** Enough entries to answer "is a recommended product out of stock?" within a probe's deadline. */
export const MAX_ENTRIES = 1000;
const GET_BATCH = 200;

export interface CachedProducts {
  products: string[];
  entries: number;
  /** The scan stopped at MAX_ENTRIES before the end of the keyspace. */
  truncated: boolean;
}

export async function cachedProducts(redis: RedisPort, pattern: string, signal?: AbortSignal): Promise<CachedProducts> {
  const keys: string[] = [];
  let truncated = false;
  for (const node of await redis.masters()) {
    let cursor = '0';
    do {
      signal?.throwIfAborted();
      const page = await redis.scan(node, cursor, { match: pattern, count: 1000 });
      keys.push(...page.keys);
      cursor = page.cursor;
    } while (cursor !== '0' && keys.length < MAX_ENTRIES);
    if (cursor !== '0') truncated = true;
    if (keys.length >= MAX_ENTRIES) break;
  }
  const products = new Set<string>();
  let entries = 0;
  const unique = [...new Set(keys)].slice(0, MAX_ENTRIES);
  for (let i = 0; i < unique.length; i += GET_BATCH) {
    signal?.throwIfAborted();
    for (const raw of await redis.get(unique.slice(i, i + GET_BATCH))) {
      const entry = typeof raw === 'string' ? parseEntry(raw) : undefined;
      if (!entry) continue;
      entries++;
      for (const r of entry.recommendations) products.add(r.product_id);
    }
  }
  return { products: [...products], entries, truncated };
}
