// One writer per journal. Whoever appends to a journal holds `<journal>.lock`, created with
// O_EXCL (only one process can create it) and holding the owner's pid, host, command and
// start time. A second process waits briefly, then says who holds it. A lock whose owner is
// gone — same host, no such pid — is stale and taken over; one from another host is never
// guessed at (the message says how to remove it). Step numbers are read after the lock is
// held, so two writers can never both take step 4.
//
// Our own rather than proper-lockfile: that one keeps no owner to name, and refreshes an
// mtime on a timer (a timer that would keep the process alive).
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { MangaopsError } from '../core/errors.js';
import { makeDirs } from '../core/dirs.js';

export interface LockOwner {
  pid: number;
  host: string;
  /** What it is doing: "mangaops act dynamodb.flip-version". */
  command: string;
  /** ISO time the lock was taken. */
  since: string;
}

export interface JournalLock {
  readonly file: string;
  release(): void;
}

/** How long a second writer waits for the first before it says who holds the journal. */
export const LOCK_WAIT_MS = 5000;
const POLL_MS = 50;

function readOwner(lockFile: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(lockFile, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    // Gone, or its creator is still writing it: not yet someone to name.
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, it is someone else's.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sameOwner = (a: LockOwner | undefined, b: LockOwner) => a?.pid === b.pid && a.host === b.host && a.since === b.since;

/**
 * Take over a stale lock without stealing a fresh one: move it aside (atomic, one mover wins),
 * and put it back if what was moved is not the stale owner after all. False when it could not
 * be moved (another user's lock in a sticky folder, a folder we cannot write): the caller waits
 * as for a live holder, and gives up at its deadline.
 */
function breakStale(lockFile: string, stale: LockOwner): boolean {
  const aside = `${lockFile}.${process.pid}.stale`;
  try {
    renameSync(lockFile, aside);
  } catch (e) {
    // Gone meanwhile (another breaker, or its holder released it): try to take it again.
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
  if (!sameOwner(readOwner(aside), stale)) {
    try {
      linkSync(aside, lockFile);
    } catch {
      /* a third writer took it meanwhile: theirs stands */
    }
  }
  unlinkSync(aside);
  return true;
}

function cannotLock(lockFile: string, e: unknown): MangaopsError {
  return new MangaopsError(`cannot lock the journal ${lockFile.replace(/\.lock$/, '')}: ${(e as Error).message}`, 1, 'pass --journal FILE in a folder you can write to');
}

function tryCreate(lockFile: string, owner: LockOwner, madeDir = false): boolean {
  let fd: number;
  try {
    fd = openSync(lockFile, 'wx', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'ENOENT' || madeDir) throw cannotLock(lockFile, e);
    try {
      makeDirs(dirname(lockFile), 0o700);
    } catch (m) {
      throw cannotLock(lockFile, m);
    }
    return tryCreate(lockFile, owner, true);
  }
  try {
    writeSync(fd, JSON.stringify(owner));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

function inUse(journal: string, owner: LockOwner | undefined, here: string): MangaopsError {
  if (!owner) return new MangaopsError(`the journal ${journal} is locked by another mangaops`, 1, `wait for it to finish; if none is running, remove ${journal}.lock`);
  const where = owner.host === here ? `pid ${owner.pid}` : `pid ${owner.pid} on ${owner.host}`;
  const hint = owner.host === here ? `wait for it to finish (or stop it: kill ${owner.pid})` : `wait for it to finish; if that process is gone, remove ${journal}.lock`;
  return new MangaopsError(`the journal ${journal} is in use by ${where} (${owner.command}, since ${owner.since})`, 1, hint);
}

// One exit hook for every lock this process holds: a lock is never left behind by a normal
// exit, a signal's process.exit, or an uncaught error.
const held = new Set<() => void>();
let hooked = false;
function releaseAtExit(release: () => void): void {
  held.add(release);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => held.forEach((r) => r()));
  }
}

/** Hold the journal's lock until release() or the process exits. */
export async function lockJournal(journal: string, options: { command: string; waitMs?: number; now?: () => number } = { command: 'mangaops' }): Promise<JournalLock> {
  const lockFile = `${journal}.lock`;
  const now = options.now ?? Date.now;
  const host = hostname();
  const owner: LockOwner = { pid: process.pid, host, command: options.command, since: new Date(now()).toISOString() };
  const giveUp = Date.now() + (options.waitMs ?? LOCK_WAIT_MS);
  for (;;) {
    if (tryCreate(lockFile, owner)) break;
    const held = readOwner(lockFile);
    if (held && held.host === host && !alive(held.pid) && breakStale(lockFile, held)) continue;
    if (Date.now() >= giveUp) throw inUse(journal, held, host);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const release = () => {
    if (!held.delete(release)) return;
    // Only our own lock: never one that a stale-breaker handed to someone else.
    if (sameOwner(readOwner(lockFile), owner)) unlinkSync(lockFile);
  };
  releaseAtExit(release);
  return { file: lockFile, release };
}
