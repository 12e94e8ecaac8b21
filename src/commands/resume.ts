// `mangaops resume <incident>`: continue an interrupted walk where it stopped — the same
// evidence, the decisions already taken replayed without asking, steps already done not
// offered again. Refuses when the runbook changed: the recorded path may no longer exist.
import { MangaopsError } from '../core/errors.js';
import type { Config } from '../core/config.js';
import type { Io } from '../core/io.js';
import type { StepStatus } from '../events/events.js';
import { Journal, readJournal } from '../journal/journal.js';
import { lockJournal } from '../journal/lock.js';
import { teamGuard } from '../team/guard.js';
import { trackContinued } from '../team/session.js';
import { localIncident } from '../team/sync-all.js';
import type { Team } from '../team/team.js';
import { resumeAct } from './act.js';
import { journalWriter } from '../journal/writer.js';
import type { EvidenceRecord, JournalRecord, StartRecord } from '../journal/records.js';
import { style } from '../ui/style.js';
import { livePortsLazy, simulatedPortsLazy } from '../walk/ports.js';
import { wrap } from '../ui/wrap.js';
import { assertCanWalk, exitCodeOf, runWalk, type WalkFlags, type WalkRequest } from '../walk/run.js';
import { scoreDrill, type DrillScore } from '../walk/score.js';
import { drillWatch, liveWatch } from '../walk/watch-setup.js';
import { DrillWorld } from '../walk/world.js';
import type { WatchSetup } from '../walk/recovery-guard.js';
import { printScore } from './drill.js';
import { configFor, runbookFor, type CommonOptions } from './context.js';
import { openTeamFor, whoOf, withTeam, type LeaseFlags } from './team-context.js';
import { endWalk, walkStream } from './walk-stream.js';

export interface ResumeOptions extends CommonOptions, WalkFlags, LeaseFlags {
  incident: string;
  /** --take <reason>: take the driver role from a live driver. */
  take?: string;
  redisUrl?: string;
}

/** What a journal says was already decided and done. */
function replayOf(records: JournalRecord[]) {
  const decisions: Record<string, string[]> = {};
  const doneSteps = new Map<string, StepStatus>();
  let stepsSoFar = 0;
  for (const r of records) {
    if (r.type === 'node' && r.nodeType === 'decision' && r.answer !== undefined) (decisions[r.node] ??= []).push(r.answer);
    if (r.type === 'step') {
      if (r.node) doneSteps.set(r.node, r.status);
      stepsSoFar = Math.max(stepsSoFar, r.step);
    }
  }
  // A fix planned but neither confirmed nor declined was on screen when the walk stopped:
  // it is offered again, not lost.
  for (const [node, status] of doneSteps) if (status === 'planned') doneSteps.delete(node);
  return { decisions, doneSteps, stepsSoFar };
}

/**
 * Resume an incident here: its journal from this machine, or fetched from the team table when
 * it was walked on another (with what others added since), and the driver role claimed first.
 */
export async function resume(options: ResumeOptions, io: Io): Promise<number> {
  const config = await configFor(options, io);
  return withTeam(openTeamFor(options, config, io), async (team) => {
    const local = await localIncident(team, options.incident, io.env, io.now, options.journal);
    // One writer on this machine: read and continued under the journal's lock.
    const lock = await lockJournal(local.file, { command: `mangaops resume ${options.incident}`, now: io.now });
    try {
      const records = readJournal(local.file);
      const start = records.find((r): r is StartRecord => r.type === 'start');
      const journal = Journal.open(local.file, start?.incident ?? options.incident, io.now);
      // One driver: refused first, naming who drives, unless --take.
      const { previous } = await trackContinued(team, local, journal, options.take);
      if (start?.mode === 'act') return await resumeAct({ ...options, rest: [] }, config, io, team, journal, previous);
      return await resumeWalk(options, config, io, team, journal, records, previous);
    } finally {
      lock.release();
    }
  });
}

async function resumeWalk(options: ResumeOptions, config: Config, io: Io, team: Team | undefined, journal: Journal, records: JournalRecord[], previous: string | undefined): Promise<number> {
  const file = journal.file;
  const start = records.find((r): r is StartRecord => r.type === 'start');
  const evidence = records.find((r): r is EvidenceRecord => r.type === 'evidence');
  if (!start || !evidence) throw new MangaopsError(`${file} has no start and evidence records: nothing to resume`);
  const last = records[records.length - 1]!;
  if (last.type === 'end' && last.status === 'resolved') {
    throw new MangaopsError(`incident ${start.incident} already ended at ${last.at} with "${last.outcomeTitle ?? last.outcome}"`, 1, `mangaops journal show ${start.incident}`);
  }
  const { loaded } = await runbookFor(start.runbook, options, io, config);
  if (loaded.hash !== start.runbookHash) {
    throw new MangaopsError(
      `runbook ${start.runbook} changed since incident ${start.incident} started (sha256 ${start.runbookHash.slice(0, 12)} → ${loaded.hash.slice(0, 12)}): the recorded path may not exist in it any more`,
      1,
      `start a new walk: mangaops ${start.mode === 'drill' ? 'drill' : 'diagnose'} ${start.runbook}`,
    );
  }
  if (start.mode === 'act') throw new MangaopsError(`incident ${start.incident} was a single action, not a walk`, 1, `mangaops undo ${start.incident}`);
  // --answer typos are refused here as in drill and diagnose, before anything is journaled.
  assertCanWalk(io, options, loaded.runbook);
  const { decisions, doneSteps, stepsSoFar } = replayOf(records);
  const stream = walkStream(io, loaded.runbook, options.json);
  stream.events.subscribe(journalWriter(journal));
  const c = style(stream.screen.color);
  stream.screen.report.write(wrap(`${c.bold(`RESUME ${start.incident}`)} — ${start.runbook}, evidence as recorded at ${evidence.at}`, io.columns, '', '  ') + '\n');
  stream.events.emit({ type: 'incident.resumed', incident: start.incident, ...whoOf(team, io), evidence: evidence.evidence, at: evidence.at, ...(previous && options.take && { take: { reason: options.take, from: previous } }) });

  const drillCase = start.drillCase ? loaded.runbook.drills.find((d) => d.name === start.drillCase) : undefined;
  const startedAt = Date.parse(start.at);
  let watch: WatchSetup | undefined;
  if (start.mode === 'drill' && drillCase) {
    // A fresh world, in which the fixes confirmed before the interruption have long taken effect.
    const now = io.now();
    const world = new DrillWorld(loaded.runbook, drillCase, now);
    for (const r of records) {
      if (r.type === 'step' && r.status === 'confirmed' && r.action && !(r.detail as { undoOf?: number } | undefined)?.undoOf) world.apply(r.step, r.action, r.params ?? {}, now - 3_600_000);
    }
    watch = drillWatch(world, options);
  } else if (start.mode === 'diagnose') {
    const { createLiveSource } = await import('../walk/live-source.js');
    watch = liveWatch(loaded.runbook, createLiveSource({ config, region: options.region, profile: options.profile, env: io.env, now: io.now }), io, options);
  }
  let score: DrillScore | undefined;
  const req: WalkRequest = {
    io,
    loaded,
    kind: start.mode,
    flags: { ...options, journal: file },
    incident: start.incident,
    journalFile: file,
    ...stream,
    evidence: evidence.evidence,
    evidenceMs: evidence.ms,
    sourceName: start.source,
    drillCase: start.drillCase,
    ports: start.mode === 'drill' ? simulatedPortsLazy(config) : livePortsLazy({ ...options, config, env: io.env }),
    config,
    guard: teamGuard({ team, config, events: stream.events, now: io.now, wait: options.wait, lock: options.lock }),
    resume: { replay: { decisions, doneSteps }, stepsSoFar },
    defaultAnswers: drillCase?.answers,
    observations: drillCase?.observations,
    finish: drillCase ? (output) => ({ score: (score = scoreDrill(loaded.runbook, drillCase, evidence.evidence, output, startedAt)) }) : undefined,
    watch,
  };
  const result = await runWalk(req, startedAt);
  // A resumed drill ends as a fresh one does: its score, then where the journal is.
  if (score && result.end !== 'aborted') printScore(score, loaded.runbook, false, stream.screen);
  const drill = score && drillCase ? { drill: { case: drillCase.name, expected: drillCase.expect, score } } : {};
  endWalk(io, req, result, stream.screen, options.json, drill);
  return exitCodeOf(result);
}
