// A stale lock that cannot be moved aside (another user's, in a sticky folder; here, a folder
// in the way): the lock is waited for like a live one, up to the deadline, never spun on.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockJournal } from '../../src/journal/lock.js';

describe('lockJournal', () => {
  it('GIVEN a dead holder whose lock cannot be moved aside THEN it waits to its deadline and says who holds the journal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mangaops-lock-'));
    const journal = join(dir, 'i-1.jsonl');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(`${journal}.lock`, JSON.stringify({ pid: dead, host: hostname(), command: 'mangaops act', since: '2026-12-01T00:00:00.000Z' }));
    // Where breaking the stale lock would move it: a folder with something in it, so the rename fails.
    mkdirSync(join(`${journal}.lock.${process.pid}.stale`, 'x'), { recursive: true });
    const started = Date.now();
    await expect(lockJournal(journal, { command: 'mangaops act', waitMs: 300 })).rejects.toThrow(/in use|holds/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });
});
