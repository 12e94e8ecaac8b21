// mangaops act <action> --<param> <value>…  — one remediation through the runner — and
// mangaops act --list, the catalogue with its parameters.
import { statSync } from 'node:fs';
import { actions, getAction, type AnyAction } from '../capabilities/actions.js';
import { livePorts } from '../capabilities/adapters.js';
import { paramSpecs, placeholderOf, usageLine } from '../capabilities/params.js';
import type { Ports } from '../capabilities/ports.js';
import type { Config } from '../core/config.js';
import { EXIT, MangaopsError, NeedsHumanError, UsageError } from '../core/errors.js';
import { interruptedBy, type Io } from '../core/io.js';
import { Events, type EndStatus } from '../events/events.js';
import { Journal, journalFileFor, newIncidentId, readJournal } from '../journal/journal.js';
import { lockJournal } from '../journal/lock.js';
import type { ApprovalRecord, JournalRecord, StartRecord, StepRecord } from '../journal/records.js';
import { journalWriter } from '../journal/writer.js';
import { approvalsOf } from '../team/settings.js';
import { trackContinued, trackNew } from '../team/session.js';
import { localIncident, type LocalIncident } from '../team/sync-all.js';
import type { Team } from '../team/team.js';
import { substitute } from '../runbook/placeholders.js';
import { runAction, validateParams, type RunOutcome } from '../runner/runner.js';
import { terminalRenderer } from '../ui/renderer.js';
import { screenOf } from '../ui/screen.js';
import { style } from '../ui/style.js';
import type { RecoveryResult } from '../events/events.js';
import type { EvidenceSource } from '../walk/sources.js';
import { parseFlags } from './act-flags.js';
import { watchedFix, watchFix } from './watch-fix.js';
import { configFor, type CommonOptions } from './context.js';
import { fixContext } from './fix-context.js';
import { openTeamFor, whoOf, withTeam, type LeaseFlags } from './team-context.js';

/** --plan-timeout, --apply-timeout, --verify-timeout (milliseconds): over config `deadlines`. */
export interface DeadlineFlags {
  planTimeout?: number;
  applyTimeout?: number;
  verifyTimeout?: number;
}

export interface ActOptions extends CommonOptions, DeadlineFlags, LeaseFlags {
  action?: string;
  /** --help after an action: its parameters. */
  help?: boolean;
  list?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  force?: boolean;
  journal?: string;
  redisUrl?: string;
  /** false with --no-watch: an act on a diagnosed incident (--journal) does not watch its recovery. */
  watch?: boolean;
  watchInterval?: number;
  rest: string[];
}

/** Test seams: the platform, the clock's sleep, verify's deadline, the recovery watch's evidence. The CLI passes none. */
export interface ActDeps {
  ports?: Ports;
  sleep?: (ms: number) => Promise<void>;
  deadlineMs?: number;
  source?: EvidenceSource;
}

// ── act --list ──────────────────────────────────────────────────────────────────────

/** An action's defaults resolved against the config; one whose placeholder is not in the config is dropped. */
function defaultsFor(action: AnyAction, config: Config): Record<string, unknown> {
  const resolved = substitute(action.defaults, config);
  return Object.fromEntries(Object.entries(resolved).filter(([, v]) => !(typeof v === 'string' && v.includes('${'))));
}

function catalogueRows(config: Config) {
  return actions.map((action) => {
    const defaults = defaultsFor(action, config);
    const raw = action.defaults;
    return {
      name: action.name,
      describe: action.describe,
      params: paramSpecs(action.params).map((p) => ({
        name: p.name,
        flag: p.flag,
        kind: p.kind,
        required: p.required && !(p.name in defaults),
        default: p.name in defaults ? defaults[p.name] : p.default,
        from: typeof raw[p.name] === 'string' && String(raw[p.name]).includes('${') ? raw[p.name] : undefined,
      })),
    };
  });
}

function listText(config: Config, io: Io): string {
  const c = style(screenOf(io).color);
  const lines: string[] = [];
  for (const row of catalogueRows(config)) {
    lines.push(c.bold(row.name));
    lines.push(`  ${row.describe}`);
    for (const p of row.params) {
      const def = p.default !== undefined ? `default ${JSON.stringify(p.default)}${p.from ? ` (${p.from})` : ''}` : p.required ? 'required' : 'optional';
      lines.push(`    ${`${p.flag} ${placeholderOf(p.kind)}`.padEnd(34)} ${c.dim(def)}`);
    }
    lines.push('');
  }
  lines.push(
    'Flags are the parameter names, kebab-case or camelCase (--desired-count, --desiredCount), as',
    '--flag value or --flag=value. Records take KEY=VALUE and repeat: --env BEDROCK_POOL_SIZE=10',
    '--env BEDROCK_KEEPALIVE_INTERVAL=15; lists repeat: --queries "a" --queries "b". Defaults come',
    'from the config (--config, MANGAOPS_CONFIG). Every action plans first; --dry-run stops there.',
  );
  return lines.join('\n') + '\n';
}

/** `mangaops act <action> --help`: what it does, its usage line and its parameters. */
function actionHelp(action: AnyAction, config: Config, io: Io): string {
  const row = catalogueRows(config).find((r) => r.name === action.name)!;
  const c = style(screenOf(io).color);
  const lines = [`Usage: ${usageLine(action, Object.keys(defaultsFor(action, config)))}`, '', action.describe, '', c.bold('Parameters:')];
  for (const p of row.params) {
    const def = p.default !== undefined ? `default ${JSON.stringify(p.default)}${p.from ? ` (${p.from})` : ''}` : p.required ? 'required' : 'optional';
    lines.push(`  ${`${p.flag} ${placeholderOf(p.kind)}`.padEnd(34)} ${def}`);
  }
  lines.push('', 'Every action plans first and asks before it changes anything; --dry-run stops after the plan, --yes confirms without asking.');
  return lines.join('\n') + '\n';
}

// ── the journal an act writes to ────────────────────────────────────────────────────

interface OpenedJournal {
  journal: Journal;
  /** The journal and the terminal, as subscribers. */
  events: Events;
  nextStep: () => number;
  /** A new incident of its own: it gets start and end events. */
  own: boolean;
  /** Give up the journal's lock: another process may write to it again. */
  release: () => void;
}

function opened(journal: Journal, io: Io, step: number, own: boolean, release: () => void, json?: boolean): OpenedJournal {
  const events = new Events(journalWriter(journal), terminalRenderer(screenOf(io, json)));
  return { journal, events, nextStep: () => ++step, own, release };
}

/**
 * An existing journal, continued under its lock: its step numbers go on from the last, read
 * once the lock is held, so two processes never take the same number.
 */
export async function continueJournal(file: string, io: Io, command: string, json?: boolean, journal?: Journal): Promise<OpenedJournal> {
  const lock = await lockJournal(file, { command, now: io.now });
  try {
    return continueLocked(file, io, lock.release, json, journal);
  } catch (e) {
    lock.release();
    throw e;
  }
}

function continueLocked(file: string, io: Io, release: () => void, json?: boolean, journal?: Journal): OpenedJournal {
  const records = readJournal(file);
  const incident = records[0]?.incident ?? file.replace(/^.*\//, '').replace(/\.jsonl$/, '');
  const step = Math.max(0, ...records.flatMap((r) => (r.type === 'step' ? [r.step] : [])));
  return opened(journal ?? Journal.open(file, incident, io.now), io, step, false, release, json);
}

const hasRecords = (file: string) => {
  try {
    return statSync(file).size > 0;
  } catch {
    return false;
  }
};

/** --journal: an existing journal file or incident id (here, or in the team table) is continued; a new path starts one. */
async function openActJournal(action: string, options: Pick<ActOptions, 'journal' | 'dryRun' | 'region' | 'profile' | 'json'>, io: Io, team: Team | undefined): Promise<OpenedJournal> {
  const command = `mangaops act ${action}`;
  if (options.journal && !options.journal.includes('/') && !options.journal.endsWith('.jsonl') && !hasRecords(options.journal)) {
    const local: LocalIncident = await localIncident(team, options.journal, io.env, io.now);
    const o = await continueJournal(local.file, io, command, options.json);
    await trackContinued(team, local, o.journal);
    return o;
  }
  const incident = newIncidentId(io.now(), `act-${action.replace(/\./g, '-')}`);
  const file = journalFileFor(incident, options.journal, io.env);
  // Locked before looking: of many processes starting on one new --journal, one creates it and the others continue it.
  const lock = await lockJournal(file, { command, now: io.now });
  if (hasRecords(file)) {
    const o = continueLocked(file, io, lock.release, options.json);
    await trackContinued(team, { file }, o.journal);
    return o;
  }
  const o = opened(Journal.create({ incident, file, env: io.env, now: io.now }), io, 0, true, lock.release, options.json);
  trackNew(team, o.journal);
  o.events.emit({
    type: 'incident.started',
    incident,
    mode: 'act',
    runbook: action,
    runbookFile: '',
    runbookHash: '',
    ...whoOf(team, io),
    source: `act ${action}${options.region ? ` (region ${options.region})` : ''}${options.profile ? ` (profile ${options.profile})` : ''}`,
    options: { dryRun: Boolean(options.dryRun) },
  });
  return o;
}

// ── the result ──────────────────────────────────────────────────────────────────────

export function resultObject(o: RunOutcome, file: string, recovery?: RecoveryResult) {
  return {
    incident: o.incident,
    journal: file,
    step: o.step,
    action: o.action,
    status: o.status,
    summary: o.plan?.summary,
    changes: o.plan?.changes ?? [],
    calls: o.applied?.calls ?? o.plan?.calls ?? [],
    cli: o.plan?.cli ?? [],
    notes: o.plan?.notes ?? [],
    changed: o.changed,
    unchanged: o.unchanged,
    observed: o.observed,
    result: o.applied?.detail,
    lostReply: o.lostReply,
    error: o.error,
    refusal: o.refusal,
    blocked: o.blocked,
    undo: o.undo && ['applied', 'verified', 'failed'].includes(o.status) ? { ...o.undo, command: `mangaops undo ${o.incident} ${o.step}` } : o.undo,
    // act --journal <incident>: the watch of this fix against the incident's outcome.
    ...(recovery && { recovery }),
  };
}

/** The exit code of an outcome; everything has been said on stderr by the runner already. */
function exitCodeOf(o: RunOutcome): number {
  if (o.refusal) return EXIT.usage;
  return ['planned', 'skipped', 'applied', 'verified'].includes(o.status) ? EXIT.ok : EXIT.failure;
}

export function reportOutcome(o: RunOutcome, file: string, json: boolean | undefined, io: Io, recovery?: RecoveryResult): number {
  if (json) {
    io.stdout.write(JSON.stringify(resultObject(o, file, recovery), null, 2) + '\n');
  } else {
    const what = o.plan?.summary ?? o.action;
    io.stdout.write(`${o.status}: ${what}${o.error ? ` — ${o.error}` : ''}\n`);
    if (o.undo && ['applied', 'verified', 'failed'].includes(o.status) && (o.changed?.length ?? 0) > 0) {
      io.stdout.write(`undo: mangaops undo ${o.incident} ${o.step}\n`);
    }
  }
  // A fix that did not bring the symptom back failed at what it was for.
  return recovery && recovery.status !== 'recovered' ? Math.max(exitCodeOf(o), EXIT.failure) : exitCodeOf(o);
}

function endStatus(o: RunOutcome | undefined, error?: unknown): EndStatus {
  // Waiting for an approval or a confirmation: open for someone to resume.
  if (!o) return error instanceof NeedsHumanError ? 'needs-human' : 'failed';
  if (o.status === 'verified' || o.status === 'applied' || o.status === 'skipped') return 'resolved';
  if (o.status === 'planned') return 'stopped';
  if (o.status === 'declined') return 'aborted';
  return 'failed';
}

// ── act ─────────────────────────────────────────────────────────────────────────────

/**
 * An act that continues a diagnosed incident (--journal <incident>) watches its fix's recovery
 * as the walk would have: the incident's outcome says what recovered means.
 */
async function watchAfterAct(o: RunOutcome, opened: OpenedJournal, options: ActOptions, io: Io, deps: ActDeps, ports: () => Ports, team: Team | undefined, config: Config): Promise<RecoveryResult | undefined> {
  if (opened.own || options.watch === false || !['applied', 'verified'].includes(o.status)) return undefined;
  const records = readJournal(opened.journal.file);
  const start = records.find((r): r is StartRecord => r.type === 'start');
  if (start?.mode !== 'diagnose' || !records.some((r) => r.type === 'node' && r.nodeType === 'outcome')) return undefined;
  const fix = watchedFix(records, start.incident);
  return watchFix({ fix, start, events: opened.events, nextStep: opened.nextStep, ports, team, config }, options, io, deps);
}

export async function act(options: ActOptions, io: Io, deps: ActDeps = {}): Promise<number> {
  const config = await configFor(options, io);
  if (options.list) {
    if (options.json) io.stdout.write(JSON.stringify(catalogueRows(config), null, 2) + '\n');
    else io.stdout.write(listText(config, io));
    return EXIT.ok;
  }
  if (!options.action) throw new UsageError('which action?', 'mangaops act --list shows the catalogue');
  const action = getAction(options.action);
  const defaults = defaultsFor(action, config);
  if (options.help || options.rest.includes('--help') || options.rest.includes('-h')) {
    io.stdout.write(actionHelp(action, config, io));
    return EXIT.ok;
  }
  const params = { ...defaults, ...parseFlags(action, options.rest ?? [], Object.keys(defaults)) };
  // Refused parameters start no incident: checked before the journal is opened.
  validateParams(action, params, 'flag');
  approvalsOf(config);

  return withTeam(openTeamFor(options, config, io), async (team) => {
    const opened = await openActJournal(action.name, options, io, team);
    const ports = deps.ports ?? livePorts({ region: options.region, profile: options.profile, redisUrl: options.redisUrl, env: io.env, config });
    return runOne(action.name, params, { opened, ports, config, options, io, deps, team });
  });
}

interface RunOneContext {
  opened: OpenedJournal;
  ports: Ports;
  config: Config;
  options: ActOptions;
  io: Io;
  deps: ActDeps;
  team: Team | undefined;
}

/** One action through the runner, as `act` and the resume of an act incident run it. */
async function runOne(action: string, params: Record<string, unknown>, c: RunOneContext, run: { text?: string } = {}): Promise<number> {
  const { opened, ports, config, options, io, deps, team } = c;
  const ctx = fixContext({ journal: opened, incident: opened.journal.incident, ports, config, flags: options, io, seams: deps, team });
  const started = io.now();
  let outcome: RunOutcome | undefined;
  let failure: unknown;
  let ended = false;
  const end = (status: EndStatus, message?: string) => {
    if (ended || !opened.own) return;
    ended = true;
    opened.events.emit({ type: 'incident.ended', status, message, ms: io.now() - started });
  };
  // A signal at any stage ends the incident's journal; one during apply has journaled its step first.
  const stopListening = io.onInterrupt?.((signal) => end('aborted', interruptedBy(signal)));
  try {
    outcome = await runAction(action, params, ctx, { paramStyle: 'flag', ...run });
    const recovery = await watchAfterAct(outcome, opened, options, io, deps, () => ports, team, config);
    return reportOutcome(outcome, opened.journal.file, options.json, io, recovery);
  } catch (e) {
    failure = e;
    throw e;
  } finally {
    stopListening?.();
    end(endStatus(outcome, failure), outcome?.error ?? (failure as Error | undefined)?.message);
    opened.release();
    await ports.close();
  }
}

// ── resume of an act incident: the step that waited for approval ────────────────────

/** The step an act incident waits on: its last approval request, not yet applied since. */
function waitingStep(records: JournalRecord[], incident: string): { request: ApprovalRecord; planned: StepRecord } {
  const request = records.filter((r): r is ApprovalRecord => r.type === 'approval' && r.status === 'requested').at(-1);
  if (!request) throw new MangaopsError(`incident ${incident} was a single action, and it is not waiting for an approval`, 1, `mangaops journal show ${incident}; mangaops undo ${incident} undoes it`);
  const done = records.find((r): r is StepRecord => r.type === 'step' && r.step > request.step && r.action === request.action && ['applied', 'verified', 'skipped'].includes(r.status));
  if (done) throw new MangaopsError(`incident ${incident}: ${request.action} was ${done.status} as step ${done.step} already`, 1, `mangaops journal show ${incident}`);
  const planned = records.find((r): r is StepRecord => r.type === 'step' && r.step === request.step && r.status === 'planned');
  if (!planned?.action) throw new MangaopsError(`incident ${incident}: step ${request.step} has no plan on record`, 1, 'the journal was edited by hand?');
  return { request, planned };
}

/**
 * `mangaops resume <incident>` of an incident `act` started: the step that waited for its
 * approvals is planned again (the approval must be of that same plan) and applied through
 * the same runner, as a new step of the same incident. The driver role is already claimed
 * (`journal` follows into the team table); `previous` is who drove before a take-over.
 */
export async function resumeAct(options: ActOptions & { take?: string }, config: Config, io: Io, team: Team | undefined, journal: Journal, previous: string | undefined, deps: ActDeps = {}): Promise<number> {
  const records = readJournal(journal.file);
  const start = records.find((r): r is StartRecord => r.type === 'start')!;
  // resume holds the journal's lock already.
  const o = continueLocked(journal.file, io, () => {}, options.json, journal);
  const take = previous && options.take ? { reason: options.take, from: previous } : undefined;
  o.events.emit({ type: 'incident.resumed', incident: start.incident, ...whoOf(team, io), evidence: {}, at: start.at, ...(take && { take }) });
  let waiting: ReturnType<typeof waitingStep>;
  try {
    waiting = waitingStep(records, start.incident);
  } catch (e) {
    // Taking an incident over is a resume of its own: the driver role was the point.
    if (!take) throw e;
    if (options.json) io.stdout.write(JSON.stringify({ incident: start.incident, driving: true, takenOverFrom: take.from, waitingStep: null, note: (e as Error).message }, null, 2) + '\n');
    else io.stdout.write(`You drive incident ${start.incident} now (taken over from ${take.from}). ${(e as Error).message}.\n`);
    return EXIT.ok;
  }
  const ports = deps.ports ?? livePorts({ region: options.region, profile: options.profile, redisUrl: options.redisUrl, env: io.env, config });
  // The incident ends again, whatever this run comes to.
  return runOne(waiting.planned.action!, waiting.planned.params ?? {}, { opened: { ...o, own: true }, ports, config, options, io, deps, team });
}
