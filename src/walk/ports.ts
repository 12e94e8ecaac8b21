// Which platform a walk's actions plan against: the simulated one for drills (no AWS
// client is ever constructed), the live one for diagnose. Created on first use, so a walk
// that never reaches an action never connects to anything.
import type { Ports } from '../actions/ports.js';
import type { Io } from '../cli/io.js';
import type { Config } from '../runbook/placeholders.js';

export interface LazyPorts {
  get(): Promise<Ports>;
  close(): Promise<void>;
}

function lazy(make: () => Promise<Ports>): LazyPorts {
  let ports: Promise<Ports> | undefined;
  return {
    get: () => (ports ??= make()),
    async close() {
      if (ports) await (await ports).close();
    },
  };
}

export function simulatedPortsLazy(config: Config): LazyPorts {
  return lazy(async () => (await import('../actions/ports-factory.js')).simulatedPorts(config));
}

export function livePortsLazy(options: { region?: string; profile?: string; redisUrl?: string; config: Config }, io: Io): LazyPorts {
  return lazy(async () =>
    (await import('../actions/ports-factory.js')).livePorts({ region: options.region, profile: options.profile, redisUrl: options.redisUrl, env: io.env, config: options.config }),
  );
}
