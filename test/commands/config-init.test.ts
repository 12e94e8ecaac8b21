// `mangaops config init`: the account's names, asked or given, written to the per-user config
// that every command then reads between the shipped defaults and --config.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configInit } from '../../src/commands/config-init.js';
import { loadConfig } from '../../src/core/config.js';
import { makeIo } from '../helpers/io.js';

function home() {
  const dir = mkdtempSync(join(tmpdir(), 'mangaops-config-'));
  return { env: { XDG_CONFIG_HOME: dir }, file: join(dir, 'mangaops', 'config.yaml') };
}

describe('mangaops config init', () => {
  it('GIVEN flags and no terminal THEN it writes them, keeps the current values for the rest, and says so; the file is the owner\'s alone', async () => {
    const { env, file } = home();
    const t = makeIo({ env });
    expect(await configInit({ region: 'us-west-2', cluster: 'prod', service: 'orch', redisUrl: 'rediss://:s3cret@cache.example:6379' }, t.io)).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('cluster: prod');
    expect(text).toContain('url: rediss://:s3cret@cache.example:6379');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The password never reaches the screen.
    expect(t.out()).toContain('redis.url                  rediss://:****@cache.example:6379');
    expect(t.out()).not.toContain('s3cret');
    expect(t.err()).toContain('kept the current values');
    const config = await loadConfig({ env });
    expect(config).toMatchObject({ region: 'us-west-2', ecs: { cluster: 'prod', service: 'orch', container: 'orchestrator' } });
  });

  it('GIVEN a terminal THEN it asks for each name, offering the current one, and --config still wins over it', async () => {
    const { env } = home();
    const t = makeIo({ env, interactive: true, script: { 'config:ecs.cluster': 'game-day', 'config:*': '\n' } });
    expect(await configInit({}, t.io)).toBe(0);
    expect(t.prompter.asked.find((q) => q.id === 'config:ecs.service')).toMatchObject({ defaultValue: 'orchestrator' });
    expect((await loadConfig({ env })).ecs?.cluster).toBe('game-day');
    const override = join(mkdtempSync(join(tmpdir(), 'mangaops-override-')), 'c.yaml');
    writeFileSync(override, 'ecs: { cluster: from-flag }\n');
    expect((await loadConfig({ env, file: override })).ecs?.cluster).toBe('from-flag');
  });

  it('GIVEN a Redis URL with a password already configured THEN the prompt offers it masked, and Enter keeps the real one', async () => {
    const { env } = home();
    const base = join(mkdtempSync(join(tmpdir(), 'mangaops-base-')), 'c.yaml');
    writeFileSync(base, 'redis: { url: "rediss://:p@ss/w0rd@cache.example:6379" }\n');
    const t = makeIo({ env: { ...env, MANGAOPS_CONFIG: base }, interactive: true, script: { 'config:*': '\n' } });
    expect(await configInit({}, t.io)).toBe(0);
    expect(t.prompter.asked.find((q) => q.id === 'config:redis.url')).toMatchObject({ defaultValue: 'rediss://:****@cache.example:6379' });
    expect(JSON.stringify(t.prompter.asked) + t.out() + t.err()).not.toContain('w0rd');
    expect((await loadConfig({ env })).redis?.url).toBe('rediss://:p@ss/w0rd@cache.example:6379');
  });

  it('GIVEN a config already written THEN it refuses without --force, naming it', async () => {
    const { env } = home();
    await configInit({ yes: true }, makeIo({ env }).io);
    await expect(configInit({ yes: true }, makeIo({ env }).io)).rejects.toMatchObject({ exitCode: 2, hint: expect.stringContaining('--force') });
    expect(await configInit({ yes: true, force: true, cluster: 'again' }, makeIo({ env }).io)).toBe(0);
  });
});
