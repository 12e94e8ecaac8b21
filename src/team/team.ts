// One command's view of the team table: its settings, who the engineer is, the store, and
// what to finish before the process exits (uploads in flight, the driver role, leases). The
// first failure to reach the table is said once on stderr; from then on the command works
// locally, as without a table, and `mangaops team sync` (or the next command that reaches the
// table) uploads what is missing.
import type { Config } from '../core/config.js';
import type { Io } from '../core/io.js';
import { errorLine, errorName } from '../capabilities/aws.js';
import { teamIdentity, type Identity } from './identity.js';
import { removePending } from './pending.js';
import { teamSettings, type TeamSettings } from './settings.js';
import type { TeamStore } from './store.js';

export interface TeamOpenOptions {
  config: Config;
  env: NodeJS.ProcessEnv;
  region?: string;
  profile?: string;
  io: Pick<Io, 'stderr' | 'now'>;
}

/** An error of the table as one short phrase. */
export function tableError(e: unknown): string {
  const name = errorName(e);
  if (name === 'ResourceNotFoundException') return 'no such table: mangaops team init creates it';
  if (name === 'TimeoutError' || name === 'AbortError') return 'no answer in time';
  return `${name}: ${errorLine(e)}`;
}

export class Team {
  reachable = true;
  private said = new Set<string>();
  private readonly finishers: (() => Promise<void>)[] = [];
  /** The incidents this command drives, checked again before each change. */
  readonly driving = new Map<string, { confirm(): Promise<void> }>();

  constructor(
    readonly settings: TeamSettings,
    readonly store: TeamStore,
    readonly identity: Identity,
    private readonly io: Pick<Io, 'stderr' | 'now'>,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  get table(): string {
    return this.settings.table;
  }

  now(): number {
    return this.io.now();
  }

  /** A warning on stderr, each one once. */
  warn(text: string): void {
    if (this.said.has(text)) return;
    this.said.add(text);
    this.io.stderr.write(`mangaops: ${text}\n`);
  }

  /** The table failed us: said once, and the command goes on locally. */
  unreachable(e: unknown): void {
    const first = this.reachable;
    this.reachable = false;
    if (first) this.warn(`the team table ${this.table} cannot be reached (${tableError(e)}); going on locally — mangaops team sync uploads the journal later`);
  }

  /** Run before the command returns (flush an upload queue, give up the driver role). */
  onFinish(finish: () => Promise<void>): void {
    this.finishers.push(finish);
  }

  async finish(): Promise<void> {
    for (const f of this.finishers.splice(0)) await f();
  }

  /** Incidents synced: no longer pending. */
  synced(incidents: string[]): void {
    removePending(this.env, incidents);
  }
}

/** The team of this command, or undefined when no table is configured (local-first). */
export async function openTeam(o: TeamOpenOptions): Promise<Team | undefined> {
  const settings = teamSettings(o.config, o.env);
  if (!settings) return undefined;
  const [{ teamClient, dynamoTeamStore }, { createAws }] = await Promise.all([import('./dynamo.js'), import('../capabilities/aws.js')]);
  const [client, identity] = await Promise.all([
    teamClient({ table: settings.table, region: o.region, profile: o.profile, env: o.env, config: o.config }),
    teamIdentity(createAws({ config: o.config, region: o.region, profile: o.profile, env: o.env }), o.env),
  ]);
  return new Team(settings, dynamoTeamStore(client, settings.table), identity, o.io, o.env);
}
