// Which products the cached recommendations hold: the stale-precompute tree asks whether
// "the recommended product" is in stock, and the recommended products are in Redis. The same
// SCAN walk and entry format as the Redis actions, bounded to what a probe's deadline allows.
import { parseEntry, readEntries } from './entries.js';
import { scanAll } from './keys.js';
import type { RedisPort } from './port.js';

/** Enough entries to answer "is a recommended product out of stock?" within a probe's deadline. */
const MAX_ENTRIES = 1000;
/** SCAN calls per node (1,000 keys looked at each): a big keyspace with few matches is not walked whole. */
const MAX_SCAN_CALLS = 50;

export interface CachedProducts {
  products: string[];
  entries: number;
  /** More entries matched than were read (the SCAN stopped early). */
  truncated: boolean;
}

export async function cachedProducts(redis: RedisPort, pattern: string, signal?: AbortSignal): Promise<CachedProducts> {
  // Stopped by the probe's deadline too: an abandoned probe does not keep scanning production.
  const keys = await scanAll(redis, pattern, { limit: MAX_ENTRIES, maxCalls: MAX_SCAN_CALLS, signal });
  const values = await readEntries(redis, keys.slice(0, MAX_ENTRIES));
  const products = new Set<string>();
  let entries = 0;
  for (const raw of values.values()) {
    const entry = parseEntry(raw);
    if (!entry) continue;
    entries++;
    for (const r of entry.recommendations) products.add(r.product_id);
  }
  // At the limit, the SCAN stopped there: there may be more.
  return { products: [...products], entries, truncated: keys.length >= MAX_ENTRIES };
}
