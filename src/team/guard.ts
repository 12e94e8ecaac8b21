// The team's guard the runner calls around each live step (runner.ts RunGuard): approvals
// after the plan, a lease on the resource around apply. Without a team table and without
// approvals in the config there is no guard at all, and the runner runs as it always did.
import type { Config } from '../core/config.js';
import type { Events } from '../events/events.js';
import type { RunGuard } from '../runner/runner.js';
import { checkApprovals } from './approvals.js';
import { takeLease } from './leases.js';
import { approvalsOf } from './settings.js';
import type { Team } from './team.js';

export interface GuardOptions {
  team?: Team;
  config: Config;
  events: Events;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** --wait [seconds]; absent: refuse at once when someone else holds the lease. */
  wait?: number;
  /** false with --no-lock. */
  lock?: boolean;
}

/** As `--wait` alone says: five minutes. */
export const DEFAULT_WAIT_SECONDS = 300;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function teamGuard(o: GuardOptions): RunGuard | undefined {
  const approvals = approvalsOf(o.config);
  if (!o.team && !Object.keys(approvals).length) return undefined;
  return {
    approve: (s) => checkApprovals({ team: o.team, events: o.events, approvals }, s),
    lease: (s) => takeLease({ team: o.team, events: o.events, now: o.now, sleep: o.sleep ?? realSleep, waitSeconds: o.wait ?? 0, lock: o.lock !== false }, s),
  };
}
