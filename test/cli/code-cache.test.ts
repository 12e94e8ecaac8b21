// The compiled-code cache of the built CLI (src/cli/boot.ts): written by a command's first
// run, read by the next, rewritten when V8 refuses it, and never the reason a command fails.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeLoader, commandOf } from '../../src/cli/boot.js';
import { runCli } from '../helpers/cli.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'mangaops-code-'));

/** The one build folder under a code cache, and the files kept there for a command. */
function kept(base: string, command: string): { dir: string; files: Map<string, number> } {
  const builds = readdirSync(base);
  expect(builds).toHaveLength(1);
  const dir = join(base, builds[0]!, command);
  return { dir, files: new Map(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs])) };
}

describe('the code cache of the built CLI', () => {
  it('GIVEN none THEN the first list keeps the code of the files it loaded, and a second list, with the same output, reads it and writes nothing', () => {
    const base = fresh();
    const first = runCli(['list'], { MANGAOPS_CODE_CACHE: base });
    expect(first.code).toBe(0);
    const before = kept(base, 'list');
    expect([...before.files.keys()]).toContain('cli+main.cjs.v8');
    expect(before.files.size).toBeGreaterThan(3);
    for (const f of before.files.keys()) expect(statSync(join(before.dir, f)).mode & 0o777).toBe(0o600);
    const second = runCli(['list'], { MANGAOPS_CODE_CACHE: base });
    expect(second.stdout).toBe(first.stdout);
    expect(kept(base, 'list').files).toEqual(before.files);
  });

  it('GIVEN a second command THEN it keeps its own (what V8 keeps is what that command compiled)', () => {
    const base = fresh();
    runCli(['list'], { MANGAOPS_CODE_CACHE: base });
    expect(runCli(['graph', 'first-token'], { MANGAOPS_CODE_CACHE: base }).code).toBe(0);
    expect(kept(base, 'graph').files.size).toBeGreaterThan(3);
  });

  it('GIVEN a run stopped by a usage error THEN it keeps nothing (it compiled little of the command); the next full run does', () => {
    const base = fresh();
    expect(runCli(['drill'], { MANGAOPS_CODE_CACHE: base }).code).toBe(2);
    expect(existsSync(base) && readdirSync(base).length > 0 ? readdirSync(join(base, readdirSync(base)[0]!)) : []).not.toContain('drill');
    expect(runCli(['drill', 'first-token', '--case', 'cold-connections', '--auto'], { MANGAOPS_CODE_CACHE: base }).code).toBe(0);
    expect(kept(base, 'drill').files.size).toBeGreaterThan(3);
  });

  it('GIVEN a kept file that V8 refuses (garbage) THEN the command shows the same and the file is written again', () => {
    const base = fresh();
    const first = runCli(['list'], { MANGAOPS_CODE_CACHE: base });
    const file = join(kept(base, 'list').dir, 'cli+main.cjs.v8');
    writeFileSync(file, 'not code at all');
    const again = runCli(['list'], { MANGAOPS_CODE_CACHE: base });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    expect(readFileSync(file).length).toBeGreaterThan(1000);
  });

  it('GIVEN MANGAOPS_CODE_CACHE=off THEN nothing is kept; GIVEN no setting THEN it is kept under the cache home', () => {
    const home = fresh();
    expect(runCli(['list'], { XDG_CACHE_HOME: home, MANGAOPS_CODE_CACHE: 'off' }).code).toBe(0);
    expect(existsSync(join(home, 'mangaops', 'code'))).toBe(false);
    expect(runCli(['list'], { XDG_CACHE_HOME: home, MANGAOPS_CODE_CACHE: '' }).code).toBe(0);
    expect(kept(join(home, 'mangaops', 'code'), 'list').files.size).toBeGreaterThan(3);
  });

  it('GIVEN a cache folder that cannot be made (under a file) THEN the command works as without one', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'file'), '');
    const r = runCli(['list'], { MANGAOPS_CODE_CACHE: join(dir, 'file', 'code') });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('first-token');
    expect(r.stderr).toBe('');
  });

  it('GIVEN caches of other builds THEN one not written to for a week is removed when this build makes its own, a recent one kept', () => {
    const base = fresh();
    const old = join(base, 'aaaaaaaaaaaaaaaa-node20.0.0-x64');
    const recent = join(base, 'bbbbbbbbbbbbbbbb-node20.0.0-x64');
    for (const d of [old, recent]) mkdirSync(join(d, 'list'), { recursive: true });
    const weekAgo = (Date.now() - 8 * 24 * 3600 * 1000) / 1000;
    utimesSync(old, weekAgo, weekAgo);
    runCli(['list'], { MANGAOPS_CODE_CACHE: base });
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(readdirSync(base)).toHaveLength(2);
  });
});

describe('codeLoader', () => {
  function bundle(files: Record<string, string>): string {
    const root = fresh();
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(root, name, '..'), { recursive: true });
      writeFileSync(join(root, name), text);
    }
    return root;
  }

  it('GIVEN CommonJS files that require each other THEN each is evaluated once, with its own __filename, and built-ins come from Node', () => {
    const root = bundle({
      'cli/main.cjs': 'globalThis.__evaluated = (globalThis.__evaluated ?? 0) + 1; const a = require("../chunks/a.cjs"); const b = require("../chunks/a.cjs"); exports.same = a === b; exports.file = a.file; exports.sep = require("node:path").sep;',
      'chunks/a.cjs': 'globalThis.__evaluated = (globalThis.__evaluated ?? 0) + 1; exports.file = __filename;',
    });
    (globalThis as { __evaluated?: number }).__evaluated = 0;
    const main = codeLoader(root, undefined).load(join(root, 'cli', 'main.cjs')) as { same: boolean; file: string; sep: string };
    expect(main).toEqual({ same: true, file: join(root, 'chunks', 'a.cjs'), sep: '/' });
    expect((globalThis as { __evaluated?: number }).__evaluated).toBe(2);
  });

  it('GIVEN a module that throws while loading THEN the error reaches the caller, and the next load tries it again', () => {
    const root = bundle({ 'cli/main.cjs': 'globalThis.__tries = (globalThis.__tries ?? 0) + 1; throw new Error("broken " + globalThis.__tries);' });
    const loader = codeLoader(root, undefined);
    expect(() => loader.load(join(root, 'cli', 'main.cjs'))).toThrow('broken 1');
    expect(() => loader.load(join(root, 'cli', 'main.cjs'))).toThrow('broken 2');
  });

  it('GIVEN a cache folder THEN save() keeps each file compiled without one, once', () => {
    const root = bundle({ 'cli/main.cjs': 'exports.x = require("../chunks/a.cjs").y + 1;', 'chunks/a.cjs': 'exports.y = 41;' });
    const cache = join(fresh(), 'list');
    const loader = codeLoader(root, cache);
    expect((loader.load(join(root, 'cli', 'main.cjs')) as { x: number }).x).toBe(42);
    expect(loader.save()).toBe(2);
    expect(loader.save()).toBe(0);
    expect(readdirSync(cache).sort()).toEqual(['chunks+a.cjs.v8', 'cli+main.cjs.v8']);
    const next = codeLoader(root, cache);
    expect((next.load(join(root, 'cli', 'main.cjs')) as { x: number }).x).toBe(42);
    expect(next.save()).toBe(0);
  });
});

describe('commandOf', () => {
  it('names the cache after the command word, whatever options come first', () => {
    expect(commandOf(['--no-color', 'drill', 'first-token'])).toBe('drill');
    expect(commandOf(['--help'])).toBe('none');
    expect(commandOf(['../../etc'])).toBe('other');
  });
});
