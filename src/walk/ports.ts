// Which platform a walk's actions plan against: the simulated one for drills (no AWS
// client is ever constructed), the live one for diagnose. Created on first use, so a walk
// that never reaches an action never connects to anything.
import type { Ports } from '../capabilities/ports.js';
import type { Aws } from '../capabilities/aws.js';
import type { Config } from '../core/config.js';

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
  return lazy(async () => (await import('../capabilities/adapters.js')).simulatedPorts(config));
}

/** With `aws`, the clients and credential chain already made (a gather's): not a second set. */
export function livePortsLazy(options: { region?: string; profile?: string; redisUrl?: string; config: Config; env: NodeJS.ProcessEnv; aws?: Aws }): LazyPorts {
  return lazy(async () => (await import('../capabilities/adapters.js')).livePorts(options));
}
