// An incident's journal on this machine, level with the team table: fetched from the table
// when this machine has none (resume, approve, handover on another laptop), completed with
// what others added, and what the table lacks uploaded — `mangaops team sync` for many.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { MangaopsError, UsageError } from '../core/errors.js';
import { findJournal, Journal, journalFile, readJournal } from '../journal/journal.js';
import type { JournalRecord } from '../journal/records.js';
import { IncidentSync, type Reconciled } from './sync.js';
import { tableError, type Team } from './team.js';
import { makeDirs } from '../core/dirs.js';

export interface LocalIncident {
  file: string;
  /** Level with the table, ready to follow the journal (undefined: no table, or it cannot be reached). */
  sync?: IncidentSync;
}

/**
 * The journal of `incident` here. With a team table: fetched when missing, completed with what
 * the table has beyond it, and uploaded where the table lags. Without one (or when it cannot be
 * reached), the local journal as it is.
 */
export async function localIncident(team: Team | undefined, idOrFile: string, env: NodeJS.ProcessEnv, now: () => number, file?: string): Promise<LocalIncident> {
  // A journal file named by its path: the incident is the one it records.
  if (!team || file || idOrFile.endsWith('.jsonl')) {
    const found = findJournal(idOrFile, env, file);
    return team ? levelled(team, found, now) : { file: found };
  }
  const incident = idOrFile;
  const local = existsSync(journalFile(env, incident)) ? journalFile(env, incident) : undefined;
  const path = local ?? journalFile(env, incident);
  try {
    if (!local) {
      const remote = await team.store.events(incident);
      if (!remote.length) throw new UsageError(`no incident '${incident}' here or in the team table ${team.table}`, 'mangaops incidents lists the team\'s incidents; mangaops journal list the ones on this machine');
      // The incidents folder as every journal's: only the engineer reads an incident (0700).
      makeDirs(dirname(path), 0o700);
      const journal = Journal.open(path, incident, now);
      for (const item of remote) journal.appendRecord(JSON.parse(item.record) as JournalRecord);
      return { file: path, sync: new IncidentSync(team, incident, path, { level: true }) };
    }
    const sync = new IncidentSync(team, incident, path);
    await sync.reconcile({ download: true, journal: Journal.open(path, incident, now) });
    return { file: path, sync };
  } catch (e) {
    if (e instanceof MangaopsError) throw e;
    if (!local) throw new MangaopsError(`no journal for incident '${incident}' on this machine, and the team table ${team.table} cannot be reached (${tableError(e)})`, 1, 'try again when the table answers, or on the machine that has the journal');
    team.unreachable(e);
    return { file: path };
  }
}

/** A journal file found here, levelled with the table when it can be. */
async function levelled(team: Team, file: string, now: () => number): Promise<LocalIncident> {
  const incident = readJournal(file)[0]?.incident;
  if (!incident) return { file };
  const sync = new IncidentSync(team, incident, file);
  try {
    await sync.reconcile({ download: true, journal: Journal.open(file, incident, now) });
    return { file, sync };
  } catch (e) {
    if (e instanceof MangaopsError) throw e;
    team.unreachable(e);
    return { file };
  }
}

export interface SyncResult extends Partial<Reconciled> {
  incident: string;
  error?: string;
}

/** `team sync`: each incident's local journal uploaded where the table lags (nothing is downloaded). */
export async function syncIncidents(team: Team, incidents: string[], options: { quiet?: boolean } = {}): Promise<SyncResult[]> {
  const results: SyncResult[] = [];
  const done: string[] = [];
  for (const incident of incidents) {
    const file = journalFile(team.env, incident);
    if (!existsSync(file)) {
      results.push({ incident, error: 'no journal on this machine' });
      done.push(incident);
      continue;
    }
    const sync = new IncidentSync(team, incident, file);
    try {
      const r = await sync.reconcile({ download: false });
      results.push({ incident, ...r });
      if (!sync.behind) done.push(incident);
      if (!options.quiet || !r.uploaded) continue;
      team.warn(`uploaded ${r.uploaded} record(s) of incident ${incident} that the team table was missing`);
    } catch (e) {
      results.push({ incident, error: e instanceof MangaopsError ? e.message : tableError(e) });
      if (!(e instanceof MangaopsError)) {
        team.unreachable(e);
        break;
      }
    }
  }
  team.synced(done);
  return results;
}
