// Walking a Redis keyspace the way both Redis actions do: SCAN on every master (never KEYS,
// which blocks the server for the whole keyspace), plus the redis-cli words for a plan.
import { sh } from '../../core/shell.js';
import type { RedisPort } from './port.js';

const SCAN_COUNT = 1000;

/**
 * Every key matching `pattern` on every master; SCAN is stateless, so a changing keyspace is
 * fine. With `limit`, each master stops once the keys found reach it, and with `maxCalls` after
 * that many SCAN calls however few matched (a probe's bounded look at a large keyspace).
 */
export async function scanAll(redis: RedisPort, pattern: string, options: { count?: number; limit?: number; maxCalls?: number; signal?: AbortSignal } = {}): Promise<string[]> {
  const count = options.count ?? SCAN_COUNT;
  const limit = options.limit ?? Infinity;
  const maxCalls = options.maxCalls ?? Infinity;
  const perNode = await Promise.all(
    (await redis.masters()).map(async (node) => {
      const keys: string[] = [];
      let cursor = '0';
      let calls = 0;
      do {
        options.signal?.throwIfAborted();
        const page = await redis.scan(node, cursor, { match: pattern, count });
        calls++;
        keys.push(...page.keys);
        cursor = page.cursor;
      } while (cursor !== '0' && keys.length < limit && calls < maxCalls);
      return keys;
    }),
  );
  // SCAN may return a key twice (a rehash during the walk): once is enough.
  return [...new Set(perNode.flat())];
}

/** `redis-cli -h HOST -p PORT` for an endpoint (`redis://h:p`) or a node (`h:p`); `--tls` for rediss://, `-c` to follow cluster redirects. */
export function redisCli(endpoint: string, options: { node?: string; follow?: boolean } = {}): string {
  const tls = endpoint.startsWith('rediss://');
  const address = options.node ?? endpoint.replace(/^rediss?:\/\//, '').replace(/\/\d+$/, '');
  const db = /\/(\d+)$/.exec(endpoint)?.[1];
  const colon = address.lastIndexOf(':');
  const host = colon > 0 ? address.slice(0, colon) : address;
  const port = colon > 0 ? address.slice(colon + 1) : '6379';
  return ['redis-cli', tls ? '--tls' : '', options.follow ? '-c' : '', '-h', sh(host), '-p', port, db && !options.node ? `-n ${db}` : '']
    .filter(Boolean)
    .join(' ');
}
