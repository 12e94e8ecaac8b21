// The Redis the actions touch: a standalone server or the masters of a Redis Cluster
// (ElastiCache cluster mode). Narrow on purpose — per-master SCAN, slot-grouped UNLINK, GET and
// a compare-and-replace — so that the live adapter (ioredis) and the drill one (in memory)
// are small, and the actions carry the logic. Helpers here are pure: key patterns and slots.
import calculateSlot from 'cluster-key-slot';

export type RedisMode = 'standalone' | 'cluster';

export interface ScanPage<K = string> {
  /** '0' when the iteration over this master is complete. */
  cursor: string;
  keys: K[];
}

/** A key as given to Redis: text, or the bytes SCAN returned (a key need not be UTF-8). */
export type RedisKey = string | Buffer;

/** What one pipelined round of UNLINKs did, group by group. */
export interface UnlinkResult {
  /** Keys removed, summed from the replies that came back. */
  deleted: number;
  /** Groups sent whose reply never came (the connection dropped): each may or may not have run. */
  unanswered: RedisKey[][];
  /** Groups Redis refused with an error reply: nothing of them was deleted. */
  refused: RedisKey[][];
  /** The first error, when a group was refused or unanswered. */
  error?: unknown;
}

/** What replaceIfUnchanged did. */
export type ReplaceOutcome = 'replaced' | 'deleted' | 'changed';

export interface RedisPort {
  readonly mode: RedisMode;
  /** Where we are connected, for messages and pasteable commands: `redis://host:6379`, never a password. */
  readonly endpoint: string;
  /** The masters to scan, as `host:port`: one for a standalone server. */
  masters(): Promise<string[]>;
  /** DBSIZE of one master. */
  dbsize(node: string): Promise<number>;
  /** Whether the connection authenticates (a password in the URL): the by-hand commands need REDISCLI_AUTH then. */
  readonly auth?: boolean;
  /** One SCAN step on one master; `match` undefined scans every key. */
  scan(node: string, cursor: string, options: { match?: string; count: number }): Promise<ScanPage>;
  /** The same SCAN with the keys as bytes, exactly as Redis holds them (what redis.purge deletes). */
  scanBytes(node: string, cursor: string, options: { match?: string; count: number }): Promise<ScanPage<Buffer>>;
  /**
   * UNLINK every group, pipelined. Each group's keys must share one hash slot (groupBySlot),
   * because a multi-key command across slots fails in a cluster. Says, group by group, what
   * was removed, refused, or left without an answer; throws only when nothing could be sent.
   */
  unlink(groups: RedisKey[][]): Promise<UnlinkResult>;
  /** How many of the keys exist (EXISTS per group, groups of one slot): the re-read after a lost UNLINK reply. */
  exists(groups: RedisKey[][]): Promise<number>;
  /** GET each key (pipelined); null where the key is gone. */
  get(keys: string[]): Promise<Array<string | null>>;
  /** Remaining time to live in ms; -1 when none, -2 when the key is gone (PTTL). */
  pttl(key: string): Promise<number>;
  /**
   * Atomically (one Lua script): when `key` still holds `expected`, SET it to `next` with the
   * same remaining TTL (PTTL, then SET … PX), or delete it when `next` is null. A key
   * rewritten meanwhile (the pre-computation job ran) is left alone: 'changed'.
   */
  replaceIfUnchanged(key: string, expected: string, next: string | null): Promise<ReplaceOutcome>;
  close(): Promise<void>;
}

/**
 * The keys grouped by hash slot, with ioredis's own slot function (cluster-key-slot:
 * CRC16 mod 16384, {hash tags} honoured) — never a second CRC16 of our own — and each group
 * cut to at most `max` keys.
 */
export function groupBySlot<K extends RedisKey>(keys: K[], max = 1000): K[][] {
  const bySlot = new Map<number, K[]>();
  for (const key of keys) {
    const slot = calculateSlot(key);
    const group = bySlot.get(slot);
    if (group) group.push(key);
    else bySlot.set(slot, [key]);
  }
  const out: K[][] = [];
  for (const group of bySlot.values()) {
    for (let i = 0; i < group.length; i += max) out.push(group.slice(i, i + max));
  }
  return out;
}

/**
 * The literal text a glob pattern starts with, before its first `*`, `?` or `[`
 * (`\x` is a literal x). `precompute:genre:*` → `precompute:genre:`; `*:*` → ``.
 */
export function literalPrefix(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' || c === '?' || c === '[') break;
    if (c === '\\' && i + 1 < pattern.length) out += pattern[++i];
    else out += c;
  }
  return out;
}

/** What a Redis action changes, for the team's lease: the keys under the pattern's literal prefix. */
export function keysResource<P extends { params: { pattern: string }; before: { endpoint: string } }>(plan: P): { key: string; name: string } {
  return { key: `redis:${plan.before.endpoint}/${literalPrefix(plan.params.pattern)}`, name: `keys matching ${plan.params.pattern}` };
}

/** A key's bytes, one character each: Redis matches bytes, so `?` is one byte of `é`'s two. */
const bytes = (s: RedisKey) => (typeof s !== 'string' ? s.toString('latin1') : /^[\x00-\x7f]*$/.test(s) ? s : Buffer.from(s, 'utf8').toString('latin1'));

/** Whether a key matches a Redis glob, byte for byte as SCAN MATCH decides. */
export function globMatcher(pattern: string): (key: RedisKey) => boolean {
  const re = globToRegExp(bytes(pattern));
  return (key) => re.test(bytes(key));
}

const escapeRe = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/**
 * A Redis glob (SCAN MATCH, KEYS) as a RegExp, with Redis's rules (util.c stringmatchlen):
 * `*`, `?`, `[abc]`, `[^a-z]`, `\x`. Used where the server's MATCH is not: the plan's
 * sampling, which reads every key of a bounded SCAN, and the drill's simulated Redis.
 * Over characters; globMatcher applies it to bytes, as Redis does.
 */
function globToRegExp(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else if (c === '[') {
      i++;
      let cls = '';
      if (pattern[i] === '^') {
        cls += '^';
        i++;
      }
      for (; i < pattern.length && pattern[i] !== ']'; i++) {
        let a = pattern[i]!;
        if (a === '\\' && i + 1 < pattern.length) a = pattern[++i]!;
        if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
          let b = pattern[i + 2]!;
          i += 2;
          if (b === '\\' && i + 1 < pattern.length) b = pattern[++i]!;
          if (a > b) [a, b] = [b, a];
          cls += `${escapeRe(a)}-${escapeRe(b)}`;
        } else cls += escapeRe(a);
      }
      // An empty class matches nothing in Redis, as `[]` does here; `[^]` matches any one character in both.
      re += cls === '^' ? '[\\s\\S]' : `[${cls}]`;
    } else re += escapeRe(c);
  }
  return new RegExp(`${re}$`);
}
