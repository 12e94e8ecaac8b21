// `mangaops diagnose <scenario>`: the walk on live evidence from the AWS account. The live
// source (and with it the AWS SDK) is imported here, only when this command runs.
import { parseAt } from '../core/time.js';
import type { Io } from '../core/io.js';
import { whoAmI } from '../journal/journal.js';
import { journalLine } from '../ui/format.js';
import { style } from '../ui/style.js';
import { wrap } from '../ui/wrap.js';
import { gatherEvidence } from '../walk/gather.js';
import { livePortsLazy } from '../walk/ports.js';
import { announceStart, assertCanWalk, exitCodeOf, needsHumanError, resultObject, runWalk, type WalkFlags, type WalkRequest } from '../walk/run.js';
import { liveWatch } from '../walk/watch-setup.js';
import { runbookFor, type CommonOptions } from './context.js';
import { newJournal, walkStream } from './walk-stream.js';

export interface DiagnoseOptions extends CommonOptions, WalkFlags {
  scenario: string;
  /** Evaluate as of a past moment: ISO time or -2h. */
  at?: string;
  preflight?: boolean;
  probeTimeout?: number;
  redisUrl?: string;
}

export async function diagnose(options: DiagnoseOptions, io: Io): Promise<number> {
  const { config, loaded } = await runbookFor(options.scenario, options, io);
  const rb = loaded.runbook;
  const at = options.at ? parseAt(options.at, new Date(io.now())) : undefined;
  const sourceOptions = { config, region: options.region, profile: options.profile, at, defaultTimeoutMs: options.probeTimeout, env: io.env, now: io.now, redisUrl: options.redisUrl };
  if (options.preflight) {
    const { runPreflight } = await import('./preflight.js');
    return runPreflight(loaded, sourceOptions, options, io);
  }
  assertCanWalk(io, options, rb);
  const stream = walkStream(io, rb, options.json);
  const c = style(stream.screen.color);
  stream.screen.report.write(wrap(`${c.bold(`DIAGNOSE ${rb.id}`)}: ${rb.title}${rb.severity ? ` (${rb.severity})` : ''}`, io.columns, '', '  ') + '\n');
  const { createLiveSource } = await import('../walk/live-source.js');
  const source = createLiveSource(sourceOptions);
  const startedAt = io.now();
  const { evidence, ms } = await gatherEvidence(rb, source, stream.events, io.now, options.probeTimeout);
  const journal = await newJournal(stream, io, rb.id, options.journal, `mangaops diagnose ${rb.id}`);
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
    recorded: { auto: Boolean(options.auto), at: at?.toISOString(), dryRun: Boolean(options.dryRun), answers: options.answer ?? [] },
    // The watch reads the account as it is now, whatever --at replayed (it says it does not watch then).
    watch: liveWatch(rb, createLiveSource({ ...sourceOptions, at: undefined }), io, { ...options, at }),
  };
  announceStart(req, whoAmI(io.env));
  const result = await runWalk(req, startedAt);
  if (options.json) io.stdout.write(JSON.stringify(resultObject(req, result), null, 2) + '\n');
  stream.screen.report.write(journalLine(result.incident, io.columns));
  const stop = needsHumanError(result, options.json);
  if (stop) throw stop;
  return exitCodeOf(result);
}
