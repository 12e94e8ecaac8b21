// Append-only JSONL, one record per write, flushed before the call returns: a crash loses
// nothing written before it. Sync writes on purpose — a record is small, and an await
// between "we applied it" and "it is on disk" is exactly where a Ctrl-C would lose it.
import { accessSync, closeSync, constants, existsSync, fchmodSync, fstatSync, fsyncSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { homedir, hostname, userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { makeDirs } from '../core/dirs.js';
import { MangaopsError, UsageError } from '../core/errors.js';
import { maskPasswordsDeep } from '../core/secrets.js';
import { parseRecord, type JournalRecord, type NewRecord } from './records.js';

function journalDir(env: NodeJS.ProcessEnv): string {
  return join(stateDir(env), 'incidents');
}

/** $XDG_STATE_HOME/mangaops (default ~/.local/state/mangaops). */
export function stateDir(env: NodeJS.ProcessEnv): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'mangaops');
}

/** Where an incident's journal is kept by default. */
export function journalFile(env: NodeJS.ProcessEnv, incident: string): string {
  return join(journalDir(env), `${incident}.jsonl`);
}

/** Incident ids sort by time and say what they were: 20261127-201502-first-token-a1b2. */
export function newIncidentId(now: number, runbook: string, random: () => number = Math.random): string {
  const d = new Date(now);
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
  const suffix = Math.floor(random() * 0xffff).toString(16).padStart(4, '0');
  return `${stamp}-${runbook}-${suffix}`;
}

export function whoAmI(env: NodeJS.ProcessEnv): { who: string; host: string } {
  let who = env.USER || env.LOGNAME || '';
  try {
    who ||= userInfo().username;
  } catch {
    who ||= 'unknown';
  }
  return { who, host: hostname() };
}

function tighten(fd: number): void {
  try {
    fchmodSync(fd, 0o600);
  } catch {
    // Someone else's file (a shared --journal): theirs to protect.
  }
}

/** Where an incident's journal goes: --journal FILE, else the state folder. */
export function journalFileFor(incident: string, file: string | undefined, env: NodeJS.ProcessEnv): string {
  return file ?? join(journalDir(env), `${incident}.jsonl`);
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ?? err.message;
}

/**
 * Make the journal's folder and check that a journal can be written there, so that an
 * unwritable `--journal` (or XDG_STATE_HOME) fails at once with one line, not at the first
 * record. Walks call it before they gather evidence.
 */
export function prepareJournal(file: string | undefined, env: NodeJS.ProcessEnv): void {
  const dir = file ? dirname(file) : journalDir(env);
  const fail = (what: string) =>
    file
      ? new UsageError(`cannot write the journal ${file}: ${what}`, 'pass --journal a file in a folder you can write')
      : new MangaopsError(`cannot write journals in ${dir}: ${what}`, 1, 'set XDG_STATE_HOME to a folder you can write, or pass --journal FILE');
  try {
    // Only the engineer reads an incident: what was changed, where, and the values.
    makeDirs(dir, 0o700);
  } catch (e) {
    throw fail(`cannot create the folder ${(e as NodeJS.ErrnoException).path ?? dir} (${reason(e)})`);
  }
  try {
    if (!file) return accessSync(dir, constants.W_OK);
    // Open it as append() will; a file made only to find out is removed again.
    const existed = existsSync(file);
    closeSync(openSync(file, 'a', 0o600));
    if (!existed) unlinkSync(file);
  } catch (e) {
    throw fail(`not writable (${reason(e)})`);
  }
}

/**
 * Records that are written but not fsynced on their own: what a walk read and decided (its
 * start, the evidence, each node) and its end — all of a diagnose that changes nothing. A
 * killed process loses none of them (each is written before the walk goes on); a power cut in
 * the seconds before the system writes them back may, but never a record of a change: a step
 * of a fix, a lease, an approval, a recovery is fsynced before the walk goes on, and with it
 * everything before it (fsync flushes the whole file). A diagnose's nine fsyncs cost ~15 ms,
 * after CloudWatch had answered.
 */
const FSYNCED_LATER: ReadonlySet<string> = new Set(['start', 'evidence', 'node', 'end']);

export class Journal {
  /** Told of each record once it is on disk (the team table mirrors the file: src/team/sync.ts). */
  private readonly listeners: ((record: JournalRecord) => void)[] = [];

  private constructor(
    readonly incident: string,
    readonly file: string,
    private readonly now: () => number,
    /**
     * fsync each record but those of FSYNCED_LATER. A drill's journal is not: it records an exercise, and fsync is what
     * protects a record against a power cut (a killed process loses nothing written), at 1–3 ms a record.
     */
    private readonly durable = true,
  ) {}

  static create(options: { incident: string; file?: string; env: NodeJS.ProcessEnv; now: () => number; durable?: boolean }): Journal {
    const file = journalFileFor(options.incident, options.file, options.env);
    prepareJournal(options.file, options.env);
    return new Journal(options.incident, file, options.now, options.durable);
  }

  /** Continue an existing journal (resume, undo). */
  static open(file: string, incident: string, now: () => number): Journal {
    return new Journal(incident, file, now);
  }

  append(record: NewRecord): JournalRecord {
    // A URL's password never reaches the disk, whichever record carries it.
    return this.appendRecord(maskPasswordsDeep({ at: new Date(this.now()).toISOString(), incident: this.incident, ...record }) as JournalRecord);
  }

  /** A whole record as it was written elsewhere (fetched from the team table): kept as it is. */
  appendRecord(full: JournalRecord): JournalRecord {
    const fd = openSync(this.file, 'a', 0o600);
    try {
      // A journal made before this version, or by a looser umask, is tightened on the next write.
      if ((fstatSync(fd).mode & 0o077) !== 0) tighten(fd);
      writeSync(fd, JSON.stringify(full) + '\n');
      if (this.durable && !FSYNCED_LATER.has(full.type)) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    for (const listener of this.listeners) listener(full);
    return full;
  }

  onAppend(listener: (record: JournalRecord) => void): void {
    this.listeners.push(listener);
  }
}

/**
 * Read a journal, each line checked against the record schema. A torn last line (a crash
 * mid-write) is dropped, not fatal; any other bad line is named with its number.
 */
export function readJournal(file: string): JournalRecord[] {
  const text = readFileSync(file, 'utf8');
  const records: JournalRecord[] = [];
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && !lines[last]!.trim()) last--;
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      if (i === last) continue;
      throw new MangaopsError(`${file}:${i + 1}: not a journal record (not JSON)`, 1, 'the journal was edited by hand; fix or remove that line');
    }
    const parsed = parseRecord(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length ? ` at ${issue.path.map(String).join('.')}` : '';
      throw new MangaopsError(`${file}:${i + 1}: not a journal record (${issue.message.replace(/^Invalid input: /, '')}${where})`, 1, 'the journal was edited by hand; fix or remove that line');
    }
    records.push(parsed.data);
  }
  return records;
}

/** An incident id or a path → the journal file. */
export function findJournal(idOrFile: string, env: NodeJS.ProcessEnv, file?: string): string {
  const candidates = [file, idOrFile.endsWith('.jsonl') ? idOrFile : undefined, join(journalDir(env), `${idOrFile}.jsonl`)].filter(Boolean) as string[];
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {
      /* try the next */
    }
  }
  const known = listJournals(env).slice(0, 5).map((j) => j.incident);
  throw new UsageError(`no journal for incident '${idOrFile}'`, known.length ? `recent incidents: ${known.join(', ')} (mangaops journal list)` : 'mangaops journal list shows the recorded incidents');
}

export function listJournals(env: NodeJS.ProcessEnv): { incident: string; file: string; mtime: number }[] {
  const dir = journalDir(env);
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    return [];
  }
  return names
    .map((n) => ({ incident: basename(n, '.jsonl'), file: join(dir, n), mtime: statSync(join(dir, n)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
}

