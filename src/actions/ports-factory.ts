// Which platform the actions touch: live (AWS SDK clients, ioredis) or simulated (drills).
// Every port is created on first use, and every adapter module is loaded with a dynamic
// import, so a plan that needs only ECS never loads ioredis and a drill never loads the SDK.
import type { Config } from '../runbook/placeholders.js';
import type { Ports } from './ports.js';
import type { SessionPlugin } from './ports/ecs.js';
import { seedPlatform, type SimPlatform } from './simulated/platform.js';
import { simulatedAoss } from './simulated/aoss.js';
import { simulatedEcs } from './simulated/ecs.js';
import { simulatedQuotas } from './simulated/quotas.js';
import { simulatedDynamo } from './simulated/dynamo.js';
import { simulatedRedis } from './simulated/redis.js';
import type { RedisPort } from './ports/redis.js';

export interface LivePortsOptions {
  region?: string;
  profile?: string;
  /** --redis-url; else MANGAOPS_REDIS_URL; else config redis.url. */
  redisUrl?: string;
  env: NodeJS.ProcessEnv;
  config: Config;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

export function livePorts(o: LivePortsOptions): Ports {
  const aws = once(async () => (await import('../aws/clients.js')).createAws({ region: o.region, profile: o.profile, env: o.env, config: o.config }));
  let redis: Promise<RedisPort> | undefined;
  return {
    ecs: once(async () => (await import('./live/ecs.js')).createLiveEcs(await aws(), o.env)),
    aoss: once(async () => (await import('./live/aoss.js')).createLiveAoss(await aws())),
    quotas: once(async () => (await import('./live/quotas.js')).createLiveQuotas(await aws())),
    // The endpoint: --redis-url, else MANGAOPS_REDIS_URL, else config redis.url (rediss:// for TLS).
    redis: () =>
      (redis ??= (async () => {
        const { connectRedis, redisClusterFrom, redisUrlFrom } = await import('./live/redis.js');
        return connectRedis(redisUrlFrom(o), { cluster: redisClusterFrom(o.config) });
      })()),
    dynamo: once(async () => (await import('./live/dynamo.js')).createLiveDynamo(await aws())),
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
    ecs: once(async () => simulatedEcs(platform, options.plugin)),
    aoss: once(async () => simulatedAoss(platform)),
    quotas: once(async () => simulatedQuotas(platform)),
    redis: once(async () => simulatedRedis({ mutations: platform.mutations })),
    dynamo: once(async () => simulatedDynamo(config, platform.mutations)),
    async close() {},
  };
}
