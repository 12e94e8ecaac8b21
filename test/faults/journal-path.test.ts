// An unwritable journal place fails at once, with one line naming it. Before: Node's recursive
// mkdir spun at 100 % CPU for ever on `--journal /proc/x/y.jsonl` (procfs answers ENOENT to
// any mkdir, and Node then retries the parent and the child in turn), so these spawns would
// hit their time limit.
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirs } from '../../src/core/dirs.js';
import { runCli } from '../helpers/cli.js';

const drill = ['drill', 'first-token', '--case', 'cold-connections', '--auto'];

describe('GIVEN a journal place that cannot be written', () => {
  it('WHEN --journal is under /proc THEN the drill stops before the walk: exit 2, one line naming the file, no stack', () => {
    const r = runCli([...drill, '--journal', '/proc/x/y.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write the journal /proc/x/y.jsonl: cannot create the folder /proc/x (ENOENT)');
    expect(r.stderr).not.toContain('evidence:');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('WHEN --journal names a folder THEN it says the journal is not writable, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mangaops-journal-'));
    const r = runCli([...drill, '--journal', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot write the journal ${dir}: not writable (EISDIR)`);
  });

  it('WHEN XDG_STATE_HOME is under /proc THEN the default journal folder is named, exit 1, and the hint names --journal', () => {
    const r = runCli(drill, { XDG_STATE_HOME: '/proc/x' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot write journals in /proc/x/mangaops/incidents: cannot create the folder /proc/x (ENOENT)');
    expect(r.stderr).toContain('--journal FILE');
  });

  it('WHEN the journal\'s folders are missing THEN they are made and the walk journals there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mangaops-journal-'));
    const file = join(dir, 'deep', 'er', 'walk.jsonl');
    const r = runCli([...drill, '--journal', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^\{"at":.*"type":"start"/);
  });
});

describe('makeDirs', () => {
  it('fails at once through a dangling symlink (where recursive mkdir loops)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mangaops-dirs-'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    expect(() => makeDirs(join(dir, 'dangling', 'a', 'b'))).toThrow(/EEXIST/);
    expect(readdirSync(dir)).toEqual(['dangling']);
  });

  it('makes every missing parent once, and accepts a folder that is already there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mangaops-dirs-'));
    makeDirs(join(dir, 'a', 'b', 'c'));
    makeDirs(join(dir, 'a', 'b', 'c'));
    expect(existsSync(join(dir, 'a', 'b', 'c'))).toBe(true);
  });
});
