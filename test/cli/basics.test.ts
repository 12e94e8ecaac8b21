// The basics an engineer expects of a CLI, through the built binary as a user runs it: the
// report on stdout (so it pipes and saves), help with examples and the global options, an
// action's own help, exit codes, errors as JSON under --json, fractions written either way.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, root, runCli, stateDir } from '../helpers/cli.js';

describe('output that pipes', () => {
  it('GIVEN drill --auto piped WHEN it runs THEN the report — cards, outcome, plans, score, journal pointer — is on stdout, progress on stderr', () => {
    const r = runCli(['drill', 'first-token', '--case', 'cold-connections', '--auto']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('■ Root Cause A confirmed: Cold connections to Bedrock');
    expect(r.stdout).toContain('▶ ecs.exec');
    expect(r.stdout).toContain('Drill score');
    expect(r.stdout).toMatch(/journal: mangaops journal show \S+/);
    expect(r.stdout).toMatch(/✗ Bedrock connection-pool health pings failing: 72 %/);
    expect(r.stderr).toContain('gathering 16 probes');
    expect(r.stderr).not.toContain('Drill score');
  });

  it('GIVEN no terminal and COLUMNS=60 (cron, CI) WHEN list runs THEN it is laid out for 60 columns, not 80', () => {
    const r = runCli(['list'], { COLUMNS: '60' });
    const lines = r.stdout.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(60);
    expect(runCli(['list']).stdout.split('\n').some((l) => [...l].length > 60)).toBe(true);
  });

  it('GIVEN --json THEN stdout is the one JSON object and the report moves to stderr', () => {
    const r = runCli(['drill', 'first-token', '--case', 'cold-connections', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: { id: 'cold-connections' }, drill: { case: 'cold-connections' } });
    expect(r.stderr).toContain('Drill score');
  });

  it('GIVEN the reader closes the pipe early (| head) THEN the walk ends cleanly and its journal says so', async () => {
    const state = stateDir();
    const child = spawn(process.execPath, [bin, 'drill', 'first-token', '--case', 'cold-connections', '--auto'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: state, XDG_STATE_HOME: state, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Read the first chunk, then hang up, as `head -1` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    const dir = join(state, 'mangaops', 'incidents');
    const [file] = readdirSync(dir);
    const records = readFileSync(join(dir, file!), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; status?: string; message?: string });
    expect(records.at(-1)).toMatchObject({ type: 'end' });
  });
});

describe('help and completion', () => {
  it("GIVEN any subcommand's --help THEN it has Examples and lists the global options", () => {
    for (const args of [['drill', '--help'], ['diagnose', '--help'], ['act', '--help'], ['journal', 'show', '--help']]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toContain('Examples:\n  $ mangaops');
      expect(r.stdout, args.join(' ')).toMatch(/Global Options:[\s\S]*--json[\s\S]*--config[\s\S]*--region[\s\S]*--profile/);
    }
  });

  it("GIVEN act <action> --help THEN that action's parameters, with what the config fills in", () => {
    const r = runCli(['act', 'redis.purge', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: mangaops act redis.purge --pattern <text>');
    expect(r.stdout).toMatch(/--count <n>\s+default 1000/);
    const scale = runCli(['act', 'ecs.scale', '--help']);
    expect(scale.stdout).toMatch(/--cluster <text>\s+default "mangaassist-prod" \(\$\{ecs\.cluster\}\)/);
  });
});

describe('exit codes and errors', () => {
  it('GIVEN a runbook file that is not there THEN validate says so and exits 2', () => {
    const r = runCli(['validate', 'runbooks/nope.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mangaops: no such file: runbooks/nope.yaml');
  });

  it('GIVEN --json and a failure THEN stdout carries the error as JSON, with its exit code', () => {
    const r = runCli(['--json', 'drill', 'no-such-scenario', '--auto']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { message: expect.stringContaining("unknown scenario 'no-such-scenario'"), exitCode: 2 } });
  });

  it.each([
    ['15%', 0],
    ['0.15', 0],
  ])('GIVEN gate --max-regression %s THEN it is read as 15 %%', (value) => {
    const dir = join(root, 'test', 'data');
    void dir;
    const r = runCli(['gate', '--baseline', 'x', '--candidate', 'y', '--max-regression', value]);
    // The fraction is accepted; what fails is the missing sample file, not the flag.
    expect(r.stderr).not.toContain('--max-regression');
  });

  it('GIVEN gate --max-regression 15 THEN a usage error says to write 15% or 0.15', () => {
    const r = runCli(['gate', '--baseline', 'x', '--candidate', 'y', '--max-regression', '15']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('write 15% or 0.15');
  });

  it('GIVEN --probe-timeout=99999999999 THEN a usage error, not a RangeError per probe', () => {
    const r = runCli(['diagnose', 'first-token', '--auto', '--probe-timeout=99999999999']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('at most 600000 (10 minutes)');
  });
});
