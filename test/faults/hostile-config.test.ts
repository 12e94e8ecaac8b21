// A hostile --config is a usage error (exit 2) naming its file and line, never a stack or an
// "unexpected error" (exit 1), which is what an alias bomb in --config gave before.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, stateDir } from '../helpers/cli.js';

const dir = stateDir();

function configFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('GIVEN a hostile --config', () => {
  it('WHEN it holds an alias bomb THEN list exits 2 with one line naming file and line', () => {
    const lines = ['ecs:', '  cluster: c', `x0: &x0 [${Array(10).fill('"lol"').join(', ')}]`];
    for (let i = 1; i < 8; i++) lines.push(`x${i}: &x${i} [${Array(10).fill(`*x${i - 1}`).join(', ')}]`);
    const file = configFile('bomb.yaml', lines.join('\n') + '\n');
    const r = runCli(['--config', file, 'list']);
    expect(r.code).toBe(2);
    // x4 holds 10^5 "lol"s: its tenth alias of x3 passes the limit.
    expect(r.stderr).toContain(`mangaops: ${file}:7 by this alias, the file's aliases stand for more than 100000 nodes`);
    expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('WHEN it comes through MANGAOPS_CONFIG with a duplicate key THEN the drill exits 2 naming the line', () => {
    const file = configFile('duplicate.yaml', 'ecs:\n  cluster: a\n  service: b\n  cluster: c\n');
    const r = runCli(['drill', 'first-token', '--case', 'cold-connections', '--auto'], { MANGAOPS_CONFIG: file });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`mangaops: ${file}:4 Map keys must be unique`);
  });

  it('WHEN it passes the size limit THEN validate exits 2 naming the line', () => {
    const file = configFile('huge.yaml', `# ${'x'.repeat(61)}\n`.repeat(17 * 16 * 1024));
    const r = runCli(['--config', file, 'validate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`mangaops: ${file}:262145 the file passes 16 MiB here`);
  });
});
