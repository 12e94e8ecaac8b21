// The live evidence source: every probe of the tree starts at once — all CloudWatch probes in
// one batched GetMetricData, ECS, DynamoDB and Logs Insights beside it — each under its own
// deadline; `onSettled` reports each card as it lands, and the gather never outlasts the
// longest deadline. A failure is that probe's no-data / error card; missing or expired
// credentials stop the whole gather once, with one line saying how to fix them.
//
// Importing this module loads no AWS SDK: the clients are created, and their modules
// imported, on the first gather (src/aws/clients.ts).
import { createAws, credentialsError, type Aws } from '../../aws/clients.js';
import type { Evidence } from '../../engine/evidence.js';
import type { Config } from '../../runbook/placeholders.js';
import type { EvidenceSource, ProbeRequest } from '../port.js';
import { gatherCloudWatch } from './cloudwatch.js';
import { CredentialsFailure, failure, type LiveContext, type Pending } from './context.js';
import { gatherDynamo } from './dynamodb.js';
import { gatherEcs } from './ecs.js';
import { gatherLogs } from './logs.js';
import { cachedProducts } from './cached-products.js';
import type { RedisPort } from '../../actions/ports/redis.js';

export { parseAt } from './at.js';

export const DEFAULT_TIMEOUT_MS = 3000;

export interface LiveSourceOptions {
  config: Config;
  /** --region; else AWS_REGION; else the config's region. */
  region?: string;
  /** --profile; else the SDK reads AWS_PROFILE itself. */
  profile?: string;
  /** --at: every window ends here instead of now. */
  at?: Date;
  /** --probe-timeout; a probe's own timeoutMs in the runbook wins. Default 3000. */
  defaultTimeoutMs?: number;
  env: NodeJS.ProcessEnv;
  /** The wall clock (default Date.now); CloudWatch's retention rules count from it. */
  now?: () => number;
  /** --redis-url, for probes that read the cached recommendations (else MANGAOPS_REDIS_URL, else config redis.url). */
  redisUrl?: string;
}

export type RedisConnector = () => Promise<RedisPort>;

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export class LiveSource implements EvidenceSource {
  readonly name: string;

  constructor(
    readonly aws: Aws,
    private readonly options: Pick<LiveSourceOptions, 'at' | 'defaultTimeoutMs' | 'now'> & { redis?: RedisConnector } = {},
  ) {
    const who = aws.profile ? ` (profile ${aws.profile})` : '';
    const when = options.at ? ` as of ${options.at.toISOString()}` : '';
    this.name = `AWS ${aws.region}${who}${when}`;
  }

  /** The probe's own timeout, else the request's, else --probe-timeout, else 3 s. */
  timeoutOf(r: ProbeRequest): number {
    return r.probe.timeoutMs ?? (r.timeoutMs > 0 ? r.timeoutMs : undefined) ?? this.options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async gather(requests: ProbeRequest[], onSettled?: (id: string, evidence: Evidence) => void): Promise<Record<string, Evidence>> {
    const now = new Date(this.options.now?.() ?? Date.now());
    const abandon = new AbortController();
    // Connected only if a probe asks, and closed when the gather ends.
    let redis: Promise<RedisPort> | undefined;
    const connect = this.options.redis;
    const ctx: LiveContext = {
      aws: this.aws,
      at: this.options.at ?? now,
      now,
      signal: (ms) => AbortSignal.any([AbortSignal.timeout(ms), abandon.signal]),
      ...(connect && { cachedProducts: async (pattern, signal) => cachedProducts(await (redis ??= connect()), pattern, signal) }),
    };
    const timed = requests.map((r) => ({ ...r, timeoutMs: this.timeoutOf(r) }));
    const pending: Pending = new Map();
    for (const gatherer of [gatherCloudWatch, gatherEcs, gatherDynamo, gatherLogs]) {
      try {
        for (const [id, p] of gatherer(timed, ctx)) pending.set(id, p);
      } catch (error) {
        // A planning bug in one module costs its probes, not the walk.
        const e = failure(error, gatherer.name);
        for (const r of timed) if (!pending.has(r.id)) pending.set(r.id, Promise.resolve(e));
      }
    }

    const out: Record<string, Evidence> = {};
    const timers: NodeJS.Timeout[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        let left = timed.length;
        let stopped = false;
        if (left === 0) return resolve();
        const settle = (id: string, evidence: Evidence) => {
          if (stopped || id in out) return;
          out[id] = evidence;
          onSettled?.(id, evidence);
          if (--left === 0) resolve();
        };
        for (const r of timed) {
          const work = pending.get(r.id) ?? Promise.resolve<Evidence>({ status: 'error', reason: `no live source reads ${r.probe.kind} probes` });
          timers.push(setTimeout(() => settle(r.id, { status: 'nodata', reason: `no answer within ${seconds(r.timeoutMs)} (probe timeout)` }), r.timeoutMs));
          work.then(
            (evidence) => settle(r.id, evidence),
            (error: unknown) => {
              if (error instanceof CredentialsFailure) {
                stopped = true;
                reject(credentialsError(error.cause, this.aws));
              } else {
                settle(r.id, { status: 'error', reason: `unexpected: ${(error as Error)?.message ?? String(error)}` });
              }
            },
          );
        }
      });
    } finally {
      timers.forEach(clearTimeout);
      // Whatever is still running (a batch whose probes all timed out, a Logs Insights query)
      // is cancelled: its answer can no longer reach a card.
      abandon.abort();
      await redis?.then((r) => r.close()).catch(() => undefined);
    }
    return out;
  }
}

export function createLiveSource(options: LiveSourceOptions): EvidenceSource {
  const redis: RedisConnector = async () => {
    const { connectRedis, redisClusterFrom, redisUrlFrom } = await import('../../actions/live/redis.js');
    return connectRedis(redisUrlFrom(options), { cluster: redisClusterFrom(options.config), connectTimeoutMs: 2000 });
  };
  return new LiveSource(createAws(options), { ...options, redis });
}
