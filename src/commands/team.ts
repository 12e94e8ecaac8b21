// The team's commands: `team init` (the table), `team sync` (what an offline run left
// behind), `incidents` (who is on what), `follow` (another engineer's walk, live) and
// `handover`. Each needs a team table and says so plainly when none is configured.
import { MangaopsError, UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { sh } from '../core/shell.js';
import { listJournals, Journal } from '../journal/journal.js';
import type { JournalRecord, StartRecord } from '../journal/records.js';
import { renderHead, renderLine } from '../journal/render.js';
import { resolveRegion } from '../capabilities/aws.js';
import { drivesMessage } from '../team/driver.js';
import { pendingIncidents } from '../team/pending.js';
import { teamSettings } from '../team/settings.js';
import { INDEX, TABLE_DEFINITION, TTL_ATTRIBUTE, type Head, type LeaseItem } from '../team/store.js';
import { localIncident, syncIncidents } from '../team/sync-all.js';
import { isClosing } from '../team/sync.js';
import { tableError, type Team } from '../team/team.js';
import { screenOf } from '../ui/screen.js';
import { style } from '../ui/style.js';
import { wrap } from '../ui/wrap.js';
import { configFor, type CommonOptions } from './context.js';
import { openTeamFor, withTeam } from './team-context.js';

const NO_TABLE_HINT = 'name one in the config (team: {table: mangaops-team}) or set MANGAOPS_TEAM_TABLE=mangaops-team; mangaops team init creates it';

/** The team of this command, or a clear usage error: `what` needs a team table. */
async function requireTeam<T>(options: CommonOptions, io: Io, what: string, run: (team: Team) => Promise<T>): Promise<T> {
  const config = await configFor(options, io);
  if (!teamSettings(config, io.env)) throw new UsageError(`${what} needs the team table, and none is configured`, NO_TABLE_HINT);
  return withTeam(openTeamFor(options, config, io), (team) => run(team!));
}

/** A failure to reach the table where nothing can go on without it. */
function unreachable(team: Team, e: unknown, doing: string): MangaopsError {
  if (e instanceof MangaopsError) return e;
  team.reachable = false;
  return new MangaopsError(`cannot ${doing}: the team table ${team.table} cannot be reached (${tableError(e)})`, 1, 'check the region and credentials (aws sts get-caller-identity), or AWS_ENDPOINT_URL_DYNAMODB');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ── team init ────────────────────────────────────────────────────────────────────────

export interface TeamInitOptions extends CommonOptions {
  dryRun?: boolean;
}

/** The AWS CLI commands that make the same table, to paste or to review. */
export function createTableCommands(table: string, region: string): string[] {
  const attrs = TABLE_DEFINITION.AttributeDefinitions.map((a) => `AttributeName=${a.AttributeName},AttributeType=${a.AttributeType}`).join(' ');
  const keys = TABLE_DEFINITION.KeySchema.map((k) => `AttributeName=${k.AttributeName},KeyType=${k.KeyType}`).join(' ');
  const where = `--region ${sh(region)} --table-name ${sh(table)}`;
  return [
    `aws dynamodb create-table ${where} --billing-mode PAY_PER_REQUEST \\\n    --attribute-definitions ${attrs} \\\n    --key-schema ${keys} \\\n    --global-secondary-indexes ${sh(JSON.stringify(TABLE_DEFINITION.GlobalSecondaryIndexes))}`,
    `aws dynamodb wait table-exists ${where}`,
    `aws dynamodb update-time-to-live ${where} --time-to-live-specification Enabled=true,AttributeName=${TTL_ATTRIBUTE}`,
  ];
}

function initPlan(table: string, region: string, endpoint: string | undefined): string {
  return [
    `Team table ${table} in ${region}${endpoint ? ` (endpoint ${endpoint})` : ''}:`,
    '  keys     pk (partition) + sk (sort), both strings',
    '  items    INC#<incident> / EV#<seq>            one journal record each, in order',
    '           INC#<incident> / HEAD                 runbook, who started it, who drives, status',
    '           INC#<incident> / APPROVAL#<step>#<who> one approval of one step',
    `           LEASE#<resource> / LEASE              who changes it, until when (expires; TTL on ${TTL_ATTRIBUTE})`,
    `  index    ${INDEX} (listing, listedAt): open and closed incidents and live leases, without a Scan`,
    '  billing  on demand (PAY_PER_REQUEST): nothing to pay while nobody is on call',
    '',
    'The same with the AWS CLI:',
    ...createTableCommands(table, region),
    '',
  ].join('\n');
}

export async function teamInit(options: TeamInitOptions, io: Io): Promise<number> {
  const config = await configFor(options, io);
  const settings = teamSettings(config, io.env);
  if (!settings) throw new UsageError('no team table is configured: which table should team init create?', NO_TABLE_HINT);
  const region = resolveRegion({ config, region: options.region, env: io.env });
  const endpoint = io.env.AWS_ENDPOINT_URL_DYNAMODB || io.env.AWS_ENDPOINT_URL;
  const plan = initPlan(settings.table, region, endpoint);
  if (options.dryRun) {
    if (options.json) io.stdout.write(JSON.stringify({ table: settings.table, region, definition: TABLE_DEFINITION, ttl: TTL_ATTRIBUTE, commands: createTableCommands(settings.table, region) }, null, 2) + '\n');
    else io.stdout.write(`${plan}Dry run: nothing was created.\n`);
    return 0;
  }
  const { teamClient, describeTeamTable, createTeamTable, enableTtl } = await import('../team/dynamo.js');
  const tc = await teamClient({ table: settings.table, region: options.region, profile: options.profile, env: io.env, config });
  const say = (text: string, created: boolean) => {
    if (options.json) io.stdout.write(JSON.stringify({ table: settings.table, region, created, status: 'ACTIVE', ttl: TTL_ATTRIBUTE }, null, 2) + '\n');
    else io.stdout.write(`${text}\n`);
    return 0;
  };
  try {
    const state = await describeTeamTable(tc, settings.table);
    if (state) {
      if (!state.matches) throw new MangaopsError(`table ${settings.table} exists, but not as mangaops keys it (pk/sk and the ${INDEX} index): it is not a team table`, 1, 'choose another name (team.table or MANGAOPS_TEAM_TABLE)');
      if (state.ttl !== 'ENABLED' && state.ttl !== 'ENABLING') await enableTtl(tc, settings.table);
      return say(`${settings.table} already exists (${state.status}); TTL on ${TTL_ATTRIBUTE}: nothing to do.`, false);
    }
    io.stderr.write(`creating ${settings.table}…\n`);
    await createTeamTable(tc, settings.table, 120_000, sleep, io.now);
    return say(`Created ${settings.table} in ${region}: on demand, index ${INDEX}, TTL on ${TTL_ATTRIBUTE} (mangaops team init --dry-run shows the design).`, true);
  } catch (e) {
    if (e instanceof MangaopsError) throw e;
    throw new MangaopsError(`cannot create ${settings.table} in ${region}: ${tableError(e)}`, 1, 'dynamodb:CreateTable, DescribeTable, UpdateTimeToLive and DescribeTimeToLive are needed (mangaops iam-policy --only team)');
  }
}

// ── team sync ────────────────────────────────────────────────────────────────────────

export interface TeamSyncOptions extends CommonOptions {
  incidents: string[];
  /** Every journal on this machine, not only those known to be behind. */
  all?: boolean;
}

export async function teamSync(options: TeamSyncOptions, io: Io): Promise<number> {
  return requireTeam(options, io, 'team sync', async (team) => {
    const wanted = options.incidents.length ? options.incidents : options.all ? listJournals(io.env).map((j) => j.incident) : pendingIncidents(io.env);
    if (!wanted.length) {
      if (options.json) io.stdout.write('[]\n');
      else io.stdout.write('Nothing to sync: no journal on this machine is behind the team table (--all checks every one).\n');
      return 0;
    }
    const results = await syncIncidents(team, wanted);
    if (options.json) io.stdout.write(JSON.stringify(results, null, 2) + '\n');
    else {
      for (const r of results) {
        const line = r.error ? `${r.incident}: ${r.error}` : r.uploaded ? `${r.incident}: uploaded ${r.uploaded} record(s); the table has ${r.remote}` : `${r.incident}: up to date (${r.remote} records)`;
        io.stdout.write(wrap(line, io.columns, '', '  ') + '\n');
      }
    }
    return results.some((r) => r.error) || !team.reachable ? 1 : 0;
  });
}

// ── incidents ────────────────────────────────────────────────────────────────────────

export interface IncidentsOptions extends CommonOptions {
  open?: boolean;
}

interface IncidentRow {
  incident: string;
  runbook: string | null;
  mode: string | null;
  startedBy: string | null;
  startedAt: string | null;
  /** Who drives now (a live driver lease), else null. */
  driver: string | null;
  driverUntil: string | null;
  handedTo: string | null;
  status: string;
  outcome: string | null;
  leases: { resource: string; name: string; holder: string; step: number; action: string; since: string; until: string }[];
}

function rowOf(h: Head, leases: LeaseItem[], now: number): IncidentRow {
  const driving = h.driver && (h.driverUntil ?? 0) > now;
  return {
    incident: h.incident,
    runbook: h.runbook ?? null,
    mode: h.mode ?? null,
    startedBy: h.startedBy ?? null,
    startedAt: h.startedAt ?? null,
    driver: driving ? h.driver! : null,
    driverUntil: driving ? new Date(h.driverUntil!).toISOString() : null,
    handedTo: h.handedTo ?? null,
    status: h.status ?? 'open',
    outcome: h.outcome ?? null,
    leases: leases
      .filter((l) => l.incident === h.incident)
      .map((l) => ({ resource: l.resource, name: l.name, holder: l.holder, step: l.step, action: l.action, since: l.since, until: new Date(l.until).toISOString() })),
  };
}

export async function incidents(options: IncidentsOptions, io: Io): Promise<number> {
  return requireTeam(options, io, 'incidents', async (team) => {
    let heads: Head[];
    let leases: LeaseItem[];
    try {
      [heads, leases] = await Promise.all([
        Promise.all([team.store.listIncidents('open', 100), options.open ? [] : team.store.listIncidents('closed', 20)]).then(([a, b]) => [...a, ...b]),
        team.store.leases(),
      ]);
    } catch (e) {
      throw unreachable(team, e, 'list the incidents');
    }
    const now = io.now();
    const live = leases.filter((l) => l.until > now);
    const rows = heads.sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? '')).map((h) => rowOf(h, live, now));
    if (options.json) {
      io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      return 0;
    }
    // Leases of incidents not listed here (older, or never synced) still stop others: say whose.
    const orphans = live.filter((l) => !rows.some((r) => r.incident === l.incident));
    const leaseLine = (l: LeaseItem) => `leased: ${l.name} (${l.resource}) by ${l.holder}, incident ${l.incident} step ${l.step} ${l.action}, until ${new Date(l.until).toISOString().slice(11, 19)} UTC`;
    if (!rows.length) io.stderr.write(options.open ? 'no open incidents\n' : 'no incidents in the team table yet\n');
    const c = style(screenOf(io).color);
    for (const r of rows) {
      io.stdout.write(wrap(`${c.bold(r.incident)}  ${r.runbook ?? '?'}${r.mode === 'drill' ? ' (drill)' : ''}  ${r.status === 'open' ? c.yellow('open') : r.status}`, io.columns, '', '  ') + '\n');
      const drives = r.driver ? `drives: ${r.driver} (until ${r.driverUntil!.slice(11, 19)} UTC)` : r.handedTo ? `handed over to ${r.handedTo}` : 'nobody drives now';
      io.stdout.write(wrap(`started ${(r.startedAt ?? '?').slice(0, 19).replace('T', ' ')} UTC by ${r.startedBy ?? '?'} · ${drives}`, io.columns, '  ', '    ') + '\n');
      if (r.outcome) io.stdout.write(wrap(`outcome: ${r.outcome}`, io.columns, '  ', '    ') + '\n');
      for (const l of r.leases) io.stdout.write(wrap(`leased: ${l.name} (${l.resource}) by ${l.holder}, step ${l.step} ${l.action}, until ${l.until.slice(11, 19)} UTC`, io.columns, '  ', '    ') + '\n');
    }
    for (const l of orphans) io.stdout.write(wrap(leaseLine(l), io.columns, '', '  ') + '\n');
    return 0;
  });
}

// ── follow ───────────────────────────────────────────────────────────────────────────

export interface FollowOptions extends CommonOptions {
  incident: string;
  /** Seconds between polls (default 1). */
  interval?: number;
}

/** How long follow keeps trying a table that stopped answering before it gives up. */
const FOLLOW_GIVE_UP_MS = 60_000;

/**
 * Another engineer's walk as it happens: the table's records after the last one seen, every
 * `interval`, each printed as the journal renders it (or as JSONL with --json), until the
 * incident ends — a resolved, stopped or failed end; one waiting for a human goes on — or
 * Ctrl-C. Each poll is one strongly consistent Query, under its own deadline.
 */
export async function follow(options: FollowOptions, io: Io, wait: (ms: number) => Promise<void> = sleep): Promise<number> {
  return requireTeam(options, io, 'follow', async (team) => {
    const intervalMs = Math.max(200, (options.interval ?? 1) * 1000);
    let seq = 0;
    let failingSince: number | undefined;
    for (let first = true; ; first = false) {
      let items: Awaited<ReturnType<Team['store']['events']>>;
      try {
        items = await team.store.events(options.incident, seq);
        failingSince = undefined;
      } catch (e) {
        failingSince ??= io.now();
        if (io.now() - failingSince > FOLLOW_GIVE_UP_MS) throw unreachable(team, e, `follow ${options.incident} any longer`);
        if (first) throw unreachable(team, e, `follow ${options.incident}`);
        team.unreachable(e);
        await wait(intervalMs);
        continue;
      }
      if (first && !items.length) throw new UsageError(`no incident '${options.incident}' in the team table ${team.table}`, 'mangaops incidents lists the team\'s incidents');
      for (const item of items) {
        seq = item.seq;
        const record = JSON.parse(item.record) as JournalRecord;
        if (options.json) io.stdout.write(`${item.record}\n`);
        else {
          if (record.type === 'start') io.stdout.write(`${renderHead(record as StartRecord)}\n`);
          io.stdout.write(`${renderLine(record)}\n`);
        }
        if (record.type === 'end' && isClosing(record.status)) return 0;
      }
      await wait(intervalMs);
    }
  });
}

// ── handover ─────────────────────────────────────────────────────────────────────────

export interface HandoverOptions extends CommonOptions {
  incident: string;
  to: string;
  note?: string;
}

/** Record the handover in the incident's journal and give up the driver role: the next engineer resumes. */
export async function handover(options: HandoverOptions, io: Io): Promise<number> {
  return requireTeam(options, io, 'handover', async (team) => {
    const me = team.identity.id;
    let head: Head | undefined;
    try {
      head = await team.store.head(options.incident);
    } catch (e) {
      throw unreachable(team, e, `hand ${options.incident} over`);
    }
    if (!head) throw new UsageError(`no incident '${options.incident}' in the team table ${team.table}`, 'mangaops incidents lists the team\'s incidents');
    const now = io.now();
    if (head.driver && head.driver !== me && (head.driverUntil ?? 0) > now) {
      throw new MangaopsError(`${drivesMessage(head)}: only the driver hands it over`, 1, `ask them; or take it over, saying why: mangaops resume ${options.incident} --take "<reason>"`);
    }
    const local = await localIncident(team, options.incident, io.env, io.now);
    const journal = Journal.open(local.file, options.incident, io.now);
    local.sync?.follow(journal);
    journal.append({ type: 'handover', from: me, to: options.to, ...(options.note && { note: options.note }) });
    await local.sync?.flush();
    try {
      if (!(await team.store.releaseDriver(options.incident, { me, nowMs: io.now() }, options.to))) {
        team.warn(`someone started driving ${options.incident} meanwhile: the handover is journaled, the role stays theirs`);
      }
    } catch (e) {
      throw unreachable(team, e, `release the driver role of ${options.incident}`);
    }
    if (options.json) io.stdout.write(JSON.stringify({ incident: options.incident, from: me, to: options.to, note: options.note ?? null, next: `mangaops resume ${options.incident}` }, null, 2) + '\n');
    else io.stdout.write(wrap(`Handed incident ${options.incident} over to ${options.to}${options.note ? ` ("${options.note}")` : ''}. They continue with: mangaops resume ${options.incident}`, io.columns, '', '  ') + '\n');
    return 0;
  });
}

