// `mangaops alarms`: the account's alarms now in ALARM (DescribeAlarms, metric and composite),
// each with the runbook that answers it or "no runbook"; `--event-pattern` prints the
// EventBridge pattern for the runbooks' alarms (the one deploy/template.yaml installs).
// Also how `diagnose --alarm` finds its alarm: by name or ARN, and the runbook that answers it.
import type { AlarmInfo, AlarmsPort } from '../capabilities/cloudwatch/alarms.js';
import { alarmNameOf } from '../capabilities/cloudwatch/alarms.js';
import { classifyError, createAws, credentialsError, errorLine, errorName, type Aws } from '../capabilities/aws.js';
import type { Config } from '../core/config.js';
import { MangaopsError, UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { fmtTime } from '../core/time.js';
import { alarmWatches, eventPattern, runbooksForAlarm, type AlarmMatch } from '../runbook/alarms.js';
import { findRunbook, loadAll } from '../runbook/catalog.js';
import type { LoadedRunbook } from '../runbook/load.js';
import { screenOf } from '../ui/screen.js';
import { style } from '../ui/style.js';
import { wrap } from '../ui/wrap.js';
import { cacheFor, configFor, type CommonOptions } from './context.js';

export interface AlarmsOptions extends CommonOptions {
  eventPattern?: boolean;
}

/** DescribeAlarms answers in well under a second; a hung connection must not hold an on-call screen. */
const DESCRIBE_TIMEOUT_MS = 10_000;

async function alarmsPort(aws: Aws): Promise<AlarmsPort> {
  return (await import('../capabilities/cloudwatch/alarms-live.js')).createLiveAlarms(aws);
}

/** A DescribeAlarms failure as one line: credentials say how to fix them, a denial names the permission. */
function describeFailed(e: unknown, aws: Aws): MangaopsError {
  const kind = classifyError(e);
  if (kind === 'credentials') return credentialsError(e, aws);
  const hint = kind === 'denied' ? 'the role needs cloudwatch:DescribeAlarms (mangaops iam-policy lists it)' : kind === 'timeout' ? `no answer from CloudWatch in ${aws.region} within ${DESCRIBE_TIMEOUT_MS / 1000} s` : undefined;
  return new MangaopsError(`DescribeAlarms failed: ${errorName(e)}: ${errorLine(e)}`, 1, hint);
}

export interface AlarmRow {
  name: string;
  arn: string | null;
  type: AlarmInfo['type'];
  state: string;
  since: string | null;
  watches: string;
  threshold: string | null;
  reason: string | null;
  runbook: string | null;
  matchedBy: string | null;
  /** Other runbooks whose matchers also take this alarm. */
  also: string[];
}

function rowOf(alarm: AlarmInfo, matches: AlarmMatch[]): AlarmRow {
  return {
    name: alarm.name,
    arn: alarm.arn ?? null,
    type: alarm.type,
    state: alarm.state,
    since: alarm.stateUpdatedAt ? fmtTime(alarm.stateUpdatedAt) : null,
    watches: alarmWatches(alarm),
    threshold: alarm.threshold ? `${alarm.threshold.op} ${alarm.threshold.value}` : null,
    reason: alarm.reason ?? null,
    runbook: matches[0]?.runbook ?? null,
    matchedBy: matches[0]?.why ?? null,
    also: matches.slice(1).map((m) => m.runbook),
  };
}

export async function alarms(options: AlarmsOptions, io: Io): Promise<number> {
  const config = await configFor(options, io);
  const runbooks = (await loadAll(config, cacheFor(io))).map((l) => l.runbook);
  if (options.eventPattern) {
    io.stdout.write(JSON.stringify(eventPattern(runbooks), null, 2) + '\n');
    return 0;
  }
  const aws = createAws({ config, region: options.region, profile: options.profile, env: io.env });
  const port = await alarmsPort(aws);
  let found: AlarmInfo[];
  try {
    found = await port.inAlarm(AbortSignal.timeout(DESCRIBE_TIMEOUT_MS));
  } catch (e) {
    throw describeFailed(e, aws);
  }
  const rows = found.map((a) => rowOf(a, runbooksForAlarm(runbooks, a)));
  if (options.json) {
    io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  if (rows.length === 0) {
    io.stderr.write(`no alarm is in ALARM in ${aws.region}\n`);
    return 0;
  }
  const c = style(screenOf(io).color);
  const cells = rows.map((r) => [r.name, r.since ?? '?', r.runbook ? r.runbook + (r.also.length ? ` (also ${r.also.join(', ')})` : '') : 'no runbook', r.watches]);
  const head = ['ALARM', 'SINCE (UTC)', 'RUNBOOK', 'WATCHES'];
  const widths = head.slice(0, -1).map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const left = widths.reduce((n, w) => n + w + 2, 0);
  const line = (row: string[]) => wrap(row.map((cell, i) => (i < widths.length ? cell.padEnd(widths[i]!) : cell)).join('  '), io.columns, '', ' '.repeat(left));
  io.stdout.write(c.bold(line(head)) + '\n');
  for (const [i, row] of cells.entries()) io.stdout.write((rows[i]!.runbook ? line(row) : c.dim(line(row))) + '\n');
  const answered = rows.find((r) => r.runbook);
  if (answered) io.stderr.write(`walk one: mangaops diagnose --alarm ${answered.name}\n`);
  return 0;
}

export interface AlarmAnchor {
  alarm: AlarmInfo;
  /** The runbook to walk: the one given, else the alarm's. */
  loaded: LoadedRunbook;
  /** Where the evidence window ends: the alarm's state change. */
  at: Date | undefined;
  match?: AlarmMatch;
}

/**
 * `diagnose --alarm <name|arn>`: the alarm read from CloudWatch, the runbook that answers it
 * (unless one is named), and its state change as the evidence's moment. No runbook answering
 * is a usage error naming the alarm's metric and the runbooks to choose from.
 */
export async function anchorOnAlarm(nameOrArn: string, scenario: string | undefined, config: Config, options: CommonOptions, io: Pick<Io, 'env'>): Promise<AlarmAnchor> {
  const name = alarmNameOf(nameOrArn);
  const aws = createAws({ config, region: options.region, profile: options.profile, env: io.env });
  const port = await alarmsPort(aws);
  let alarm: AlarmInfo | undefined;
  try {
    alarm = await port.byName(name, AbortSignal.timeout(DESCRIBE_TIMEOUT_MS));
  } catch (e) {
    throw describeFailed(e, aws);
  }
  if (!alarm) throw new UsageError(`no alarm named '${name}' in ${aws.region}`, 'mangaops alarms lists the alarms in ALARM; --region picks another region');
  const cache = cacheFor(io);
  const all = await loadAll(config, cache);
  const matches = runbooksForAlarm(all.map((l) => l.runbook), alarm);
  const loaded = scenario ? await findRunbook(scenario, config, cache) : all.find((l) => l.runbook.id === matches[0]?.runbook);
  if (!loaded) {
    const ids = all.map((l) => l.runbook.id);
    const at = alarm.stateUpdatedAt ? ` --at ${fmtTime(alarm.stateUpdatedAt)}` : '';
    throw new UsageError(`no runbook answers alarm '${alarm.name}' (${alarmWatches(alarm)})`, `runbooks: ${ids.join(', ')} — walk one anchored at the alarm: mangaops diagnose <runbook> --alarm ${alarm.name}, or mangaops diagnose <runbook>${at}`);
  }
  return { alarm, loaded, at: alarm.stateUpdatedAt, match: matches.find((m) => m.runbook === loaded.runbook.id) };
}
