// The walk of `mangaops diagnose`, once its reads are out (diagnose.ts): the evidence awaited,
// the incident journaled and shared with the team, the tree walked, the fixes offered.
import type { Config } from '../core/config.js';
import type { EvidenceMap } from '../core/evidence.js';
import type { Io } from '../core/io.js';
import type { heldEvents } from '../events/events.js';
import type { LoadedRunbook } from '../runbook/load.js';
import { teamGuard } from '../team/guard.js';
import { trackNew } from '../team/session.js';
import { prepareJournal } from '../journal/journal.js';
import { screenOf } from '../ui/screen.js';
import { style } from '../ui/style.js';
import { wrap } from '../ui/wrap.js';
import type { LiveSource } from '../walk/live-source.js';
import { livePortsLazy } from '../walk/ports.js';
import { announceStart, exitCodeOf, runWalk, type WalkFlags, type WalkRequest } from '../walk/run.js';
import { liveWatch } from '../walk/watch-setup.js';
import type { CommonOptions } from './context.js';
import { openTeamFor, whoOf, withTeam, type LeaseFlags } from './team-context.js';
import { endWalk, newJournal, walkStream } from './walk-stream.js';

export interface DiagnoseOptions extends CommonOptions, WalkFlags, LeaseFlags {
  /** The runbook; with --alarm, the one the alarm picks unless this names another. */
  scenario?: string;
  /** Evaluate as of a past moment: ISO time or -2h. */
  at?: string;
  /** Start from an alarm (name or ARN): its runbook, evaluated as of its state change. */
  alarm?: string;
  preflight?: boolean;
  probeTimeout?: number;
  redisUrl?: string;
}

export interface Diagnosis {
  options: DiagnoseOptions;
  io: Io;
  config: Config;
  loaded: LoadedRunbook;
  at?: Date;
  source: LiveSource;
  /** The gather diagnose.ts started, its events held until the screen is drawn here. */
  gathering: Promise<{ evidence: EvidenceMap; ms: number }>;
  startedAt: number;
  /** What the alarm said, for the title (diagnose --alarm). */
  said?: string;
  held: ReturnType<typeof heldEvents>;
}

export async function walkDiagnosis(d: Diagnosis): Promise<number> {
  const { options, io, config, loaded, at, source } = d;
  const rb = loaded.runbook;
  prepareJournal(options.journal, io.env);
  const screen = screenOf(io, options.json);
  const c = style(screen.color);
  screen.report.write(wrap(`${c.bold(`DIAGNOSE ${rb.id}`)}: ${rb.title}${rb.severity ? ` (${rb.severity})` : ''}`, io.columns, '', '  ') + '\n');
  if (d.said) screen.report.write(wrap(d.said, io.columns, '', '  ') + '\n');
  const stream = walkStream(io, rb, options.json, { held: d.held, screen });
  const opening = openTeamFor(options, config, io);
  return withTeam(opening, async (team) => {
    // Made while the reads are in flight. Nothing is written to it before the walk starts, and
    // its lock goes with the process if the gather fails (journal/lock.ts).
    const journal = await newJournal(stream, io, rb.id, options.journal, `mangaops diagnose ${rb.id}`);
    // The walk imports the runner as it starts: loaded now, while the answers are on their way.
    void import('../runner/runner.js');
    const { evidence, ms } = await d.gathering;
    trackNew(team, journal);
    const req: WalkRequest = {
      io,
      loaded,
      kind: 'diagnose',
      flags: options,
      incident: journal.incident,
      journalFile: journal.file,
      ...stream,
      evidence,
      evidenceMs: ms,
      sourceName: source.name,
      // The gather's AWS (one credential chain, its clients) for the fixes too.
      ports: livePortsLazy({ ...options, config, env: io.env, aws: source.aws }),
      config,
      guard: teamGuard({ team, config, events: stream.events, now: io.now, wait: options.wait, lock: options.lock }),
      recorded: { auto: Boolean(options.auto), at: at?.toISOString(), ...(options.alarm && { alarm: options.alarm }), dryRun: Boolean(options.dryRun), answers: options.answer ?? [] },
      // The watch reads the account as it is now: the gather's source did, unless --at replayed a
      // past moment, and then the watch is off (it says so).
      watch: liveWatch(rb, source, io, { ...options, at }),
    };
    announceStart(req, whoOf(team, io));
    const result = await runWalk(req, d.startedAt);
    endWalk(io, req, result, stream.screen, options.json);
    return exitCodeOf(result);
  });
}
