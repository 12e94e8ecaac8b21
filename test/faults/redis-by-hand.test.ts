// The "by hand" command redis.purge prints, run as an engineer would paste it (bash, the
// machine's redis-cli) against a real redis-server loaded with hostile key names: spaces,
// quotes, backslashes, newlines, glob characters, shell metacharacters, bytes that are not
// UTF-8. GIVEN the printed command THEN exactly the matching keys are gone and every other
// key survives, byte for byte.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/capabilities/redis/live.js';
import { globMatcher, type RedisPort } from '../../src/capabilities/redis/port.js';
import { mulberry32 } from '../helpers/random.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { onlyPorts, runAct } from './fault-world.js';

const run = promisify(execFile);
const PATTERN = 'precompute:*';
/** How many random hostile key names the fuzz loads (besides the named ones). */
const FUZZED_KEYS = 600;

const HOSTILE = [' ', "'", '"', '\\', '\n', '\r', '\t', '*', '?', '[', ']', '$', '`', ';', '|', '&', '(', ')', '{', '}', '\x1b', '\x00', ':'].map((c) => Buffer.from(c, 'latin1'));

/** A random name: hostile characters, plain letters and bytes 0x80–0xff (not UTF-8 on their own). */
function fuzzName(rand: () => number): Buffer {
  const parts: Buffer[] = [];
  for (let n = 1 + Math.floor(rand() * 16); n > 0; n--) {
    const r = rand();
    parts.push(r < 0.4 ? HOSTILE[Math.floor(rand() * HOSTILE.length)]! : r < 0.7 ? Buffer.from([0x80 + Math.floor(rand() * 0x80)]) : Buffer.from(String.fromCharCode(97 + Math.floor(rand() * 26))));
  }
  return Buffer.concat(parts);
}

function fuzzKeys(n: number): Buffer[] {
  const rand = mulberry32(11);
  const prefixes = ['precompute:', 'precompute', 'session:', 'Precompute:', ' precompute:', ''].map((p) => Buffer.from(p));
  return Array.from({ length: n }, () => Buffer.concat([prefixes[Math.floor(rand() * prefixes.length)]!, fuzzName(rand)]));
}

/** The issue's own: a key whose name holds another key's name, and one with a quote. */
const NAMED = ['precompute:genre:shonen:a session:1', 'session:1', "precompute:it's", 'precompute:back\\slash', 'precompute:new\nline', 'precompute:*', 'other'].map((k) => Buffer.from(k));

describe('the printed by-hand purge, pasted into bash against redis-server', () => {
  let server: RedisServer;
  let client: Redis;
  let port: RedisPort;

  beforeAll(async () => {
    server = await startRedisServer();
    client = new Redis({ port: server.port, host: '127.0.0.1' });
    port = await connectRedis(server.url);
  });

  afterAll(async () => {
    await port?.close();
    client?.disconnect();
    await server?.stop();
  });

  beforeEach(async () => {
    await client.flushall();
  });

  async function survivors(): Promise<string[]> {
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await client.scanBuffer(cursor, 'COUNT', 1000);
      out.push(...keys.map((k) => k.toString('hex')));
      cursor = next.toString();
    } while (cursor !== '0');
    return out.sort();
  }

  async function pasteThePrintedCommand(): Promise<void> {
    const plan = await runAct('redis.purge', ['--pattern', PATTERN, '--count', '50'], onlyPorts({ redis: async () => port }), { dryRun: true, json: true });
    const result = JSON.parse(plan.out) as { cli: string[] };
    expect(result.cli.length).toBe(1);
    for (const command of result.cli) {
      const { stderr } = await run('bash', ['-c', command]);
      expect(stderr).toBe('');
    }
  }

  it(`deletes exactly the keys matching ${PATTERN} among the named hostile keys and ${FUZZED_KEYS} fuzzed ones`, async () => {
    const keys = [...NAMED, ...fuzzKeys(FUZZED_KEYS)];
    for (const k of keys) await client.set(k, '1');
    const match = globMatcher(PATTERN);
    const expected = [...new Set(keys.filter((k) => !match(k)).map((k) => k.toString('hex')))].sort();
    const matching = new Set(keys.filter(match).map((k) => k.toString('hex'))).size;
    expect(matching).toBeGreaterThan(100);
    expect(expected.length).toBeGreaterThan(100);

    await pasteThePrintedCommand();
    expect(await survivors()).toEqual(expected);
    expect(await survivors()).toContain(Buffer.from('session:1').toString('hex'));
  });

  it('stops and says so when redis-cli gets no cursor back (here: nothing listening), instead of looping or passing in silence', async () => {
    const plan = await runAct('redis.purge', ['--pattern', PATTERN], onlyPorts({ redis: async () => port }), { dryRun: true, json: true });
    const unreachable = (JSON.parse(plan.out) as { cli: string[] }).cli[0]!.replace(/-p \d+/, '-p 1');
    const { stderr } = await run('bash', ['-c', unreachable], { timeout: 10_000 });
    expect(stderr).toMatch(/stopped: /);
  });
});
