// One writer per journal. GIVEN 20 `mangaops act` processes started at once on the same new
// --journal (the built CLI, against a real redis-server) THEN every step number is taken by
// exactly one of them, the journal has one start, and any process that could not get in says
// who holds the journal. GIVEN a lock left by a process that died THEN it is taken over; GIVEN
// one held by a live process THEN the message names its pid, host and command.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockJournal } from '../../src/journal/lock.js';
import { readJournal } from '../../src/journal/journal.js';
import type { StepRecord } from '../../src/journal/records.js';
import { bin, root, runCli, stateDir } from '../helpers/cli.js';
import { openClient, seed, type Client } from '../helpers/redis-data.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const RACERS = 20;

function actProcess(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', XDG_STATE_HOME: stateDir(), NO_COLOR: '1', ...env } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('one writer per journal', () => {
  let server: RedisServer;
  let client: Client;

  beforeAll(async () => {
    server = await startRedisServer();
    client = await openClient(server.url, false);
  });

  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  it(`GIVEN ${RACERS} acts racing on one new --journal THEN no step number is taken twice and the journal starts once`, async () => {
    await seed(client, Array.from({ length: RACERS }, (_, i) => `precompute:race${i}:1`));
    const journal = join(mkdtempSync(join(tmpdir(), 'mangaops-race-')), 'same.jsonl');
    const env = { MANGAOPS_REDIS_URL: server.url };
    const runs = await Promise.all(Array.from({ length: RACERS }, (_, i) => actProcess(['act', 'redis.purge', '--pattern', `precompute:race${i}:*`, '--yes', '--journal', journal], env)));

    const refused = runs.filter((r) => r.code !== 0);
    for (const r of refused) expect(r.stderr).toMatch(/the journal .*same\.jsonl is in use by pid \d+ \(mangaops act redis\.purge, since /);
    const steps = readJournal(journal).filter((r): r is StepRecord => r.type === 'step');
    const byStep = new Map<number, string[]>();
    for (const s of steps) byStep.set(s.step, [...(byStep.get(s.step) ?? []), s.status]);
    // Each number's records are one run's: planned, confirmed, applied, verified — once each.
    for (const statuses of byStep.values()) expect(statuses).toEqual(['planned', 'confirmed', 'applied', 'verified']);
    expect([...byStep.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: RACERS - refused.length }, (_, i) => i + 1));
    expect(RACERS - refused.length).toBeGreaterThan(1);
    // Each pattern was purged by the run that journaled it, and no run journaled another's.
    expect(new Set(steps.map((s) => (s.params as { pattern: string }).pattern)).size).toBe(byStep.size);
    expect(readJournal(journal).filter((r) => r.type === 'start')).toHaveLength(1);
    expect(existsSync(`${journal}.lock`)).toBe(false);
  });

  it('GIVEN a lock left by a process that died THEN the next act takes it over, and leaves no lock behind', async () => {
    const journal = join(mkdtempSync(join(tmpdir(), 'mangaops-stale-')), 'incident.jsonl');
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    writeFileSync(`${journal}.lock`, JSON.stringify({ pid: dead, host: hostname(), command: 'mangaops act ecs.scale', since: '2026-11-27T20:15:00.000Z' }));
    await seed(client, ['precompute:stale:1']);
    const r = runCli(['act', 'redis.purge', '--pattern', 'precompute:stale:*', '--yes', '--journal', journal], { MANGAOPS_REDIS_URL: server.url });
    expect(r.stderr).not.toContain('in use');
    expect(r.code).toBe(0);
    expect(existsSync(`${journal}.lock`)).toBe(false);
  });

  it('GIVEN a live writer THEN a second one waits, then says which pid on which host holds the journal, and with what', async () => {
    const journal = join(mkdtempSync(join(tmpdir(), 'mangaops-held-')), 'incident.jsonl');
    const held = await lockJournal(journal, { command: 'mangaops diagnose first-token' });
    try {
      const started = Date.now();
      await expect(lockJournal(journal, { command: 'mangaops undo', waitMs: 300 })).rejects.toMatchObject({
        message: expect.stringMatching(new RegExp(`^the journal ${journal} is in use by pid ${process.pid} \\(mangaops diagnose first-token, since `)),
        hint: `wait for it to finish (or stop it: kill ${process.pid})`,
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      writeFileSync(`${journal}.lock`, JSON.stringify({ pid: 1, host: 'bastion-2', command: 'mangaops act ecs.scale', since: '2026-11-27T20:15:00.000Z' }));
      await expect(lockJournal(journal, { command: 'mangaops undo', waitMs: 100 })).rejects.toThrow(`in use by pid 1 on bastion-2 (mangaops act ecs.scale, since 2026-11-27T20:15:00.000Z)`);
    } finally {
      held.release();
    }
  });
});
