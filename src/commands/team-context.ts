// What the commands that walk or apply share about the team: the table (when configured)
// opened once, everything it still has to do finished before the command returns, and who
// the engineer is — the team identity with a table, $USER@host without.
import type { Config } from '../core/config.js';
import type { Io } from '../core/io.js';
import type { Who } from '../events/events.js';
import { whoAmI } from '../journal/journal.js';
import { pendingIncidents } from '../team/pending.js';
import { syncIncidents } from '../team/sync-all.js';
import { openTeam, type Team } from '../team/team.js';
import type { CommonOptions } from './context.js';

/** The team of this command, being opened: started early, it resolves the identity (STS, up to 1 s) while other work goes on. */
export function openTeamFor(options: CommonOptions, config: Config, io: Io): Promise<Team | undefined> {
  const opening = openTeam({ config, env: io.env, region: options.region, profile: options.profile, io });
  opening.catch(() => undefined);
  return opening;
}

/** Run with the team, and finish what it has to do (uploads, the driver role) whatever happens. */
export async function withTeam<T>(opening: Promise<Team | undefined>, run: (team: Team | undefined) => Promise<T>): Promise<T> {
  const team = await opening;
  try {
    return await run(team);
  } finally {
    await team?.finish();
    // Reaching the table now: what an earlier offline run left behind goes up too.
    const pending = team?.reachable ? pendingIncidents(team.env) : [];
    if (team && pending.length) await syncIncidents(team, pending, { quiet: true }).catch(() => undefined);
  }
}

export function whoOf(team: Team | undefined, io: Pick<Io, 'env'>): Who {
  return team ? { who: team.identity.who, host: team.identity.host } : whoAmI(io.env);
}

/** The flags of every command that applies a fix. */
export interface LeaseFlags {
  /** --wait [seconds]: wait for a lease someone else holds (--wait alone: 300 s). */
  wait?: number;
  /** false with --no-lock: apply even when the team table cannot be reached (journaled). */
  lock?: boolean;
}
