// `mangaops --help` loads nothing but the argument parser: the commands, and the libraries
// behind them (yaml, zod, the prompts, chalk, ioredis, the AWS SDK), load when a command runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, root } from '../helpers/cli.js';

function loadsOf(args: string[]): string[] {
  const log = join(mkdtempSync(join(tmpdir(), 'mangaops-startup-')), 'loads.txt');
  const r = spawnSync(process.execPath, ['--import', join(root, 'test', 'fixtures', 'record-loads.mjs'), bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, MANGAOPS_LOAD_LOG: log, NO_COLOR: '1' },
  });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t')[1]!);
}

const heavy = /node_modules\/(yaml|zod|@inquirer|chalk|ioredis|@aws-sdk|@smithy|@opensearch-project)\//;

describe('start-up cost', () => {
  it('--help loads commander and our entry points only', () => {
    const loads = loadsOf(['--help']);
    expect(loads.some((u) => u.includes('node_modules/commander/'))).toBe(true);
    expect(loads.filter((u) => heavy.test(u))).toEqual([]);
    expect(loads.filter((u) => u.includes('/dist/commands/'))).toEqual([]);
  });

  it('list does load the runbook libraries (the recorder sees them)', () => {
    const loads = loadsOf(['list']);
    expect(loads.some((u) => u.includes('node_modules/yaml/'))).toBe(true);
    expect(loads.filter((u) => /node_modules\/(@aws-sdk|ioredis|@inquirer)\//.test(u))).toEqual([]);
  });
});
