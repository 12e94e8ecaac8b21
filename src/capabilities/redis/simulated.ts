// The drill's Redis: one in-memory node with the seed's pre-computed recommendations
// (scenario 4), so `redis.purge` and `redis.invalidate-stale` plan on something real-looking
// without a server. Same port, same semantics as the live adapter: glob MATCH with Redis's
// rules, a SCAN that stays correct while keys are deleted, TTLs kept on replace.
import { globMatcher, type RedisKey, type RedisPort, type ReplaceOutcome, type ScanPage, type UnlinkResult } from './port.js';

interface Entry {
  value: string;
  expiresAt?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Scenario 4's cache: shonen lists pre-computed before the flash sale sold out Demon Slayer 23 LE. */
export function seededRecommendations(): Record<string, unknown> {
  const rec = (product_id: string, title: string) => ({ product_id, title });
  const ds23 = rec('ds-23-le', 'Demon Slayer Vol. 23 — Limited Edition');
  return {
    'precompute:genre:shonen:recommendations': {
      recommendations: [ds23, rec('jjk-1', 'Jujutsu Kaisen Vol. 1'), rec('csm-1', 'Chainsaw Man Vol. 1'), rec('op-105', 'One Piece Vol. 105')],
    },
    'precompute:genre:shonen:top_picks': { recommendations: [ds23, rec('mha-1', 'My Hero Academia Vol. 1')] },
    'precompute:genre:shonen:new_releases': { recommendations: [rec('jjk-25', 'Jujutsu Kaisen Vol. 25'), rec('op-105', 'One Piece Vol. 105')] },
    'precompute:genre:seinen:recommendations': { recommendations: [rec('vagabond-1', 'Vagabond Vol. 1'), rec('berserk-41', 'Berserk Vol. 41')] },
  };
}

class SimulatedRedis implements RedisPort {
  readonly mode = 'standalone' as const;
  readonly endpoint = 'redis://simulated:6379';
  private readonly data = new Map<string, Entry>();
  private readonly now: () => number;
  /** Every mutating call made, in order ("Redis UNLINK 3 keys"): what a drill did. */
  readonly mutations: string[];

  constructor(options: { now?: () => number; mutations?: string[] } = {}) {
    this.now = options.now ?? Date.now;
    this.mutations = options.mutations ?? [];
  }

  /** SET key value [PX ttl]: for seeding and tests. */
  set(key: string, value: string, ttlMs?: number): void {
    this.data.set(key, { value, expiresAt: ttlMs === undefined ? undefined : this.now() + ttlMs });
  }

  private live(key: string): Entry | undefined {
    const e = this.data.get(key);
    if (e?.expiresAt !== undefined && e.expiresAt <= this.now()) {
      this.data.delete(key);
      return undefined;
    }
    return e;
  }

  keys(): string[] {
    return [...this.data.keys()].filter((k) => this.live(k)).sort();
  }

  async masters(): Promise<string[]> {
    return ['simulated:6379'];
  }

  async dbsize(): Promise<number> {
    return this.keys().length;
  }

  // The cursor is the last key returned (not an index), so deleting keys between calls never skips one.
  async scan(_node: string, cursor: string, options: { match?: string; count: number }): Promise<ScanPage> {
    const keys = this.keys();
    const after = cursor === '0' ? undefined : cursor.slice(2);
    const start = after === undefined ? 0 : keys.findIndex((k) => k > after);
    if (start < 0) return { cursor: '0', keys: [] };
    const page = keys.slice(start, start + options.count);
    const match = options.match === undefined ? undefined : globMatcher(options.match);
    const done = start + options.count >= keys.length;
    return { cursor: done ? '0' : `k:${page[page.length - 1]}`, keys: match ? page.filter(match) : page };
  }

  async scanBytes(node: string, cursor: string, options: { match?: string; count: number }): Promise<ScanPage<Buffer>> {
    const page = await this.scan(node, cursor, options);
    return { cursor: page.cursor, keys: page.keys.map((k) => Buffer.from(k)) };
  }

  async unlink(groups: RedisKey[][]): Promise<UnlinkResult> {
    let deleted = 0;
    for (const key of groups.flat().map(String)) if (this.live(key) && this.data.delete(key)) deleted++;
    this.mutations.push(`Redis UNLINK ${groups.flat().length} keys in ${groups.length} commands`);
    return { deleted, unanswered: [], refused: [] };
  }

  async exists(groups: RedisKey[][]): Promise<number> {
    return groups.flat().filter((k) => this.live(String(k))).length;
  }

  async get(keys: string[]): Promise<Array<string | null>> {
    return keys.map((k) => this.live(k)?.value ?? null);
  }

  async pttl(key: string): Promise<number> {
    const e = this.live(key);
    if (!e) return -2;
    return e.expiresAt === undefined ? -1 : e.expiresAt - this.now();
  }

  async replaceIfUnchanged(key: string, expected: string, next: string | null): Promise<ReplaceOutcome> {
    const e = this.live(key);
    if (!e || e.value !== expected) return 'changed';
    if (next === null) {
      this.data.delete(key);
      this.mutations.push(`Redis UNLINK ${key}`);
      return 'deleted';
    }
    this.data.set(key, { value: next, expiresAt: e.expiresAt });
    this.mutations.push(`Redis SET ${key} (TTL kept)`);
    return 'replaced';
  }

  async close(): Promise<void> {}
}

/** A drill's Redis, seeded with scenario 4's entries (24-hour TTL, as the seed's cache). */
export function simulatedRedis(options: { now?: () => number; mutations?: string[] } = {}): SimulatedRedis {
  const redis = new SimulatedRedis(options);
  for (const [key, value] of Object.entries(seededRecommendations())) redis.set(key, JSON.stringify(value), DAY_MS);
  return redis;
}
