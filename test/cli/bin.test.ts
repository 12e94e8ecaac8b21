// bin/mangaops.cjs in a folder where nothing is built, or the bundle is damaged: one line that
// says what to do, exit 1, no stack unless --debug.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, packageCopy } from '../helpers/cli.js';

describe('bin/mangaops.cjs', () => {
  it('GIVEN a checkout with no dist/ THEN it says to run npm ci there, and exits 1 without a stack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mangaops-unbuilt-'));
    mkdirSync(join(dir, 'bin'));
    cpSync(bin, join(dir, 'bin', 'mangaops.cjs'));
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'mangaops.cjs'), 'list'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`mangaops: not built yet (no ${join(dir, 'dist', 'cli', 'boot.cjs')}). Run \`npm ci\` in ${dir}.`]);
  });

  it('GIVEN a bundle that throws as it loads THEN one line and what to do, exit 1; the stack only with --debug', () => {
    const pkg = packageCopy();
    appendFileSync(join(pkg.dir, 'dist', 'cli', 'main.cjs'), '\nthrow new Error("main.cjs is damaged");\n');
    const r = pkg.run(['list']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual(['mangaops: main.cjs is damaged', `  reinstall mangaops (npm ci in ${pkg.dir}); run again with --debug for the stack trace`]);
    expect(pkg.run(['list', '--debug']).stderr).toMatch(/at .*main\.cjs/);
  });
});
