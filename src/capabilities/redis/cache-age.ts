// The redis.cache-age probe: how old the cached recommendations are — scenario 4's "Redis cache
// TTL for genre recommendations: 24 hours", and the pre-computation 6 hours ago that filled
// them. A bounded SCAN sample of the keys matching `pattern` (never KEYS: one blocking walk of
// the whole production keyspace), PTTL on each; an entry set with the configured `ttl` was
// written (ttl − PTTL) ago. Value: the age of the oldest sampled entry, in hours. An entry
// with no TTL (PTTL -1) or one longer than the configured TTL cannot be dated: counted on the
// card, and when no entry can be dated the answer is no data. `ttl` must be what the job
// really sets: Redis keeps no write time, so a job that moved to a shorter TTL (the seed's
// 24 h → 4 h prevention) makes its entries read older than they are until `ttl` follows.
import { z } from 'zod';
import { deferred } from '../../core/deferred.js';
import type { Evidence } from '../../core/evidence.js';
import { durationMs, fmtSpan, hoursOf } from '../../core/time.js';
import { shared } from '../failure.js';
import { defineProbeKind, duration, isReplay, probeCommon, simulateScalar, type Pending } from '../probe-kind.js';
import { scanAll } from './keys.js';
import type { RedisPort } from './port.js';

const RedisCacheAgeProbe = deferred(() => z.strictObject({
  kind: z.literal('redis.cache-age'),
  ...probeCommon,
  /** The cached entries, as a SCAN MATCH glob. */
  pattern: z.string().min(1),
  /** The TTL the pre-computation sets on them. */
  ttl: duration,
  /** How many matching keys to read at most. */
  sample: z.number().int().positive().max(1000).default(100),
  /** SCAN calls (COUNT 1000) per master at most, however few keys match. */
  maxScanCalls: z.number().int().positive().default(20),
}));
type CacheAgeProbe = z.infer<typeof RedisCacheAgeProbe>;

const SCAN_COUNT = 1000;

export async function cacheAge(redis: RedisPort, probe: CacheAgeProbe, signal?: AbortSignal): Promise<Evidence> {
  const ttl = durationMs(probe.ttl);
  const keys = (await scanAll(redis, probe.pattern, { count: SCAN_COUNT, limit: probe.sample, maxCalls: probe.maxScanCalls, signal })).slice(0, probe.sample);
  if (keys.length === 0) return { status: 'nodata', reason: `no keys match ${probe.pattern} in the first ${probe.maxScanCalls} SCAN calls` };
  signal?.throwIfAborted();
  const pttls = await Promise.all(keys.map((k) => redis.pttl(k)));
  const live = pttls.filter((p) => p !== -2);
  const ages = live.filter((p) => p >= 0 && p <= ttl).map((p) => ttl - p);
  const noTtl = live.filter((p) => p === -1).length;
  const longer = live.filter((p) => p > ttl).length;
  const undated = [noTtl ? `${noTtl} without a TTL (never expire)` : '', longer ? `${longer} with more than ${probe.ttl} left (ttl in the config?)` : ''].filter(Boolean).join(', ');
  if (ages.length === 0) return { status: 'nodata', reason: `none of the ${live.length} sampled entries can be dated from its TTL${undated ? `: ${undated}` : ''}` };
  const oldest = Math.max(...ages);
  const newest = Math.min(...ages);
  const detail = [
    `cached ${fmtSpan(oldest)} ago (oldest of ${ages.length} sampled${newest < oldest - 60_000 ? `; newest ${fmtSpan(newest)}` : ''})`,
    `TTL ${fmtSpan(ttl)}, ${fmtSpan(ttl - oldest)} left`,
    undated,
  ].filter(Boolean).join('; ');
  return { status: 'ok', value: hoursOf(oldest), detail };
}

export const redisCacheAgeKind = defineProbeKind({
  kind: 'redis.cache-age',
  schema: RedisCacheAgeProbe,
  describe: (p) => `Redis SCAN ${p.pattern} (a sample of ${p.sample}) · PTTL against the ${p.ttl} TTL`,
  // Redis is not behind IAM: AUTH and the network decide (redis.url).
  iamReads: () => undefined,
  simulate(probe, sim) {
    const e = simulateScalar(sim);
    if (e.status !== 'ok' || typeof e.value !== 'number') return e;
    const age = e.value * 3_600_000;
    return { ...e, detail: `cached ${fmtSpan(age)} ago; TTL ${fmtSpan(durationMs(probe.ttl))}, ${fmtSpan(Math.max(0, durationMs(probe.ttl) - age))} left` };
  },
  reader: {
    read(requests, ctx): Pending {
      const pending: Pending = new Map();
      for (const r of requests) {
        const signal = ctx.signal(r.timeoutMs);
        const work = ctx.ports.redis().then(async (redis) => {
          const e = await cacheAge(redis, r.probe, signal);
          // PTTL is read now: a replay (--at) cannot see the TTLs as they were then.
          return new Map([[r.id, isReplay(ctx) && e.status === 'ok' ? { ...e, detail: `${e.detail}; current state: --at cannot replay it` } : e]]);
        });
        for (const [id, p] of shared([r.id], work, `redis SCAN ${r.probe.pattern}`)) pending.set(id, p);
      }
      return pending;
    },
  },
});
