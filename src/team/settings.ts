// Whether there is a team at all, and its rules: the table (config `team.table`, or
// MANGAOPS_TEAM_TABLE, which wins), how long a lease lasts, and which actions need approvals.
// No table configured: everything stays local, exactly as without this layer.
import { isActionName, actionNames } from '../capabilities/actions.js';
import type { Config } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';

export interface TeamSettings {
  table: string;
  /** How long a lease (on a resource, or the driver role) lasts without a heartbeat. */
  leaseMs: number;
}

/** Two minutes: an ECS rollout step's heartbeat gets through many times over; a crashed holder frees it soon. */
export const DEFAULT_LEASE_SECONDS = 120;

export function teamSettings(config: Config, env: NodeJS.ProcessEnv): TeamSettings | undefined {
  const table = env.MANGAOPS_TEAM_TABLE || config.team?.table;
  if (!table) return undefined;
  return { table, leaseMs: (config.team?.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000 };
}

/** The config's `approvals:`, each key checked against the action registry; counts of 0 dropped. */
export function approvalsOf(config: Config): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [action, count] of Object.entries(config.approvals ?? {})) {
    if (!isActionName(action)) throw new UsageError(`approvals: no action '${action}'${didYouMean(action, actionNames)}`, 'mangaops act --list shows the action names');
    if (count > 0) out[action] = count;
  }
  return out;
}
