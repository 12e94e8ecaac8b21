// The shared journal: the team table mirrors an incident's JSONL record for record — the same
// JSON, the same order, record n at EV#n — so the local file stays the source of truth and
// the table is its copy others can read. Each record is a conditional put on its sequence
// number: a retry finds its own record there (no duplicate), and a second writer finds the
// slot taken (never interleaved). It listens where the records are made — each record the
// journal writer appends from the event stream — so the table holds exactly what the file does.
import { existsSync, readFileSync } from 'node:fs';
import { MangaopsError } from '../core/errors.js';
import type { Journal } from '../journal/journal.js';
import type { JournalRecord } from '../journal/records.js';
import { addPending } from './pending.js';
import type { HeadFields } from './store.js';
import type { Team } from './team.js';

/** How an incident ended: these close it; needs-human and aborted leave it open for someone to resume. */
const CLOSING = new Set(['resolved', 'stopped', 'failed']);

export function isClosing(status: string): boolean {
  return CLOSING.has(status);
}

/** A person as the journal's start and resume records name them. */
export function personOf(r: { who: string; host: string }): string {
  return r.who.startsWith('arn:') ? r.who : `${r.who}@${r.host}`;
}

/** What a record changes on its incident's head, for `mangaops incidents`. */
export function headFieldsOf(r: JournalRecord): HeadFields | undefined {
  switch (r.type) {
    case 'start':
      return { runbook: r.runbook, mode: r.mode, startedBy: personOf(r), startedAt: r.at, status: 'open', listing: 'open', listedAt: r.at };
    case 'end':
      return { status: r.status, outcome: r.outcomeTitle ?? r.outcome, endedAt: r.at, listing: isClosing(r.status) ? 'closed' : 'open' };
    case 'resume':
      return { status: 'open', listing: 'open' };
    case 'handover':
      return { handedTo: r.to };
    default:
      return undefined;
  }
}

/** The journal file's records as written (the raw JSON of each line); a torn last line is left out, as readJournal does. */
export function localLines(file: string): string[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  const last = lines.at(-1);
  if (last !== undefined) {
    try {
      JSON.parse(last);
    } catch {
      lines.pop();
    }
  }
  return lines;
}

export interface Reconciled {
  uploaded: number;
  downloaded: number;
  /** Records in the table afterwards. */
  remote: number;
}

/** At most this many records (and about this many bytes) in one transaction: DynamoDB takes 100 items and 4 MB. */
const BATCH_ITEMS = 25;
const BATCH_BYTES = 1_000_000;

/** The head fields of several records, later ones winning. */
function mergedHead(lines: string[]): HeadFields | undefined {
  const fields = lines.map((l) => headFieldsOf(JSON.parse(l) as JournalRecord)).filter((f): f is HeadFields => f !== undefined);
  return fields.length ? Object.assign({}, ...fields) : undefined;
}

export class IncidentSync {
  /** Records in the local file, i.e. the next record's seq - 1. */
  private local = 0;
  /** Records handed over by the journal, not yet sent. */
  private readonly pending: { seq: number; line: string }[] = [];
  private draining: Promise<void> | undefined;
  /** Why uploads stopped: the table is unreachable, or someone else wrote this incident. */
  private stopped: string | undefined;
  /** The table is known to hold exactly the file's first `local` records (a new incident, or reconciled). */
  private level: boolean;

  constructor(
    private readonly team: Team,
    readonly incident: string,
    readonly file: string,
    /** level: the table holds exactly what the file does (a new incident, one just fetched). */
    options: { level?: boolean } = {},
  ) {
    this.level = Boolean(options.level);
  }

  /**
   * Bring the file and the table level: what the table lacks is uploaded; with `download`, what
   * others added (approvals, a handover, another machine's walk) is appended to the file.
   * Throws when they disagree on a record: neither is a copy of the other any more.
   */
  async reconcile(options: { download: boolean; journal?: Journal }): Promise<Reconciled> {
    const local = localLines(this.file);
    const remote = await this.team.store.events(this.incident);
    for (let i = 0; i < Math.min(local.length, remote.length); i++) {
      if (remote[i]!.record !== local[i]) {
        throw new MangaopsError(
          `incident ${this.incident}: record ${i + 1} of your journal (${this.file}) is not the team table's (written by ${remote[i]!.by}): the two have gone different ways`,
          1,
          'compare them: mangaops journal show <file> and mangaops follow <incident> --json; keep one and move the other aside',
        );
      }
    }
    let downloaded = 0;
    if (options.download && remote.length > local.length) {
      if (!options.journal) throw new Error('reconcile: download needs the journal to append to');
      for (const item of remote.slice(local.length)) options.journal.appendRecord(JSON.parse(item.record) as JournalRecord);
      downloaded = remote.length - local.length;
    }
    let uploaded = 0;
    const missing = local.slice(remote.length).map((line, i) => ({ seq: remote.length + 1 + i, line }));
    for (let at = 0; at < missing.length; ) {
      const batch = takeBatch(missing.slice(at));
      const sent = await this.send(batch);
      uploaded += sent;
      if (sent < batch.length) break;
      at += batch.length;
    }
    this.local = local.length + downloaded;
    this.level = true;
    return { uploaded, downloaded, remote: remote.length + uploaded };
  }

  /** From here on, each record the journal appends goes to the table, in order. */
  follow(journal: Journal): void {
    this.local = Math.max(this.local, localLines(this.file).length);
    // Not known to be level (the table could not be read): appending after a gap would leave
    // holes in the sequence, so the records wait for `team sync`.
    if (!this.level) this.fallBehind();
    journal.onAppend((record) => {
      this.pending.push({ seq: ++this.local, line: JSON.stringify(record) });
      this.kick();
    });
  }

  /** Every record handed over so far is in the table (or known not to be). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** One sender at a time, in order; what piled up meanwhile goes in the next transaction. */
  private kick(): void {
    if (this.draining) return;
    this.draining = (async () => {
      while (this.pending.length) {
        const batch = takeBatch(this.pending);
        this.pending.splice(0, batch.length);
        await this.send(batch);
      }
    })().finally(() => {
      this.draining = undefined;
    });
  }

  get behind(): boolean {
    return this.stopped !== undefined;
  }

  private fallBehind(): void {
    this.stopped ??= 'offline';
    addPending(this.team.env, this.incident);
  }

  /**
   * Records at their sequence numbers, in one transaction when they can be; when a slot is taken,
   * one by one to tell a retry (the same record) from another writer. Returns how many got there.
   */
  private async send(batch: { seq: number; line: string }[]): Promise<number> {
    if (!this.stopped && !this.team.reachable) this.fallBehind();
    if (this.stopped || !batch.length) return 0;
    if (batch.length > 1) {
      try {
        if (await this.team.store.putEvents(this.incident, batch.map((b) => ({ seq: b.seq, record: b.line })), this.team.identity.id, mergedHead(batch.map((b) => b.line)))) return batch.length;
      } catch (e) {
        this.team.unreachable(e);
        this.fallBehind();
        return 0;
      }
    }
    let sent = 0;
    for (const b of batch) {
      if (!(await this.put(b.seq, b.line))) break;
      sent++;
    }
    return sent;
  }

  /** One record at its sequence number; false when it did not get there. */
  private async put(seq: number, line: string): Promise<boolean> {
    if (!this.stopped && !this.team.reachable) this.fallBehind();
    if (this.stopped) return false;
    const { store, identity } = this.team;
    try {
      const result = await store.putEvent(this.incident, seq, line, identity.id);
      if (result === 'conflict') {
        this.stopped = 'conflict';
        this.team.warn(`incident ${this.incident}: record ${seq} in the team table was written by another engineer; this journal goes on locally only (mangaops follow ${this.incident} shows theirs)`);
        return false;
      }
      const fields = headFieldsOf(JSON.parse(line) as JournalRecord);
      if (fields) await store.updateHead(this.incident, fields);
      return true;
    } catch (e) {
      this.team.unreachable(e);
      this.fallBehind();
      return false;
    }
  }
}

/** The first records of `queue` that fit one transaction. */
function takeBatch(queue: { seq: number; line: string }[]): { seq: number; line: string }[] {
  let bytes = 0;
  let n = 0;
  while (n < queue.length && n < BATCH_ITEMS && (n === 0 || bytes + queue[n]!.line.length <= BATCH_BYTES)) bytes += queue[n++]!.line.length;
  return queue.slice(0, n);
}
