// redis.purge — delete the keys matching a pattern (scenario 4's "delete the stale genre
// caches"), without ever blocking Redis: SCAN COUNT ~1000 on every master (never KEYS), and
// UNLINK (freed in the background) in batches whose keys share one hash slot — a multi-key
// command across slots fails in a cluster. Each master is walked in parallel; on each, the
// next SCAN goes out while the previous batch's UNLINK is in flight.
//
// The plan's count is an estimate from a bounded SCAN: it reads up to SAMPLE_KEYS keys per
// master (SCAN without MATCH, so it knows how many it looked at), matches them here with
// Redis's glob rules, and scales each master's DBSIZE by the share that matched — exact when
// the bounded SCAN covered the whole master. The sample of matching keys comes from the same walk.
//
// Rerunning after an interruption finishes the job: SCAN keeps no server-side state, so a new
// walk simply finds what is left.
import { z } from 'zod';
import { count, plural, sh } from '../../../core/shell.js';
import { defineAction, PartialApplyError, type Plan } from '../../action.js';
import { name } from '../../params.js';
import { redisCli } from '../keys.js';
import { chunk, globMatcher, groupBySlot, literalPrefix, type RedisPort, type ScanPage } from '../port.js';

const Params = z.strictObject({
  pattern: name,
  /** SCAN COUNT: keys looked at per call on each master. */
  count: z.coerce.number().int().min(10).max(10_000).default(1000),
  /** At most this many keys per UNLINK. */
  batch: z.coerce.number().int().min(1).max(10_000).default(1000),
});
type Parsed = z.output<typeof Params>;

/** Keys read per master for the plan's estimate and sample. */
const SAMPLE_KEYS = 20_000;
const SAMPLE_SHOWN = 10;
const PROGRESS_EVERY_MS = 500;

export interface NodeSample {
  node: string;
  dbsize: number;
  /** Keys the bounded SCAN looked at, and how many of them matched. */
  sampled: number;
  matched: number;
  /** The bounded SCAN reached the end of this master: `matched` is exact. */
  complete: boolean;
}

interface Before {
  endpoint: string;
  mode: string;
  nodes: NodeSample[];
  estimate: number;
  sample: string[];
}

async function sampleNode(redis: RedisPort, node: string, match: (key: string) => boolean, scanCount: number, sample: string[]): Promise<NodeSample> {
  const dbsize = await redis.dbsize(node);
  let cursor = '0';
  let sampled = 0;
  let matched = 0;
  do {
    const page = await redis.scan(node, cursor, { count: scanCount });
    cursor = page.cursor;
    sampled += page.keys.length;
    for (const key of page.keys) {
      if (!match(key)) continue;
      matched++;
      if (sample.length < SAMPLE_SHOWN) sample.push(key);
    }
  } while (cursor !== '0' && sampled < SAMPLE_KEYS);
  return { node, dbsize, sampled, matched, complete: cursor === '0' };
}

function estimateOf(nodes: NodeSample[]): number {
  return nodes.reduce((sum, n) => sum + (n.complete ? n.matched : n.sampled ? Math.round((n.dbsize * n.matched) / n.sampled) : 0), 0);
}

function cliFor(redis: RedisPort, masters: string[], pattern: string, scanCount: number, batch: number): string[] {
  if (redis.mode === 'standalone') {
    const cli = redisCli(redis.endpoint);
    return [`${cli} --scan --pattern ${sh(pattern)} --count ${scanCount} | xargs -r -n ${batch} ${cli} unlink`];
  }
  // Across slots a multi-key UNLINK fails (CROSSSLOT): one key per command, following redirects.
  return masters.map((node) => `${redisCli(redis.endpoint, { node })} --scan --pattern ${sh(pattern)} --count ${scanCount} | xargs -r -n 1 ${redisCli(redis.endpoint, { node, follow: true })} unlink`);
}

export interface NodeResult {
  node: string;
  deleted: number;
  scans: number;
  unlinks: number;
}

/**
 * SCAN one master to the end. The next SCAN is sent before this page's UNLINK, so Redis
 * answers it first and deletes while we read the answer: the server never waits on us, and
 * never holds more than one bounded command of ours in hand at a time.
 */
async function purgeNode(redis: RedisPort, node: string, p: Parsed, tally: (node: string, deleted: number) => void): Promise<NodeResult> {
  const result: NodeResult = { node, deleted: 0, scans: 0, unlinks: 0 };
  const scan = (cursor: string) => {
    result.scans++;
    return redis.scan(node, cursor, { match: p.pattern, count: p.count });
  };
  let next: Promise<ScanPage> | undefined = scan('0');
  try {
    while (next) {
      const page: ScanPage = await next;
      next = page.cursor === '0' ? undefined : scan(page.cursor);
      // Awaited below, after the UNLINK; this only keeps its failure meanwhile from counting as unhandled.
      next?.catch(() => {});
      if (page.keys.length) {
        const groups = redis.mode === 'cluster' ? groupBySlot(page.keys, p.batch) : chunk(page.keys, p.batch);
        result.unlinks += groups.length;
        const n = await redis.unlink(groups);
        result.deleted += n;
        tally(node, n);
      }
    }
  } catch (e) {
    throw Object.assign(e instanceof Error ? e : new Error(String(e)), { partial: result });
  }
  return result;
}

export const redisPurge = defineAction({
  name: 'redis.purge',
  describe: 'Delete the keys matching a pattern: SCAN every master, UNLINK in slot-grouped batches; never KEYS',
  params: Params,
  defaults: {},

  async plan(p, ctx) {
    const redis = await ctx.ports.redis();
    const masters = await redis.masters();
    const match = globMatcher(p.pattern);
    const sample: string[] = [];
    const nodes: NodeSample[] = [];
    for (const node of masters) nodes.push(await sampleNode(redis, node, match, p.count, sample));
    const estimate = estimateOf(nodes);
    const exact = nodes.every((n) => n.complete);
    const total = nodes.reduce((s, n) => s + n.dbsize, 0);
    const sampled = nodes.reduce((s, n) => s + n.sampled, 0);
    const where = redis.mode === 'cluster' ? `${redis.endpoint} (cluster, ${plural(masters.length, 'master')})` : redis.endpoint;
    const about = exact ? count(estimate) : `≈ ${count(estimate)}`;
    const before: Before = { endpoint: redis.endpoint, mode: redis.mode, nodes, estimate, sample };
    const prefix = literalPrefix(p.pattern);
    const notes = [
      exact
        ? `${about} of ${plural(total, 'key')} match: the sample SCAN covered the whole keyspace.`
        : `${about} is an estimate: DBSIZE (${count(total)}) × the share matching in a SCAN sample of ${plural(sampled, 'key')}.`,
      sample.length ? `Sample: ${sample.join(', ')}` : `No key in the sample matches ${p.pattern}.`,
      'No undo: the deleted entries are rebuilt by the pre-computation job or on the next cache miss.',
      'Interrupted? Run it again: SCAN keeps no state, so a new walk finishes what is left.',
    ];
    const plan: Plan<Parsed, Before> = {
      action: 'redis.purge',
      params: p,
      summary: `Delete ${about} keys matching ${p.pattern} on ${where}`,
      changes: [{ what: `keys matching ${p.pattern} on ${where}`, from: `${about} keys`, to: 'deleted (UNLINK)' }],
      calls: [
        `Redis SCAN <cursor> MATCH ${p.pattern} COUNT ${p.count} on ${masters.length === 1 ? masters[0] : `each master: ${masters.join(', ')}`}`,
        `Redis UNLINK <up to ${p.batch} keys${redis.mode === 'cluster' ? ' of one hash slot' : ''}> per command, pipelined, as each SCAN page arrives`,
      ],
      cli: cliFor(redis, masters, p.pattern, p.count, p.batch),
      notes,
      before,
    };
    if (!prefix) {
      plan.refusal = `the pattern ${p.pattern} has no literal prefix: it matches every kind of key (sessions, rate limits, locks), not one cache`;
      if (ctx.force) notes.unshift(`--force: purging ${p.pattern} although it has no literal prefix.`);
    }
    if (estimate === 0 && exact) plan.noop = true;
    return plan;
  },

  // The pattern's literal prefix: precompute:genre:* and precompute:genre:shonen* share one lease.
  resource: (plan) => ({ key: `redis:${plan.before.endpoint}/${literalPrefix(plan.params.pattern)}`, name: `keys matching ${plan.params.pattern}` }),
  iamWrites(_params, iam) {
    iam.note('redis.purge: no IAM; Redis authenticates with AUTH / ACL users (MANGAOPS_REDIS_URL carries the password)');
  },

  async apply(plan, ctx) {
    const p = plan.params;
    const redis = await ctx.ports.redis();
    const masters = await redis.masters();
    const estimate = plan.before.estimate;
    const started = ctx.now();
    let deleted = 0;
    let lastShown = 0;
    const tally = (_node: string, n: number) => {
      deleted += n;
      const now = ctx.now();
      if (now - lastShown < PROGRESS_EVERY_MS) return;
      lastShown = now;
      const rate = deleted / Math.max(0.001, (now - started) / 1000);
      ctx.progress(`purging ${p.pattern}: ${count(deleted)} deleted${estimate ? ` of ≈ ${count(estimate)}` : ''} (${count(rate)} keys/s)`);
    };
    const settled = await Promise.allSettled(masters.map((node) => purgeNode(redis, node, p, tally)));
    const results = settled.map((s, i) =>
      s.status === 'fulfilled' ? s.value : ((s.reason as { partial?: NodeResult }).partial ?? { node: masters[i]!, deleted: 0, scans: 0, unlinks: 0 }),
    );
    const seconds = (ctx.now() - started) / 1000;
    const perNode = results.map((r) => `${r.node}: ${count(r.deleted)}`).join(', ');
    const changed = [`deleted ${plural(deleted, 'key')} matching ${p.pattern} (${perNode})`];
    const calls = [
      `Redis SCAN MATCH ${p.pattern} COUNT ${p.count}: ${count(results.reduce((s, r) => s + r.scans, 0))} calls on ${plural(masters.length, 'master')}`,
      `Redis UNLINK: ${count(results.reduce((s, r) => s + r.unlinks, 0))} commands`,
    ];
    const failed = settled.flatMap((s, i) => (s.status === 'rejected' ? [`${masters[i]}: ${(s.reason as Error).message}`] : []));
    if (failed.length) {
      throw new PartialApplyError(`purge of ${p.pattern} stopped (${failed.join('; ')})`, changed, [
        `keys matching ${p.pattern} not yet reached on ${failed.map((f) => f.split(': ')[0]).join(', ')}: run redis.purge again to finish`,
      ]);
    }
    ctx.progress(`purged ${plural(deleted, 'key')} in ${seconds.toFixed(1)} s (${perNode})`);
    return { calls, changed, detail: { deleted, seconds, nodes: results } };
  },

  async verify(plan, ctx) {
    const p = plan.params;
    const redis = await ctx.ports.redis();
    const deadline = ctx.now() + ctx.deadlineMs;
    let left = 0;
    for (const node of await redis.masters()) {
      let cursor = '0';
      do {
        if (ctx.now() > deadline) return `${plural(left, 'key')} still match ${p.pattern} in the part scanned before the deadline`;
        const page = await redis.scan(node, cursor, { match: p.pattern, count: p.count });
        left += page.keys.length;
        cursor = page.cursor;
      } while (cursor !== '0');
    }
    return left === 0
      ? `no key matches ${p.pattern} any more`
      : `${plural(left, 'key')} match ${p.pattern} again — written since the purge (the cache refilling); run it again if they are stale too`;
  },
});
