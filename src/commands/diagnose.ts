// `mangaops diagnose <scenario>`: the walk on live evidence from the AWS account. The live
// source (and with it the AWS SDK) is imported here, only when this command runs. This module
// starts the reads: CloudWatch's batch goes out before the walk's machinery (the engine, the
// team, the journal, the cards: diagnose-walk.ts) is loaded, which happens while it is in flight.
import type { Config } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import { fmtTime, parseAt } from '../core/time.js';
import type { Io } from '../core/io.js';
import { heldEvents } from '../events/events.js';
import type { LoadedRunbook } from '../runbook/load.js';
import { assertCanWalk } from '../walk/flags.js';
import { gatherEvidence } from '../walk/gather.js';
import { configFor, runbookFor } from './context.js';
import type { DiagnoseOptions } from './diagnose-walk.js';

export type { DiagnoseOptions } from './diagnose-walk.js';

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
  // The reads go first: the journal's folder is checked, and the title drawn, by
  // diagnose-walk.ts, which loads while they are in flight.
  const { createLiveSource, firstRequestSent } = await import('../walk/live-source.js');
  const source = createLiveSource(sourceOptions);
  const held = heldEvents();
  const startedAt = io.now();
  const onTheWire = firstRequestSent();
  const gathering = gatherEvidence(rb, source, held.events, io.now, options.probeTimeout);
  // The rest of the walk loads once the first request is out (or the gather is over, or after
  // half a second): its loading then overlaps the wait for the answer instead of delaying it.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([onTheWire, gathering.then(() => {}, () => {}), new Promise((resolve) => (timer = setTimeout(resolve, 500)))]).finally(() => clearTimeout(timer));
  const { walkDiagnosis } = await import('./diagnose-walk.js');
  return walkDiagnosis({ options, io, config, loaded, at, said, source, gathering, startedAt, held });
}
