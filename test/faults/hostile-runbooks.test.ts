// Hostile runbooks: an alias bomb, a file past the size limit, nesting past the depth limit.
// Each is reported with its file and line, and the other runbooks still list, drill and
// validate. Before: one alias bomb in runbooks/ made list, drill and validate all fail with
// "unexpected error: Excessive alias count…", naming no file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageCopy, runCli, stateDir } from '../helpers/cli.js';

const shipped = ['first-token', 'prompt-regression', 'prompt-rollout', 'rag-timeout', 'stale-precompute', 'websocket-drop'];

/** A runbook head, then a billion-laughs bomb under one key: 9 aliases on each of 9 levels. */
function aliasBomb(): string {
  const levels = 'abcdefghi'.split('');
  const lines = ['id: zz-bomb', 'title: An alias bomb', 'root: a', 'bomb:', `  a: &a [${Array(9).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < levels.length; i++) lines.push(`  ${levels[i]}: &${levels[i]} [${Array(9).fill(`*${levels[i - 1]}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

describe('GIVEN an alias bomb among the shipped runbooks', () => {
  let pkg: ReturnType<typeof packageCopy>;
  beforeAll(() => {
    pkg = packageCopy();
    writeFileSync(join(pkg.runbooks, 'zz-bomb.yaml'), aliasBomb());
  });
  // Levels a–e stand for 74,718 nodes together; f's first alias of e (66,430 more) passes 100,000.
  const finding = "runbooks/zz-bomb.yaml:10 by this alias, the file's aliases stand for more than 100000 nodes (an alias bomb?)";

  it('WHEN listing THEN the other runbooks are listed and the bomb is named with file and line, exit 1', () => {
    const r = pkg.run(['list']);
    expect(r.code).toBe(1);
    for (const id of shipped) expect(r.stdout).toMatch(new RegExp(`^${id}\\b`, 'm'));
    expect(r.stderr).toContain(finding);
    expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
  });

  it('WHEN drilling another runbook THEN the drill runs to its diagnosis as if the bomb were not there', () => {
    const r = pkg.run(['drill', 'first-token', '--case', 'cold-connections', '--auto', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { outcome: { id: string } }).outcome.id).toBe('cold-connections');
  });

  it('WHEN drilling the bomb itself THEN it says that runbook does not load, with the line, exit 1', () => {
    const r = pkg.run(['drill', 'zz-bomb', '--auto']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`runbook 'zz-bomb' does not load: ${finding}`);
  });

  it('WHEN validating THEN the bomb is a finding with its line and every other runbook validates', () => {
    const r = pkg.run(['validate']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✗ ${finding}`);
    for (const id of shipped) expect(r.stdout).toContain(`✓ runbooks/${id}.yaml:`);
    expect(r.stdout).toContain('1 finding(s) in 1 file(s)');
  });
});

describe('GIVEN other hostile runbooks, validated by path', () => {
  const dir = stateDir();
  const firstToken = readFileSync(join(import.meta.dirname, '..', '..', 'runbooks', 'first-token.yaml'), 'utf8');

  it('WHEN a file passes the 16 MiB limit THEN the finding names the line where it does', () => {
    const file = join(dir, 'huge.yaml');
    // 17 MiB of 64-byte lines: the limit falls inside line 262,145.
    const line = `# ${'x'.repeat(61)}\n`;
    writeFileSync(file, line.repeat((17 * 1024 * 1024) / line.length));
    const r = runCli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}:262145 the file passes 16 MiB here: mangaops reads no larger YAML file`);
  });

  it('WHEN lists nest past 100 levels THEN the finding names the line', () => {
    const file = join(dir, 'deep.yaml');
    writeFileSync(file, `id: deep\ntitle: Deep\nnote: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    const r = runCli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}:3 nested deeper than 100 levels`);
  });

  it('WHEN a key is written twice THEN the second one is reported with its line', () => {
    const file = join(dir, 'duplicate.yaml');
    // first-token with its first probe written again at the end of probes:, far below the first.
    const lines = firstToken.split('\n');
    const probes = lines.indexOf('probes:');
    const first = lines.findIndex((l, i) => i > probes && /^  [a-z]/.test(l));
    const end = lines.findIndex((l, i) => i > first && /^[a-z]/.test(l));
    lines.splice(end, 0, lines[first]!, '    kind: metric');
    writeFileSync(file, lines.join('\n'));
    const r = runCli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}:${end + 1} Map keys must be unique`);
  });
});
