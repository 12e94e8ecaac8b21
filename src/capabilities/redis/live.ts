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
import { commonJs } from '../../core/commonjs.js';
import type { Config } from '../../core/config.js';
import { waitingFor } from '../../core/deadline.js';
import { MangaopsError, UsageError } from '../../core/errors.js';
import { printable } from '../../core/printable.js';
import { maskPasswords } from '../../core/secrets.js';
import type { RedisKey, RedisMode, RedisPort, ReplaceOutcome, ScanPage, UnlinkResult } from './port.js';

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

const URL_HINT = 'pass redis://host:6379 or rediss://host:6379 (TLS), with /N for database N, to --redis-url or MANGAOPS_REDIS_URL';

function parseRedisUrl(url: string): ParsedUrl {
  let u: URL;
  // The URL may carry a password, malformed or not: only its masked form is ever said.
  const shown = printable(maskPasswords(url));
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`not a Redis URL: ${shown}`, URL_HINT);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new UsageError(`not a Redis URL: ${printable(`${u.protocol}//${u.host}`)}`, 'use redis://host:6379, or rediss://host:6379 for TLS');
  }
  const path = u.pathname.replace(/^\//, '');
  // redis://host/abc is not database 0: a typo must not send a purge to the wrong database.
  if (!/^\d{0,2}$/.test(path) || u.search || u.hash) throw new UsageError(`not a Redis URL: ${shown} (the path is a database number, /0 to /15)`, URL_HINT);
  const db = Number(path || 0);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(u.port || 6379),
    tls: u.protocol === 'rediss:',
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db,
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

/** A reply that will never come: the connection it was sent on closed. */
class LostReply extends Error {
  constructor(endpoint: string) {
    super(`connection to Redis at ${endpoint} closed before the reply`);
    this.name = 'LostReply';
  }
}

class IoredisPort implements RedisPort {
  /** Rejected when the connection closes; a command sent before that races it (see `answered`). */
  private closed!: Promise<never>;
  private loseReplies!: (e: Error) => void;

  constructor(
    private readonly client: Client,
    readonly mode: RedisMode,
    readonly endpoint: string,
    readonly auth: boolean,
  ) {
    this.arm();
    // ioredis resends an unanswered command after reconnecting, and its second reply would count
    // an UNLINK that already ran as 0. A command whose connection closed is settled here instead,
    // as unanswered; the caller re-reads (the resent commands, all idempotent, run first).
    // (Not resending at all is worse: with auto-pipelining, a pipeline whose replies never come
    // holds back every later command on that connection.)
    client.on('close', () => {
      this.loseReplies(new LostReply(endpoint));
      this.arm();
    });
  }

  private arm(): void {
    this.closed = new Promise<never>((_, reject) => (this.loseReplies = reject));
    this.closed.catch(() => {});
  }

  /** One command, named for the stage's "waiting for", and settled if its connection closes first. */
  private answered<T>(what: string, node: string | undefined, run: () => Promise<T>): Promise<T> {
    const closed = this.closed;
    return waitingFor(`Redis ${what} on ${node ?? this.endpoint}`, () => Promise.race([run(), closed]));
  }

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
    return this.answered('DBSIZE', node, () => this.node(node).dbsize());
  }

  async scan(node: string, cursor: string, options: { match?: string; count: number }): Promise<ScanPage> {
    const r = this.node(node);
    const [next, keys] = await this.answered('SCAN', node, () =>
      options.match ? r.scan(cursor, 'MATCH', options.match, 'COUNT', options.count) : r.scan(cursor, 'COUNT', options.count),
    );
    return { cursor: next, keys };
  }

  async scanBytes(node: string, cursor: string, options: { match?: string; count: number }): Promise<ScanPage<Buffer>> {
    const r = this.node(node);
    const [next, keys] = await this.answered('SCAN', node, () =>
      options.match ? r.scanBuffer(cursor, 'MATCH', options.match, 'COUNT', options.count) : r.scanBuffer(cursor, 'COUNT', options.count),
    );
    return { cursor: next.toString(), keys };
  }

  async unlink(groups: RedisKey[][]): Promise<UnlinkResult> {
    // With autopipelining on, commands issued in one tick go out as one pipeline per node;
    // ioredis routes each group by its slot and follows MOVED/ASK per command.
    const sent = groups.filter((g) => g.length);
    const replies = await Promise.allSettled(sent.map((g) => this.answered('UNLINK', undefined, () => this.client.unlink(...g))));
    const result: UnlinkResult = { deleted: 0, unanswered: [], refused: [] };
    replies.forEach((r, i) => {
      if (r.status === 'fulfilled') return void (result.deleted += r.value);
      result.error ??= r.reason;
      // An error reply is Redis saying no; anything else is an answer that never came.
      (r.reason instanceof Error && r.reason.name === 'ReplyError' ? result.refused : result.unanswered).push(sent[i]!);
    });
    return result;
  }

  async exists(groups: RedisKey[][]): Promise<number> {
    const counts = await Promise.all(groups.filter((g) => g.length).map((g) => this.answered('EXISTS', undefined, () => this.client.exists(...g))));
    return counts.reduce((a, b) => a + b, 0);
  }

  async get(keys: string[]): Promise<Array<string | null>> {
    return Promise.all(keys.map((k) => this.answered('GET', undefined, () => this.client.get(k))));
  }

  async pttl(key: string): Promise<number> {
    return this.answered('PTTL', undefined, () => this.client.pttl(key));
  }

  async replaceIfUnchanged(key: string, expected: string, next: string | null): Promise<ReplaceOutcome> {
    const out = await this.answered('EVAL (compare-and-replace)', undefined, () => this.client.replaceIfUnchanged(key, expected, next === null ? 'del' : 'set', next ?? ''));
    return out as ReplaceOutcome;
  }

  async close(): Promise<void> {
    // QUIT waits for the server's answer: a frozen server must not keep the process alive.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), CLOSE_MS)));
    const quit = this.client.quit().then(
      () => 'quit' as const,
      () => 'late' as const,
    );
    if ((await Promise.race([quit, late])) === 'late') this.client.disconnect();
    clearTimeout(timer);
  }
}

/** How long QUIT may take before the connection is simply dropped. */
const CLOSE_MS = 500;

export interface ConnectOptions {
  cluster?: ClusterChoice;
  /** Milliseconds to wait for the connection; 5 s by default. */
  connectTimeoutMs?: number;
}

const AUTH_FAILED = /WRONGPASS|NOAUTH|invalid password|invalid username-password|AUTH <password> called without|ERR AUTH/i;

function unreachable(display: string, e: unknown): MangaopsError {
  const why = describeError(e);
  if (AUTH_FAILED.test(why)) {
    return new MangaopsError(
      `Redis at ${display}: authentication failed (${printable(why)})`,
      undefined,
      'check the user and password in the URL (rediss://:PASSWORD@host or rediss://USER:PASSWORD@host), from --redis-url, MANGAOPS_REDIS_URL or config redis.url',
    );
  }
  return new MangaopsError(
    `cannot reach Redis at ${display}: ${printable(why)}`,
    undefined,
    'check redis.url in the config, MANGAOPS_REDIS_URL or --redis-url (rediss:// when in-transit encryption is on); ElastiCache answers only inside its VPC',
  );
}

/** Connect to the Redis at `url`, standalone or cluster; an unreachable server is one clear error, not a stack. */
export async function connectRedis(url: string, options: ConnectOptions = {}): Promise<RedisPort> {
  const { Redis: IORedis, Cluster: IOCluster } = commonJs(await import('ioredis'));
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
      return new IoredisPort(single, 'standalone', parsed.display, Boolean(parsed.password));
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
  return new IoredisPort(cluster, 'cluster', parsed.display, Boolean(parsed.password));
}
