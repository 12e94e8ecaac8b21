// SIGINT, SIGTERM and SIGHUP while a purge is being applied, sent to the built CLI. THEN the
// process ends with 130 / 143 / 129, the step is journaled as failed part-way with the exact
// count (the UNLINKs in flight are given a moment to answer), the incident's end is journaled,
// and the journal's lock is gone.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/journal/journal.js';
import type { StepRecord } from '../../src/journal/records.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { bin, root, stateDir } from '../helpers/cli.js';
import { allKeys, flushAll, openClient, seed, type Client } from '../helpers/redis-data.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const PATTERN = 'precompute:genre:*';
const KEYS = 5_000;

describe('a signal during redis.purge', () => {
  let server: RedisServer;
  let client: Client;
  let proxy: FaultProxy;

  beforeAll(async () => {
    server = await startRedisServer();
    client = await openClient(server.url, false);
    proxy = await startFaultProxy({ port: server.port });
  });

  afterAll(async () => {
    await proxy?.close();
    client?.disconnect();
    await server?.stop();
  });

  it.each([
    { signal: 'SIGINT' as const, code: 130, said: 'Ctrl-C' },
    { signal: 'SIGTERM' as const, code: 143, said: 'SIGTERM' },
    { signal: 'SIGHUP' as const, code: 129, said: 'SIGHUP' },
  ])('$signal: exits $code with the exact count journaled, the end journaled, and no lock left', async ({ signal, code, said }) => {
    await flushAll(client);
    await seed(client, Array.from({ length: KEYS }, (_, i) => `precompute:genre:${i}`));
    // A slow network: the purge takes seconds, and replies are on their way when the signal lands.
    proxy.delayReplies(10);
    const journal = join(mkdtempSync(join(tmpdir(), 'mangaops-signal-')), 'incident.jsonl');
    const child = spawn(process.execPath, [bin, 'act', 'redis.purge', '--pattern', PATTERN, '--count', '100', '--batch', '100', '--yes', '--journal', journal], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', XDG_STATE_HOME: stateDir(), NO_COLOR: '1', MANGAOPS_REDIS_URL: proxy.url('redis') },
    });
    child.stdout.resume();
    child.stderr.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await proxy.seen(/UNLINK/i, 8);
    child.kill(signal);
    expect(await exited).toBe(code);

    const gone = KEYS - (await allKeys(client, PATTERN)).size;
    expect(gone).toBeGreaterThan(0);
    expect(gone).toBeLessThan(KEYS);
    const records = readJournal(journal);
    const failed = records.filter((r): r is StepRecord => r.type === 'step').at(-1)!;
    expect(failed).toMatchObject({ status: 'failed', error: `interrupted (${said}) while applying` });
    expect(failed.changed![0]).toMatch(new RegExp(`^deleted ${gone.toLocaleString('en-US')} keys? matching`));
    expect(failed.unchanged).toEqual([`keys matching ${PATTERN} not yet reached: run redis.purge again to finish`]);
    expect(records.at(-1)).toMatchObject({ type: 'end', status: 'aborted', message: `interrupted (${said})` });
    expect(existsSync(`${journal}.lock`)).toBe(false);
  });
});
