// The runbook cache as a user meets it (built CLI, a copy of the package): what list, graph and
// drill show always follows the files and the config as they are now; validate reads the sources
// whatever the cache holds.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/core/cache.js';
import { packageCopy, stateDir } from '../helpers/cli.js';

function entryFor(cache: string, id: string): string {
  const dir = join(cache, 'mangaops');
  const file = readdirSync(dir).find((f) => f.startsWith('runbook-') && readFileSync(join(dir, f), 'utf8').includes(`"id":"${id}"`));
  return join(dir, file!);
}

describe('GIVEN runbooks served from the cache', () => {
  it('WHEN a runbook file changes THEN list shows the change at once (the key is the text)', () => {
    const pkg = packageCopy();
    const env = { XDG_CACHE_HOME: stateDir() };
    expect(pkg.run(['list'], env).stdout).toContain('WebSocket connection drops during streaming response');
    const file = join(pkg.runbooks, 'websocket-drop.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: WebSocket connection drops during streaming response', 'title: Sockets dropping'));
    const r = pkg.run(['list'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/websocket-drop\s+SEV-3\s+Sockets dropping/);
  });

  it('WHEN the config changes THEN placeholders are resolved from the new one', () => {
    const pkg = packageCopy();
    const env = { XDG_CACHE_HOME: stateDir() };
    expect(pkg.run(['graph', 'first-token'], env).stdout).not.toContain('other-cluster');
    const config = join(stateDir(), 'config.yaml');
    writeFileSync(config, 'ecs:\n  cluster: other-cluster\n');
    const r = pkg.run(['--config', config, 'drill', 'first-token', '--case', 'cold-connections', '--auto', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('--cluster other-cluster');
  });

  it('WHEN an entry on disk was altered THEN it is not trusted: the runbook is read again and the entry rewritten', () => {
    const pkg = packageCopy();
    const cache = stateDir();
    pkg.run(['list'], { XDG_CACHE_HOME: cache });
    const entry = entryFor(cache, 'websocket-drop');
    writeFileSync(entry, readFileSync(entry, 'utf8').replace('WebSocket connection drops', 'Altered in the cache'));
    const r = pkg.run(['list'], { XDG_CACHE_HOME: cache });
    expect(r.stdout).toContain('WebSocket connection drops during streaming response');
    expect(readFileSync(entry, 'utf8')).not.toContain('Altered in the cache');
  });

  it('WHEN an entry is wrong yet consistent THEN a drill reads it (control: the cache is used) but validate reads the sources', () => {
    const pkg = packageCopy();
    const cache = stateDir();
    pkg.run(['list'], { XDG_CACHE_HOME: cache });
    const entry = entryFor(cache, 'first-token');
    // Rewrite the entry as a cache would hold it, body checksum and all: cold-connections now "expects" another outcome.
    const [head, body] = readFileSync(entry, 'utf8').split(/\n(.*)/s) as [string, string];
    const runbook = JSON.parse(body) as { drills: { name: string; expect: string }[] };
    runbook.drills.find((d) => d.name === 'cold-connections')!.expect = 'ecs-overload';
    const altered = JSON.stringify(runbook);
    writeFileSync(entry, `${JSON.stringify({ ...JSON.parse(head), sum: sha256(altered) })}\n${altered}`);
    const drill = pkg.run(['drill', 'first-token', '--case', 'cold-connections', '--auto', '--json'], { XDG_CACHE_HOME: cache });
    expect((JSON.parse(drill.stdout) as { drill: { expected: string } }).drill.expected).toBe('ecs-overload');
    const validate = pkg.run(['validate'], { XDG_CACHE_HOME: cache });
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('✓ runbooks/first-token.yaml: 25 nodes, 13 drill cases reach their outcomes');
  });
});
