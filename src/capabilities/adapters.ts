// Which platform the probes and actions touch: live (AWS SDK clients, ioredis) or simulated
// (drills). Every port is created on first use, and every live adapter module is loaded with a
// dynamic import, so a plan that needs only ECS never loads ioredis and a drill never loads
// the SDK. One entry per service: a new capability adds its line here and in ports.ts.
import type { Config } from '../core/config.js';
import type { Aws } from './aws.js';
import { simulatedAoss } from './aoss/simulated.js';
import { simulatedCloudWatch } from './cloudwatch/simulated.js';
import { simulatedDynamo } from './dynamodb/simulated.js';
import type { SessionPlugin } from './ecs/port.js';
import { simulatedEcs } from './ecs/simulated.js';
import { simulatedLogs } from './logs/simulated.js';
import { seedPlatform, type SimPlatform } from './platform.js';
import type { Ports } from './ports.js';
import { simulatedQuotas } from './quotas/simulated.js';
import type { RedisPort } from './redis/port.js';
import { simulatedRedis } from './redis/simulated.js';

export interface LivePortsOptions {
  region?: string;
  profile?: string;
  /** --redis-url; else MANGAOPS_REDIS_URL; else config redis.url. */
  redisUrl?: string;
  /** How long connecting to Redis may take (a probe's is short). */
  redisConnectTimeoutMs?: number;
  env: NodeJS.ProcessEnv;
  config: Config;
  /** The AWS clients to share (the evidence source's, so messages name its profile). */
  aws?: Aws;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

export function livePorts(o: LivePortsOptions): Ports {
  const aws = once(async () => o.aws ?? (await import('./aws.js')).createAws({ region: o.region, profile: o.profile, env: o.env, config: o.config }));
  let redis: Promise<RedisPort> | undefined;
  return {
    cloudwatch: once(async () => (await import('./cloudwatch/live.js')).createLiveCloudWatch(await aws())),
    logs: once(async () => (await import('./logs/live.js')).createLiveLogs(await aws())),
    ecs: once(async () => (await import('./ecs/live.js')).createLiveEcs(await aws(), o.env)),
    aoss: once(async () => (await import('./aoss/live.js')).createLiveAoss(await aws())),
    quotas: once(async () => (await import('./quotas/live.js')).createLiveQuotas(await aws())),
    // The endpoint: --redis-url, else MANGAOPS_REDIS_URL, else config redis.url (rediss:// for TLS).
    redis: () =>
      (redis ??= (async () => {
        const { connectRedis, redisClusterFrom, redisUrlFrom } = await import('./redis/live.js');
        return connectRedis(redisUrlFrom(o), { cluster: redisClusterFrom(o.config), ...(o.redisConnectTimeoutMs && { connectTimeoutMs: o.redisConnectTimeoutMs }) });
      })()),
    dynamo: once(async () => (await import('./dynamodb/live.js')).createLiveDynamo(await aws())),
    async close() {
      // Only a connection that was made is closed; a failed connect has nothing to close.
      const r = await redis?.catch(() => undefined);
      await r?.close();
    },
  };
}

export interface SimulatedPorts extends Ports {
  /** The in-memory platform: its state, and every mutating call made (`mutations`). */
  platform: SimPlatform;
}

/**
 * The in-memory platform for drills, seeded from the config (4 tasks, pool size 5, min 2
 * OCUs, the seed's cached recommendations, prompt versions v2.0/v2.1, router threshold 0.3).
 * Static imports on purpose: the simulated adapters import SDK types only.
 */
export function simulatedPorts(config: Config = {}, options: { plugin?: SessionPlugin } = {}): SimulatedPorts {
  const platform = seedPlatform(config);
  return {
    platform,
    cloudwatch: once(async () => simulatedCloudWatch()),
    logs: once(async () => simulatedLogs()),
    ecs: once(async () => simulatedEcs(platform, options.plugin)),
    aoss: once(async () => simulatedAoss(platform)),
    quotas: once(async () => simulatedQuotas(platform)),
    redis: once(async () => simulatedRedis({ mutations: platform.mutations })),
    dynamo: once(async () => simulatedDynamo(config, platform.mutations)),
    async close() {},
  };
}
