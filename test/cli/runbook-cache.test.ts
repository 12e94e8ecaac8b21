// The runbook cache as a user meets it (built CLI, a copy of the package): what list, graph,
// drill and validate show always follows the files and the config as they are now.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageCopy, runCli, stateDir } from '../helpers/cli.js';

function entryFor(cache: string, id: string): string {
  const dir = join(cache, 'mangaops');
  const file = readdirSync(dir).find((f) => f.startsWith('runbook-') && readFileSync(join(dir, f), 'utf8').includes(`"id":"${id}"`));
  return join(dir, file!);
}

describe('GIVEN runbooks served from the cache', () => {
  it('WHEN a runbook file changes THEN list shows the change at once (the key is the text)', () => {
    const pkg = packageCopy();
    // Wide enough that list keeps each title on its line.
    const env = { XDG_CACHE_HOME: stateDir(), COLUMNS: '200' };
    expect(pkg.run(['list'], env).stdout).toContain('WebSocket connection drops during streaming response');
    const file = join(pkg.runbooks, 'websocket-drop.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: WebSocket connection drops during streaming response', 'title: Sockets dropping'));
    const r = pkg.run(['list'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/websocket-drop\s+SEV-3\s+Sockets dropping/);
  });

  it('WHEN the config changes THEN placeholders are resolved from the new one', () => {
    const pkg = packageCopy();
    const cache = stateDir();
    const env = { XDG_CACHE_HOME: cache };
    const drill = ['drill', 'first-token', '--case', 'cold-connections', '--auto', '--json'];
    // The first run resolves from the shipped config, and leaves the runbook in the cache.
    expect(pkg.run(drill, env).stderr).toContain('--cluster mangaassist-prod');
    expect(readFileSync(entryFor(cache, 'first-token'), 'utf8')).toContain('mangaassist-prod');
    const config = join(stateDir(), 'config.yaml');
    writeFileSync(config, 'ecs:\n  cluster: other-cluster\n');
    const r = pkg.run(['--config', config, ...drill], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('--cluster other-cluster');
    expect(r.stderr).not.toContain('--cluster mangaassist-prod');
  });

  it('WHEN an entry on disk was altered THEN it is not trusted: the runbook is read again and the entry rewritten', () => {
    const pkg = packageCopy();
    const cache = stateDir();
    pkg.run(['list'], { XDG_CACHE_HOME: cache, COLUMNS: '200' });
    const entry = entryFor(cache, 'websocket-drop');
    writeFileSync(entry, readFileSync(entry, 'utf8').replace('WebSocket connection drops', 'Altered in the cache'));
    const r = pkg.run(['list'], { XDG_CACHE_HOME: cache, COLUMNS: '200' });
    expect(r.stdout).toContain('WebSocket connection drops during streaming response');
    expect(readFileSync(entry, 'utf8')).not.toContain('Altered in the cache');
  });

  it('WHEN a runbook changes after it was cached THEN validate finds what the change broke, with its line', () => {
    const pkg = packageCopy();
    const cache = stateDir();
    expect(pkg.run(['validate'], { XDG_CACHE_HOME: cache }).code).toBe(0);
    const file = join(pkg.runbooks, 'first-token.yaml');
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.trim() === 'expect: cold-connections');
    lines[at] = lines[at]!.replace('cold-connections', 'ecs-overload');
    writeFileSync(file, lines.join('\n'));
    const r = pkg.run(['validate'], { XDG_CACHE_HOME: cache });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`runbooks/first-token.yaml:${at + 1} drills\\.\\d+\\.expect: case '[a-z-]+' reaches 'cold-connections', not 'ecs-overload'`));
  });

  it('WHEN a runbook with a finding is validated again THEN the finding names the same line, read from the cached lines', () => {
    const env = { XDG_CACHE_HOME: stateDir() };
    const fixture = 'test/fixtures/runbooks/broken/dangling-node.yaml';
    const first = runCli(['validate', fixture], env);
    const again = runCli(['validate', fixture], env);
    expect(first.stdout).toContain(`${fixture}:29 nodes.check-latency.branches.1.to: no node 'who-know'`);
    expect(again.stdout).toBe(first.stdout);
    expect(again.code).toBe(1);
  });
});
