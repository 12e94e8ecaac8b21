// redis.purge — delete the keys matching a pattern (scenario 4's "delete the stale genre
// caches"), without ever blocking Redis: SCAN COUNT ~1000 on every master (never KEYS), and
// UNLINK (freed in the background) in batches whose keys share one hash slot — a multi-key
// command across slots fails in a cluster. Each master is walked in parallel; on each, the
// next SCAN goes out while the previous batch's UNLINK is in flight. Keys travel as bytes, so
// a key that is not UTF-8 is deleted like any other.
//
// Guarded: the pattern must start with a whole namespace (a literal prefix up to and including
// the first `:`), and the plan's estimate must stay under config redis.maxPurgeKeys (100,000),
// unless --force. The estimate comes from a bounded SCAN: up to SAMPLE_KEYS keys per master
// (SCAN without MATCH, so it knows how many it looked at), matched here with Redis's glob
// rules, each master's DBSIZE scaled by the share that matched — exact when the bounded SCAN
// covered the whole master.
//
// Counted exactly: deletions are summed from UNLINK replies. A batch whose reply never came
// (a dropped connection, a killed server) is not guessed at: apply says so, and the runner's
// re-read asks Redis which of its keys still exist. Interrupted, apply starts nothing new and
// lets the batches in flight answer, so the journal holds the exact count then too.
//
// Rerunning after an interruption finishes the job: SCAN keeps no server-side state.
import { z } from 'zod';
import { printable } from '../../../core/printable.js';
import { count, plural } from '../../../core/shell.js';
import { defineAction, PartialApplyError, type Plan, type Standing } from '../../action.js';
import { name } from '../../params.js';
import { purgeByHand } from '../by-hand.js';
import { globMatcher, groupBySlot, keysResource, literalPrefix, type RedisKey, type RedisPort, type ScanPage } from '../port.js';
import { chunks } from '../../../core/async.js';

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
/** Config redis.maxPurgeKeys when it is not set. */
export const DEFAULT_MAX_PURGE_KEYS = 100_000;

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
  /** Matching keys as a person may read them (control characters and stray bytes escaped). */
  sample: string[];
}

async function sampleNode(redis: RedisPort, node: string, match: (key: RedisKey) => boolean, scanCount: number, sample: string[]): Promise<NodeSample> {
  const dbsize = await redis.dbsize(node);
  let cursor = '0';
  let sampled = 0;
  let matched = 0;
  do {
    const page = await redis.scanBytes(node, cursor, { count: scanCount });
    cursor = page.cursor;
    sampled += page.keys.length;
    for (const key of page.keys) {
      if (!match(key)) continue;
      matched++;
      if (sample.length < SAMPLE_SHOWN) sample.push(printable(key));
    }
  } while (cursor !== '0' && sampled < SAMPLE_KEYS);
  return { node, dbsize, sampled, matched, complete: cursor === '0' };
}

function estimateOf(nodes: NodeSample[]): number {
  return nodes.reduce((sum, n) => sum + (n.complete ? n.matched : n.sampled ? Math.round((n.dbsize * n.matched) / n.sampled) : 0), 0);
}

/** Why the plan refuses without --force: a pattern wider than one namespace, or more keys than the cap. */
function refusalsOf(pattern: string, estimate: number, about: string, cap: number): string[] {
  const prefix = literalPrefix(pattern);
  const out: string[] = [];
  if (!prefix) out.push(`the pattern ${pattern} has no literal prefix: it matches every kind of key (sessions, rate limits, locks), not one cache`);
  else if (!prefix.includes(':')) out.push(`the pattern ${pattern} does not start with a whole namespace (its literal prefix '${prefix}' ends before the first ':'): it can reach other kinds of keys, such as sessions`);
  if (estimate > cap) out.push(`${about} keys match, more than redis.maxPurgeKeys (${count(cap)}): purge a narrower pattern, or raise the cap in the config`);
  return out;
}

export interface NodeResult {
  node: string;
  deleted: number;
  scans: number;
  unlinks: number;
}

/** Where a purge stands, exactly: what the replies say was deleted, what was sent without an answer yet. */
class Tally {
  deleted = 0;
  /** Keys in UNLINKs sent and not answered yet. */
  inFlight = 0;
  /** Batches whose answer will never come. */
  readonly unanswered: RedisKey[][] = [];
  readonly nodes = new Map<string, NodeResult>();

  node(node: string): NodeResult {
    let r = this.nodes.get(node);
    if (!r) this.nodes.set(node, (r = { node, deleted: 0, scans: 0, unlinks: 0 }));
    return r;
  }

  perNode(): string {
    return [...this.nodes.values()].map((r) => `${r.node}: ${count(r.deleted)}`).join(', ');
  }
}

/** What apply had sent without an answer, for the re-read. */
interface Pending {
  deleted: number;
  unanswered: RedisKey[][];
}

/**
 * SCAN one master to the end (or until told to stop). The next SCAN is sent before this page's
 * UNLINK, so Redis answers it first and deletes while we read the answer: the server never
 * waits on us, and never holds more than one bounded command of ours in hand at a time.
 */
async function purgeNode(redis: RedisPort, node: string, p: Parsed, tally: Tally, onDeleted: () => void, stopping?: AbortSignal): Promise<void> {
  const result = tally.node(node);
  const scan = (cursor: string) => {
    result.scans++;
    const page = redis.scanBytes(node, cursor, { match: p.pattern, count: p.count });
    // Awaited in turn; this only keeps its failure meanwhile from counting as unhandled.
    page.catch(() => {});
    return page;
  };
  let next: Promise<ScanPage<Buffer>> | undefined = scan('0');
  while (next && !stopping?.aborted) {
    const page: ScanPage<Buffer> = await next;
    next = page.cursor === '0' || stopping?.aborted ? undefined : scan(page.cursor);
    if (!page.keys.length) continue;
    const groups = redis.mode === 'cluster' ? groupBySlot(page.keys, p.batch) : chunks(page.keys, p.batch);
    result.unlinks += groups.length;
    tally.inFlight += page.keys.length;
    let answer;
    try {
      answer = await redis.unlink(groups);
    } catch (e) {
      answer = { deleted: 0, unanswered: groups, refused: [], error: e };
    } finally {
      tally.inFlight -= page.keys.length;
    }
    result.deleted += answer.deleted;
    tally.deleted += answer.deleted;
    tally.unanswered.push(...answer.unanswered);
    onDeleted();
    if (answer.error) throw answer.error;
  }
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
    const notes = [
      exact
        ? `${about} of ${plural(total, 'key')} match: the sample SCAN covered the whole keyspace.`
        : `${about} is an estimate: DBSIZE (${count(total)}) × the share matching in a SCAN sample of ${plural(sampled, 'key')}.`,
      sample.length ? `Sample: ${sample.join(', ')}` : `No key in the sample matches ${p.pattern}.`,
      'No undo: the deleted entries are rebuilt by the pre-computation job or on the next cache miss.',
      'Interrupted? Run it again: SCAN keeps no state, so a new walk finishes what is left.',
      `By hand: the loop above unlinks each SCAN page inside Redis (EVAL), so no key name passes through the shell; redis-cli 6 or later.${redis.auth ? ' Export REDISCLI_AUTH with the password first (never -a: it shows in ps and the history).' : ''}`,
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
      cli: purgeByHand(redis, masters, p.pattern, p.count),
      notes,
      before,
      check: `mangaops act redis.purge --pattern ${p.pattern} --dry-run (counts the keys that still match)`,
    };
    const refusals = refusalsOf(p.pattern, estimate, about, ctx.config.redis?.maxPurgeKeys ?? DEFAULT_MAX_PURGE_KEYS);
    if (refusals.length) {
      plan.refusal = refusals.join('; ');
      if (ctx.force) notes.unshift(`--force: purging although ${refusals.join('; and ')}.`);
    }
    if (estimate === 0 && exact) plan.noop = true;
    return plan;
  },

  // The pattern's literal prefix: precompute:genre:* and precompute:genre:shonen* share one lease.
  resource: keysResource,
  iamWrites(_params, iam) {
    iam.note('redis.purge: no IAM; Redis authenticates with AUTH / ACL users (MANGAOPS_REDIS_URL carries the password)');
  },

  async apply(plan, ctx) {
    const p = plan.params;
    const redis = await ctx.ports.redis();
    const masters = await redis.masters();
    const estimate = plan.before.estimate;
    const started = ctx.now();
    const tally = new Tally();
    const changedLine = () => `deleted ${plural(tally.deleted, 'key')} matching ${p.pattern} (${tally.perNode() || 'none yet'})`;
    const left = `keys matching ${p.pattern} not yet reached: run redis.purge again to finish`;
    ctx.standing?.((): Standing => ({
      changed: [changedLine(), ...(tally.inFlight ? [`up to ${plural(tally.inFlight, 'key')} more: UNLINK sent, no reply yet`] : [])],
      unchanged: [left],
    }));
    let lastShown = 0;
    const onDeleted = () => {
      const now = ctx.now();
      if (now - lastShown < PROGRESS_EVERY_MS) return;
      lastShown = now;
      const rate = tally.deleted / Math.max(0.001, (now - started) / 1000);
      ctx.progress(`purging ${p.pattern}: ${count(tally.deleted)} deleted${estimate ? ` of ≈ ${count(estimate)}` : ''} (${count(rate)} keys/s)`);
    };
    const settled = await Promise.allSettled(masters.map((node) => purgeNode(redis, node, p, tally, onDeleted, ctx.stopping)));
    const results = masters.map((node) => tally.node(node));
    const seconds = (ctx.now() - started) / 1000;
    const calls = [
      `Redis SCAN MATCH ${p.pattern} COUNT ${p.count}: ${count(results.reduce((s, r) => s + r.scans, 0))} calls on ${plural(masters.length, 'master')}`,
      `Redis UNLINK: ${count(results.reduce((s, r) => s + r.unlinks, 0))} commands`,
    ];
    const failed = settled.flatMap((s, i) => (s.status === 'rejected' ? [{ node: masters[i]!, error: s.reason as unknown }] : []));
    const pending: Pending = { deleted: tally.deleted, unanswered: tally.unanswered };
    if (failed.length) {
      const lost = tally.unanswered.flat().length;
      const why = failed.map((f) => `${f.node}: ${(f.error as Error)?.message ?? String(f.error)}`).join('; ');
      // An unanswered batch is what the re-read must settle: it is the cause the runner weighs.
      const cause = lost ? (failed.find((f) => !(f.error instanceof Error && f.error.name === 'ReplyError'))?.error ?? failed[0]!.error) : failed[0]!.error;
      throw new PartialApplyError(`purge of ${p.pattern} stopped (${why})`, [changedLine(), ...(lost ? [`${plural(lost, 'key')} in UNLINKs whose reply was lost: not counted`] : [])], [left], { cause, pending });
    }
    if (ctx.stopping?.aborted) throw new PartialApplyError(`purge of ${p.pattern} stopped by the interruption`, [changedLine()], [left], { pending });
    ctx.progress(`purged ${plural(tally.deleted, 'key')} in ${seconds.toFixed(1)} s (${tally.perNode()})`);
    return { calls, changed: [changedLine()], detail: { deleted: tally.deleted, seconds, nodes: results } };
  },

  async reread(plan, ctx, failure) {
    const p = plan.params;
    const pending = (failure instanceof PartialApplyError ? failure.pending : undefined) as Pending | undefined;
    const deleted = pending?.deleted ?? 0;
    const lost = pending?.unanswered ?? [];
    const sent = lost.flat().length;
    const still = sent ? await (await ctx.ports.redis()).exists(lost) : 0;
    const gone = sent - still;
    const total = deleted + gone;
    return {
      state: total ? 'partly applied' : 'not applied',
      observed: `${count(gone)} of the ${plural(sent, 'key')} whose UNLINK reply was lost are gone, ${count(still)} still there`,
      changed: total ? [`deleted ${plural(total, 'key')} matching ${p.pattern}: ${count(deleted)} counted from UNLINK replies, ${count(gone)} more found gone by a re-read of the ${plural(sent, 'key')} whose reply was lost`] : [],
      unchanged: [`keys matching ${p.pattern} not yet reached: run redis.purge again to finish`],
    };
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
        const page = await redis.scanBytes(node, cursor, { match: p.pattern, count: p.count });
        left += page.keys.length;
        cursor = page.cursor;
      } while (cursor !== '0');
    }
    return left === 0
      ? `no key matches ${p.pattern} any more`
      : `${plural(left, 'key')} match ${p.pattern} again — written since the purge (the cache refilling); run it again if they are stale too`;
  },
});
