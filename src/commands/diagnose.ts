// `mangaops diagnose <scenario>`: the walk on live evidence from the AWS account. The live
// source (and with it the AWS SDK) is imported here, only when this command runs.
import type { Config } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import { fmtTime, parseAt } from '../core/time.js';
import type { Io } from '../core/io.js';
import { prepareJournal } from '../journal/journal.js';
import { style } from '../ui/style.js';
import { wrap } from '../ui/wrap.js';
import { gatherEvidence } from '../walk/gather.js';
import { livePortsLazy } from '../walk/ports.js';
import { announceStart, assertCanWalk, exitCodeOf, runWalk, type WalkFlags, type WalkRequest } from '../walk/run.js';
import type { LoadedRunbook } from '../runbook/load.js';
import { teamGuard } from '../team/guard.js';
import { trackNew } from '../team/session.js';
import { configFor, runbookFor, type CommonOptions } from './context.js';
import { openTeamFor, whoOf, withTeam, type LeaseFlags } from './team-context.js';
import { liveWatch } from '../walk/watch-setup.js';
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

/** The runbook and the moment: from the scenario and --at, or from the alarm. */
async function target(options: DiagnoseOptions, io: Io): Promise<{ config: Config; loaded: LoadedRunbook; at?: Date; said?: string }> {
  if (!options.alarm) {
    if (!options.scenario) throw new UsageError('diagnose needs a scenario or --alarm <name|arn>', 'mangaops list shows the scenarios; mangaops alarms the alarms in ALARM');
    const { config, loaded } = await runbookFor(options.scenario, options, io);
    return { config, loaded, at: options.at ? parseAt(options.at, new Date(io.now())) : undefined };
  }
  if (options.at) throw new UsageError('--at and --alarm both set the moment: give one', 'with --alarm the evidence ends at the alarm\'s state change');
  if (options.preflight) throw new UsageError('--preflight checks a runbook\'s reads, not an alarm', 'mangaops diagnose <scenario> --preflight');
  const config = await configFor(options, io);
  const { anchorOnAlarm } = await import('./alarms.js');
  const a = await anchorOnAlarm(options.alarm, options.scenario, config, options, io);
  const since = a.at ? ` since ${fmtTime(a.at)}` : '';
  const why = a.match ? `: it answers ${a.match.why}` : options.scenario ? ' (named on the command line)' : '';
  const said = `alarm ${a.alarm.name} is ${a.alarm.state}${since} — runbook ${a.loaded.runbook.id}${why}; evidence as of ${a.at ? fmtTime(a.at) : 'now'}`;
  return { config, loaded: a.loaded, at: a.at, said };
}

export async function diagnose(options: DiagnoseOptions, io: Io): Promise<number> {
  // No terminal and no --auto: refused before the alarm is looked up, as before any evidence.
  if (!options.preflight) assertCanWalk(io, options);
  const { config, loaded, at, said } = await target(options, io);
  const rb = loaded.runbook;
  const sourceOptions = { config, region: options.region, profile: options.profile, at, defaultTimeoutMs: options.probeTimeout, env: io.env, now: io.now, redisUrl: options.redisUrl };
  if (options.preflight) {
    const { runPreflight } = await import('./preflight.js');
    return runPreflight(loaded, sourceOptions, options, io);
  }
  assertCanWalk(io, options, rb);
  prepareJournal(options.journal, io.env);
  const stream = walkStream(io, rb, options.json);
  const c = style(stream.screen.color);
  stream.screen.report.write(wrap(`${c.bold(`DIAGNOSE ${rb.id}`)}: ${rb.title}${rb.severity ? ` (${rb.severity})` : ''}`, io.columns, '', '  ') + '\n');
  if (said) stream.screen.report.write(wrap(said, io.columns, '', '  ') + '\n');
  const { createLiveSource } = await import('../walk/live-source.js');
  const source = createLiveSource(sourceOptions);
  const opening = openTeamFor(options, config, io);
  const startedAt = io.now();
  const { evidence, ms } = await gatherEvidence(rb, source, stream.events, io.now, options.probeTimeout);
  return withTeam(opening, async (team) => {
    const journal = await newJournal(stream, io, rb.id, options.journal, `mangaops diagnose ${rb.id}`);
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
      ports: livePortsLazy({ ...options, config, env: io.env }),
      config,
      guard: teamGuard({ team, config, events: stream.events, now: io.now, wait: options.wait, lock: options.lock }),
      recorded: { auto: Boolean(options.auto), at: at?.toISOString(), ...(options.alarm && { alarm: options.alarm }), dryRun: Boolean(options.dryRun), answers: options.answer ?? [] },
      // The watch reads the account as it is now, whatever --at replayed (it says it does not watch then).
      watch: liveWatch(rb, createLiveSource({ ...sourceOptions, at: undefined }), io, { ...options, at }),
    };
    announceStart(req, whoOf(team, io));
    const result = await runWalk(req, startedAt);
    endWalk(io, req, result, stream.screen, options.json);
    return exitCodeOf(result);
  });
}
