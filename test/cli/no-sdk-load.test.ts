// `mangaops --help`, list, graph, validate and drill never load the AWS SDK: the commands are
// run in a child process (through tsx, on the sources) with a resolve hook that records every
// module it loads, and the CommonJS cache is read at the end. Neither may name @aws-sdk/* or
// @smithy/*.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'mangaops-loads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SDK = /[/\\]node_modules[/\\]@(aws-sdk|smithy)[/\\]|^@(aws-sdk|smithy)\//;

async function run(argvs: string[][], control = false) {
  const log = join(dir, `loads-${Math.random().toString(36).slice(2)}.txt`);
  const result = join(dir, `result-${Math.random().toString(36).slice(2)}.json`);
  await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--import', join(here, '..', 'fixtures', 'record-loads.mjs'), join(here, '..', 'fixtures', 'light-commands.ts')],
    { cwd: root, env: { ...process.env, MANGAOPS_LOAD_LOG: log, MANGAOPS_RESULT: result, MANGAOPS_ARGVS: JSON.stringify(argvs), NO_COLOR: '1', ...(control && { MANGAOPS_CONTROL: '1' }) }, timeout: 60_000 },
  );
  const loads = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const out = JSON.parse(readFileSync(result, 'utf8')) as { codes: number[]; outcome?: string; expected: string; cjs: string[] };
  return { loads, ...out };
}

describe('GIVEN the commands that read no AWS', () => {
  it('WHEN --help, list, graph, validate and drill run, and the live source module is imported, THEN no @aws-sdk or @smithy module is loaded', async () => {
    const { loads, codes, outcome, expected, cjs } = await run([
      ['--help'],
      ['list'],
      ['graph', 'first-token'],
      ['validate'],
      ['drill', 'first-token', '--case', 'cold-connections', '--auto'],
    ]);
    // The recorder works: our own modules are in the log.
    expect(loads.some((l) => l.includes('src/walk/live-source'))).toBe(true);
    expect(loads.filter((l) => SDK.test(l.split('\t')[0]!) || SDK.test(l.split('\t')[1]!))).toEqual([]);
    expect(cjs.filter((f) => SDK.test(f))).toEqual([]);
    expect(codes.slice(0, 3)).toEqual([0, 0, 0]);
    expect(outcome).toBe(expected);
  });

  it('AND the recorder sees the SDK as soon as a client is created (control)', async () => {
    const { loads, cjs } = await run([], true);
    expect(loads.some((l) => SDK.test(l.split('\t')[0]!)) || cjs.some((f) => SDK.test(f))).toBe(true);
  });
});
