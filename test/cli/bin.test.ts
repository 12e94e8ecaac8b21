// bin/mangaops.cjs in a folder where nothing is built: one line that says what to do, exit 1.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin } from '../helpers/cli.js';

describe('bin/mangaops.cjs', () => {
  it('GIVEN a checkout with no dist/ THEN it says to run npm ci there, and exits 1 without a stack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mangaops-unbuilt-'));
    mkdirSync(join(dir, 'bin'));
    cpSync(bin, join(dir, 'bin', 'mangaops.cjs'));
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'mangaops.cjs'), 'list'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`mangaops: not built yet (no ${join(dir, 'dist', 'cli', 'boot.cjs')}). Run \`npm ci\` in ${dir}.`]);
  });
});
