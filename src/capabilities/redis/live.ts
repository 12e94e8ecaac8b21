// The live Redis port: ioredis (imported lazily, so nothing else pays for it), against a
// standalone server or an ElastiCache cluster-mode cluster.
//
// Which endpoint: `--redis-url`, else MANGAOPS_REDIS_URL, else config `redis.url`.
// `rediss://` turns TLS on (ElastiCache in-transit encryption); user and password come from
// the URL (an AUTH token: `rediss://:TOKEN@host:6379`).
//
// Cluster or not: config `redis.cluster` — `true`, `false`, or `auto` (the default). Auto
// connects once, asks `INFO cluster`, and when `cluster_enabled:1` reconnects as a Cluster
// seeded with that endpoint (ElastiCache's configuration endpoint, or any node). Auto is the
// default because getting it wrong is silent and bad: a cluster scanned as one node would
// purge a third of the keys and see MOVED on the rest.
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import type { Config } from '../../core/config.js';
import { MangaopsError, UsageError } from '../../core/errors.js';
import type { RedisMode, RedisPort, ReplaceOutcome, ScanPage } from './port.js';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export function redisUrlFrom(options: { redisUrl?: string; env: NodeJS.ProcessEnv; config: Config }): string {
  const url = options.redisUrl || options.env.MANGAOPS_REDIS_URL || options.config.redis?.url || DEFAULT_REDIS_URL;
  parseRedisUrl(url);
  return url;
}

export type ClusterChoice = boolean | 'auto';

/** Config `redis.cluster`: true, false or auto (default). */
export function redisClusterFrom(config: { redis?: { cluster?: unknown } }): ClusterChoice {
  const v = config.redis?.cluster;
  if (v === undefined || v === null || v === 'auto') return 'auto';
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new UsageError(`config redis.cluster is ${JSON.stringify(v)}`, 'set redis.cluster to true, false or auto');
}

interface ParsedUrl {
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  password?: string;
  db: number;
  /** The URL without credentials, for messages. */
  display: string;
}

function parseRedisUrl(url: string): ParsedUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`not a Redis URL: ${url}`, 'pass redis://host:6379 or rediss://host:6379 (TLS) to --redis-url or MANGAOPS_REDIS_URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new UsageError(`not a Redis URL: ${u.protocol}//${u.host}`, 'use redis://host:6379, or rediss://host:6379 for TLS');
  }
  const port = Number(u.port || 6379);
  const db = Number(u.pathname.replace(/^\//, '') || 0);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    tls: u.protocol === 'rediss:',
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    display: `${u.protocol}//${u.host}${db ? `/${db}` : ''}`,
  };
}

// Compare-and-replace in one script, so a key the pre-computation job rewrote between our GET
// and now is never clobbered; PTTL then SET … PX keeps the entry's remaining TTL (KEEPTTL needs
// Redis 6; this works on every ElastiCache engine).
const REPLACE_IF_UNCHANGED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 'changed' end
if ARGV[2] == 'del' then redis.call('UNLINK', KEYS[1]) return 'deleted' end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('SET', KEYS[1], ARGV[3], 'PX', ttl) else redis.call('SET', KEYS[1], ARGV[3]) end
return 'replaced'`;

type Client = (Redis | Cluster) & {
  replaceIfUnchanged(key: string, expected: string, mode: 'del' | 'set', next: string): Promise<string>;
};

function nodeId(node: Redis): string {
  return `${node.options.host}:${node.options.port}`;
}

function describeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { lastNodeError?: Error };
  const inner = err.lastNodeError ?? err;
  return (inner as NodeJS.ErrnoException).code ?? inner.message ?? String(e);
}

class IoredisPort implements RedisPort {
  constructor(
    private readonly client: Client,
    readonly mode: RedisMode,
    readonly endpoint: string,
  ) {}

  private node(id: string): Redis {
    if (this.mode === 'standalone') return this.client as Redis;
    const node = (this.client as Cluster).nodes('master').find((n) => nodeId(n) === id);
    if (!node) throw new MangaopsError(`Redis Cluster node ${id} is no longer a master (failover or resharding?)`, undefined, 'rerun: the masters are read again');
    return node;
  }

  async masters(): Promise<string[]> {
    if (this.mode === 'standalone') return [this.endpoint.replace(/^rediss?:\/\//, '').replace(/\/\d+$/, '')];
    return (this.client as Cluster).nodes('master').map(nodeId).sort();
  }

  async dbsize(node: string): Promise<number> {
    return this.node(node).dbsize();
  }

  async scan(node: string, cursor: string, options: { match?: string; count: number }): Promise<ScanPage> {
    const r = this.node(node);
    const [next, keys] = options.match
      ? await r.scan(cursor, 'MATCH', options.match, 'COUNT', options.count)
      : await r.scan(cursor, 'COUNT', options.count);
    return { cursor: next, keys };
  }

  async unlink(groups: string[][]): Promise<number> {
    // With autopipelining on, commands issued in one tick go out as one pipeline per node;
    // ioredis routes each group by its slot and follows MOVED/ASK per command.
    const counts = await Promise.all(groups.filter((g) => g.length).map((g) => this.client.unlink(...g)));
    return counts.reduce((a, b) => a + b, 0);
  }

  async get(keys: string[]): Promise<Array<string | null>> {
    return Promise.all(keys.map((k) => this.client.get(k)));
  }

  async pttl(key: string): Promise<number> {
    return this.client.pttl(key);
  }

  async replaceIfUnchanged(key: string, expected: string, next: string | null): Promise<ReplaceOutcome> {
    const out = await this.client.replaceIfUnchanged(key, expected, next === null ? 'del' : 'set', next ?? '');
    return out as ReplaceOutcome;
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}

export interface ConnectOptions {
  cluster?: ClusterChoice;
  /** Milliseconds to wait for the connection; 5 s by default. */
  connectTimeoutMs?: number;
}

function unreachable(display: string, e: unknown): MangaopsError {
  return new MangaopsError(
    `cannot reach Redis at ${display}: ${describeError(e)}`,
    undefined,
    'check redis.url in the config, MANGAOPS_REDIS_URL or --redis-url (rediss:// when in-transit encryption is on); ElastiCache answers only inside its VPC',
  );
}

/** Connect to the Redis at `url`, standalone or cluster; an unreachable server is one clear error, not a stack. */
export async function connectRedis(url: string, options: ConnectOptions = {}): Promise<RedisPort> {
  const { Redis: IORedis, Cluster: IOCluster } = await import('ioredis');
  const parsed = parseRedisUrl(url);
  const connectTimeout = options.connectTimeoutMs ?? 5000;
  let ready = false;
  // ioredis reports why a connection failed on 'error' and rejects connect() with "Connection is closed.": keep the why.
  let lastError: unknown;
  const common: RedisOptions = {
    lazyConnect: true,
    connectTimeout,
    commandTimeout: 30_000,
    maxRetriesPerRequest: 2,
    enableAutoPipelining: true,
    // Fail at once while connecting (a down server is one line, not a retry loop); once up, ride out a blip.
    retryStrategy: (times) => (ready && times <= 5 ? Math.min(times * 200, 2000) : null),
    username: parsed.username,
    password: parsed.password,
    // Node checks the certificate against the host name (ElastiCache's certificates name its endpoints).
    tls: parsed.tls ? {} : undefined,
  };
  const define = (c: Redis | Cluster) => {
    c.defineCommand('replaceIfUnchanged', { numberOfKeys: 1, lua: REPLACE_IF_UNCHANGED });
    // Errors surface through the commands' promises; without a listener ioredis prints them too.
    c.on('error', (e: unknown) => (lastError = e));
    return c as Client;
  };

  let wantCluster = options.cluster ?? 'auto';
  if (wantCluster !== true) {
    const single = define(new IORedis({ ...common, host: parsed.host, port: parsed.port, db: parsed.db }));
    try {
      await single.connect();
      if (wantCluster === 'auto') wantCluster = /cluster_enabled:1/.test(await single.info('cluster'));
    } catch (e) {
      single.disconnect();
      throw unreachable(parsed.display, lastError ?? e);
    }
    if (!wantCluster) {
      ready = true;
      return new IoredisPort(single, 'standalone', parsed.display);
    }
    await single.quit().catch(() => single.disconnect());
  }

  const { tls, ...nodeOptions } = common;
  const cluster = define(
    new IOCluster([{ host: parsed.host, port: parsed.port }], {
      lazyConnect: true,
      enableAutoPipelining: true,
      maxRedirections: 16,
      clusterRetryStrategy: (times) => (ready && times <= 5 ? Math.min(times * 200, 2000) : null),
      // ElastiCache with TLS: node certificates name the hosts CLUSTER SLOTS reports, so keep them as given.
      ...(tls ? { dnsLookup: (address: string, callback: (err: Error | null, address: string) => void) => callback(null, address) } : {}),
      redisOptions: { ...nodeOptions, tls: tls ? {} : undefined },
    }),
  );
  try {
    await cluster.connect();
  } catch (e) {
    cluster.disconnect();
    throw unreachable(parsed.display, lastError ?? e);
  }
  ready = true;
  return new IoredisPort(cluster, 'cluster', parsed.display);
}
