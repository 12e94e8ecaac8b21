// How a command's journal joins the team: a new incident's records follow it into the table
// and its starter drives; a continued one (resume, undo) is brought level first, and its driver
// role claimed — refused while someone else drives, unless taken over with a reason.
import { MangaopsError } from '../core/errors.js';
import type { Journal } from '../journal/journal.js';
import { DriverRole } from './driver.js';
import type { LocalIncident } from './sync-all.js';
import { IncidentSync } from './sync.js';
import type { Team } from './team.js';

/** A new incident: its records go to the table as they are written; this engineer drives. */
export function trackNew(team: Team | undefined, journal: Journal): void {
  if (!team) return;
  const sync = new IncidentSync(team, journal.incident, journal.file, { level: true });
  sync.follow(journal);
  const driver = new DriverRole(team, journal.incident);
  team.driving.set(journal.incident, driver);
  const claimed = driver.claimNew();
  team.onFinish(async () => {
    await claimed;
    await sync.flush();
    await driver.release();
  });
}

/**
 * An incident continued on this machine: claim the driver role (a MangaopsError names who
 * drives when someone else does, unless `take`), then follow the journal into the table.
 * Returns who drove before a take-over.
 */
export async function trackContinued(team: Team | undefined, local: LocalIncident, journal: Journal, take?: string): Promise<{ previous?: string }> {
  if (!team) return {};
  const driver = new DriverRole(team, journal.incident);
  let previous: string | undefined;
  if (team.reachable) {
    try {
      ({ previous } = await driver.claim(take));
      team.driving.set(journal.incident, driver);
    } catch (e) {
      if (e instanceof MangaopsError) throw e;
      team.unreachable(e);
    }
  }
  const sync = local.sync ?? new IncidentSync(team, journal.incident, journal.file);
  sync.follow(journal);
  team.onFinish(async () => {
    await sync.flush();
    await driver.release();
  });
  return { previous };
}
