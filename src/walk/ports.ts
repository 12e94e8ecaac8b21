// Which platform a walk's actions plan against: the simulated one for drills (no AWS
// client is ever constructed), the live one for diagnose. Created on first use.
import type { Ports } from '../actions/ports.js';
import type { Io } from '../cli/io.js';
import type { Config } from '../runbook/placeholders.js';

function unavailable(what: string): Ports {
  const fail = async (): Promise<never> => {
    throw new Error(`${what} ports are not available in this build`);
  };
  return { ecs: fail, aoss: fail, quotas: fail, redis: fail, dynamo: fail, close: async () => {} };
}

export function simulatedPortsLazy(): () => Ports {
  let ports: Ports | undefined;
  return () => (ports ??= unavailable('simulated'));
}

export function livePortsLazy(_options: { region?: string; profile?: string; redisUrl?: string; config: Config }, _io: Io): () => Ports {
  let ports: Ports | undefined;
  return () => (ports ??= unavailable('live'));
}
