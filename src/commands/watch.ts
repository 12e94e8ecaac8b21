// mangaops watch <incident>: re-attach to the recovery watch of the incident's last applied fix
// — after a lost SSH session, on another terminal, or after `act --journal` — under the
// journal's lock, so an undo offered at the end takes the next step number. Live incidents
// only: a drill's world lives inside its drill.
import { livePorts } from '../capabilities/adapters.js';
import type { Ports } from '../capabilities/ports.js';
import { MangaopsError, UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { readJournal } from '../journal/journal.js';
import type { StartRecord } from '../journal/records.js';
import { span } from '../ui/recovery-view.js';
import { screenOf } from '../ui/screen.js';
import { continueJournal, type DeadlineFlags } from './act.js';
import { trackContinued } from '../team/session.js';
import { localIncident } from '../team/sync-all.js';
import { configFor, type CommonOptions } from './context.js';
import { openTeamFor, withTeam } from './team-context.js';
import { watchedFix, watchFix, type WatchDeps } from './watch-fix.js';

export interface WatchOptions extends CommonOptions, DeadlineFlags {
  incident: string;
  journal?: string;
  watchInterval?: number;
  probeTimeout?: number;
  redisUrl?: string;
}

export async function watch(options: WatchOptions, io: Io, deps: WatchDeps = {}): Promise<number> {
  const config = await configFor(options, io);
  return withTeam(openTeamFor(options, config, io), async (team) => {
    // An incident pre-diagnosed by the Lambda, or walked on another machine, comes from the team table.
    const local = await localIncident(team, options.incident, io.env, io.now, options.journal);
    const file = local.file;
    // Locked: an undo offered at the end takes the next step number of this journal.
    const opened = await continueJournal(file, io, `mangaops watch ${options.incident}`, options.json);
    let ports: Ports | undefined;
    const portsOf = () => (ports ??= deps.ports ?? livePorts({ region: options.region, profile: options.profile, redisUrl: options.redisUrl, env: io.env, config }));
    try {
      await trackContinued(team, local, opened.journal);
      const records = readJournal(file);
      const start = records.find((r): r is StartRecord => r.type === 'start');
      if (!start) throw new MangaopsError(`${file} has no start record: nothing to watch`);
      if (start.mode === 'drill') throw new UsageError(`incident ${start.incident} is a drill: its world lives inside the drill`, `watch it there: mangaops drill ${start.runbook} --case ${start.drillCase ?? '<case>'} --auto --apply`);
      const fix = watchedFix(records, start.incident);
      screenOf(io, options.json).report.write(`Watching step ${fix.step} ${fix.action} of ${start.incident} (${fix.outcome}), applied ${span(Math.max(0, io.now() - fix.fixAt))} ago\n`);
      const result = await watchFix({ fix, start, events: opened.events, nextStep: opened.nextStep, ports: portsOf, team, config }, options, io, deps);
      if (options.json) io.stdout.write(JSON.stringify({ incident: start.incident, journal: file, recovery: result }, null, 2) + '\n');
      return result.status === 'recovered' ? 0 : 1;
    } finally {
      opened.release();
      await ports?.close();
    }
  });
}
