// `mangaops on-alarm --event FILE|-`: an EventBridge alarm state change, or an SNS
// notification of one, in; on a transition into ALARM the pre-diagnosis (alarm/on-alarm.ts)
// on live evidence, journaled, and one message to the chat webhook. A transition out of ALARM
// or a duplicate delivery does nothing and says why in one line (exit 0); an alarm no runbook
// answers names its metric (exit 2). The Lambda handler runs the same code (lambda/handler.ts).
import { readFile } from 'node:fs/promises';
import { handleAlarmEvent, type AlarmHandled, type OnAlarmDeps } from '../alarm/on-alarm.js';
import { localClaims, teamClaims } from '../alarm/claims.js';
import { readAlarmEventText, type AlarmEvent } from '../alarm/event.js';
import type { Config } from '../core/config.js';
import { EXIT, UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { loadAll } from '../runbook/catalog.js';
import { livePorts } from '../capabilities/adapters.js';
import type { RecoveryResult } from '../events/events.js';
import type { StartRecord } from '../journal/records.js';
import { livePortsLazy } from '../walk/ports.js';
import type { Team } from '../team/team.js';
import { cacheFor, configFor, type CommonOptions } from './context.js';
import { openTeamFor, withTeam } from './team-context.js';

export interface OnAlarmOptions extends CommonOptions {
  /** A file, or - for stdin. */
  event: string;
  probeTimeout?: number;
  /** --no-watch: do not watch the recovery of a fix autoApply let through. */
  watch?: boolean;
  watchInterval?: number;
}

/**
 * A fix autoApply let through is watched like any other, once the message is out: the engineer
 * is told at once, and the journal (and the team table) then says whether the symptom came
 * back, as `mangaops watch <incident>` would — an undo applied on worse where autoApply allows.
 */
async function watchAutoApplied(h: Extract<AlarmHandled, { status: 'pre-diagnosed' }>, options: OnAlarmOptions, config: Config, io: Io, team: Team | undefined): Promise<RecoveryResult | undefined> {
  if (options.watch === false || !h.applied.some((a) => a.status === 'applied' || a.status === 'verified')) return undefined;
  const [{ continueJournal }, { watchedFix, watchFix }, { readJournal }, { trackContinued }] = await Promise.all([import('./act.js'), import('./watch-fix.js'), import('../journal/journal.js'), import('../team/session.js')]);
  const records = readJournal(h.journal);
  const start = records.find((r): r is StartRecord => r.type === 'start')!;
  const opened = await continueJournal(h.journal, io, `mangaops on-alarm (watch ${h.incident})`, options.json);
  const ports = livePorts({ region: options.region, profile: options.profile, env: io.env, config });
  try {
    await trackContinued(team, { file: h.journal }, opened.journal);
    io.stderr.write(`watching the recovery of ${h.incident} (mangaops watch ${h.incident} re-attaches)\n`);
    return await watchFix({ fix: watchedFix(records, h.incident), start, events: opened.events, nextStep: opened.nextStep, ports: () => ports, team, config }, { ...options, json: true }, io);
  } finally {
    opened.release();
    await ports.close();
  }
}

async function eventsFrom(options: OnAlarmOptions, io: Io): Promise<AlarmEvent[]> {
  if (options.event === '-') {
    const text = await io.readStdin?.();
    if (text === undefined) throw new UsageError('--event - reads the event from stdin, and nothing is piped in', 'mangaops on-alarm --event event.json, or: cat event.json | mangaops on-alarm --event -');
    return readAlarmEventText(text, 'stdin');
  }
  let text: string;
  try {
    text = await readFile(options.event, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${options.event}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'pass the event as a JSON file, or - for stdin');
  }
  return readAlarmEventText(text, options.event);
}

/** The live dependencies: AWS in the alarm's region (unless --region), claims in the state dir. */
export async function liveDeps(config: Config, io: Io, options: CommonOptions & { probeTimeout?: number; webhook?: string }, team?: Team): Promise<OnAlarmDeps> {
  const { createLiveSource } = await import('../walk/live-source.js');
  const region = (fromEvent?: string) => options.region ?? fromEvent;
  return {
    io,
    config,
    runbooks: await loadAll(config, cacheFor(io)),
    claims: team ? teamClaims(team, localClaims(io.env)) : localClaims(io.env),
    team,
    source: ({ region: r, at }) => createLiveSource({ config, region: region(r), profile: options.profile, at, defaultTimeoutMs: options.probeTimeout, env: io.env, now: io.now }),
    ports: ({ region: r }) => livePortsLazy({ region: region(r), profile: options.profile, config, env: io.env }),
    webhook: options.webhook ?? (io.env.MANGAOPS_WEBHOOK_URL || config.notify?.webhook || undefined),
    json: options.json,
    probeTimeoutMs: options.probeTimeout,
  };
}

/** What the exit code says: a runbook-less alarm is a usage matter (as diagnose --alarm); everything handled is 0. */
export function exitCodeOfHandled(handled: AlarmHandled[]): number {
  return handled.some((h) => h.status === 'no-runbook') ? EXIT.usage : EXIT.ok;
}

export async function onAlarm(options: OnAlarmOptions, io: Io): Promise<number> {
  const events = await eventsFrom(options, io);
  const config = await configFor(options, io);
  const handled: AlarmHandled[] = [];
  await withTeam(openTeamFor(options, config, io), async (team) => {
    const deps = await liveDeps(config, io, options, team);
    for (const e of events) {
      const h = await handleAlarmEvent(e, deps);
      if (h.status !== 'pre-diagnosed') io.stderr.write(`mangaops: ${h.reason}\n`);
      const recovery = h.status === 'pre-diagnosed' ? await watchAutoApplied(h, options, config, io, team) : undefined;
      handled.push(recovery && h.status === 'pre-diagnosed' ? { ...h, recovery } : h);
    }
  });
  if (options.json) io.stdout.write(JSON.stringify({ handled }, null, 2) + '\n');
  return exitCodeOfHandled(handled);
}
