// redis.purge against the shell one-liner and KEYS + DEL.
//
// 1. On loopback: one local redis-server holding 1,200,000 keys of which 1,000,000 match,
//    reseeded identically before each contender, rounds interleaved, the best round kept
//    (this machine is shared: noise only ever adds time and latency).
//      throughput: matching keys deleted per second (the action's apply; its plan — DBSIZE
//                  and a 20,000-key SCAN sample — is timed apart)
//      impact:     another client's round trips — a paced PING loop in its own process
//                  (bench/ping-probe.mjs) — during the purge, against the idle server
// 2. One network hop away: the same two purges through bench/latency-proxy.mjs (1 ms each
//    way, about the least Node timers can add; a bastion or VPN is more), on a tenth of the
//    data so the one-liner finishes in seconds. Here the one-liner pays its 120,000 SCAN
//    round trips (redis-cli --scan's COUNT is 10), as it does against a real ElastiCache.
//
// Goal: ≥ 5× the one-liner's keys/s; another client's worst PING under 2× its idle worst.
//   npx tsx bench/index.ts redis        (BENCH_ROUNDS=3 by default)
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { ActionContext } from '../src/capabilities/action.js';
import type { Ports } from '../src/capabilities/ports.js';
import { redisPurge } from '../src/capabilities/redis/actions/purge.js';
import { connectRedis } from '../src/capabilities/redis/live.js';
import { startRedisServer } from '../test/helpers/redis-server.js';

const PATTERN = 'precompute:genre:shonen:*';
const IDLE_MS = 3000;
const HOP_MS = 1;
const here = dirname(fileURLToPath(import.meta.url));
const sh = promisify(execFile);

interface Latency {
  count: number;
  max: number;
  p999: number;
  p99: number;
  p50: number;
}

interface Round {
  seconds: number;
  latency?: Latency;
  /** The slowest single SCAN/UNLINK/KEYS/DEL the server ran (LATENCY HISTOGRAM, µs): how long it made everyone else wait. */
  longestUs?: number;
}

let admin: Redis;

/** The slowest purge command since CONFIG RESETSTAT, from the server's own per-command histograms. */
async function longestCommandUs(): Promise<number> {
  const reply = (await admin.call('LATENCY', 'HISTOGRAM', 'scan', 'unlink', 'del', 'keys')) as unknown[];
  let longest = 0;
  for (let i = 1; i < reply.length; i += 2) {
    const detail = reply[i] as unknown[];
    const buckets = detail[detail.indexOf('histogram_usec') + 1] as number[];
    for (let j = 0; j < buckets.length; j += 2) longest = Math.max(longest, Number(buckets[j]));
  }
  return longest;
}

interface Data {
  matching: number;
  others: number;
}

const LOOPBACK: Data = { matching: 1_000_000, others: 200_000 };
const HOP: Data = { matching: 100_000, others: 20_000 };

async function reseed(redis: Redis, data: Data): Promise<void> {
  await redis.flushall();
  const value = 'x'.repeat(64);
  const put = async (prefix: string, n: number) => {
    for (let i = 0; i < n; i += 50_000) {
      const pipe = redis.pipeline();
      for (let j = i; j < Math.min(n, i + 50_000); j += 1000) {
        const args: string[] = [];
        for (let k = j; k < Math.min(n, j + 1000); k++) args.push(`${prefix}${k}`, value);
        pipe.mset(...args);
      }
      await pipe.exec();
    }
  };
  await put('precompute:genre:shonen:', data.matching);
  await put('session:', data.others);
  const size = await redis.dbsize();
  if (size !== data.matching + data.others) throw new Error(`seeded ${size} keys, not ${data.matching + data.others}`);
}

function child(script: string, args: string[], ready: RegExp): Promise<{ proc: ChildProcess; out: () => string; match: RegExpExecArray }> {
  const proc = spawn(process.execPath, [join(here, script), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    const check = setInterval(() => {
      const m = ready.exec(out);
      if (m) {
        clearInterval(check);
        resolve({ proc, out: () => out, match: m });
      }
    }, 5);
    proc.once('exit', (code) => (clearInterval(check), reject(new Error(`${script} exited with ${code}`))));
  });
}

/** Run `work` with the PING probe going; its latencies with the time taken. */
async function timed(port: number | undefined, work: () => Promise<void>): Promise<Round> {
  const probe = port === undefined ? undefined : await child('ping-probe.mjs', [String(port)], /ready\n/);
  await admin.call('CONFIG', 'RESETSTAT');
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const longestUs = await longestCommandUs();
  if (!probe) return { seconds, longestUs };
  const latency = await new Promise<Latency>((resolve) => {
    probe.proc.once('exit', () => resolve(JSON.parse(probe.out().split('\n').filter(Boolean).at(-1)!) as Latency));
    probe.proc.stdin!.write('stop\n');
  });
  return { seconds, latency, longestUs };
}

/** A purge of PATTERN at `port` (the server, or the proxy in front of it), timed; the probe watches `probePort`. */
type Purge = (port: number, probePort: number | undefined) => Promise<Round & { plan?: number }>;

const ours = (params: { count?: number; batch?: number } = {}): Purge => async (port, probePort) => {
  const redis = await connectRedis(`redis://127.0.0.1:${port}`);
  try {
    const ports = { redis: async () => redis } as unknown as Ports;
    const ctx: ActionContext = { ports, force: false, config: {}, progress: () => {}, now: () => Date.now(), sleep: async () => {}, deadlineMs: 60_000 };
    const planStart = performance.now();
    const plan = await redisPurge.plan(redisPurge.params.parse({ pattern: PATTERN, ...params }), ctx);
    const planSeconds = (performance.now() - planStart) / 1000;
    return { ...(await timed(probePort, async () => void (await redisPurge.apply(plan, ctx)))), plan: planSeconds };
  } finally {
    await redis.close();
  }
};

const oneLiner: Purge = (port, probePort) => {
  const cli = `redis-cli -p ${port}`;
  return timed(probePort, async () => {
    await sh('bash', ['-c', `${cli} --scan --pattern '${PATTERN}' | xargs -n 1000 ${cli} unlink > /dev/null`], { maxBuffer: 1 << 26 });
  });
};

// As the seed's runbook types it: KEYS, then DEL what it listed (1,000 keys a command).
const keysDel: Purge = async (port, probePort) => {
  const c = new Redis({ port });
  try {
    return await timed(probePort, async () => {
      const keys = await c.keys(PATTERN);
      for (let i = 0; i < keys.length; i += 1000) await c.del(...keys.slice(i, i + 1000));
    });
  } finally {
    c.disconnect();
  }
};

const ms = (v: number) => `${v.toFixed(2)} ms`;
const num = (v: number) => Math.round(v).toLocaleString('en-US');

function table(head: string[], rows: string[][]): string {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  return all.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

/** The least disturbed rounds: the fastest time, and the round whose worst PING was lowest. */
function best(rounds: Round[]): Round {
  const withLatency = rounds.filter((r) => r.latency).sort((a, b) => a.latency!.max - b.latency!.max);
  return { seconds: Math.min(...rounds.map((r) => r.seconds)), latency: withLatency[0]?.latency, longestUs: Math.min(...rounds.map((r) => r.longestUs ?? Infinity)) };
}

export async function run(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const server = await startRedisServer();
  admin = new Redis({ port: server.port, lazyConnect: true });
  await admin.connect();
  const check = async (name: string, data: Data) => {
    const left = await admin.dbsize();
    if (left !== data.others) throw new Error(`${name} left ${left} keys, not ${data.others}`);
  };
  try {
    const version = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1];
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(`redis-server ${version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), load average ${load} at the start`);

    // ── 1. loopback ────────────────────────────────────────────────────────────────
    const contenders: Array<[string, Purge]> = [
      ['mangaops redis.purge', ours()],
      ['redis-cli --scan | xargs unlink', oneLiner],
      ['KEYS + DEL', keysDel],
      // The gentle setting: a tenth of the work per command, for a server already near its limit.
      ['redis.purge --count 100 --batch 100', ours({ count: 100, batch: 100 })],
    ];
    const idle: Round[] = [];
    const seen = new Map<string, Round[]>();
    const plans: number[] = [];
    for (let r = 1; r <= rounds; r++) {
      await reseed(admin, LOOPBACK);
      idle.push(await timed(server.port, () => new Promise((resolve) => setTimeout(resolve, IDLE_MS))));
      for (const [name, purge] of contenders) {
        await reseed(admin, LOOPBACK);
        const round = await purge(server.port, server.port);
        await check(name, LOOPBACK);
        if (round.plan !== undefined) plans.push(round.plan);
        seen.set(name, [...(seen.get(name) ?? []), round]);
        process.stderr.write(`  round ${r}: ${name} ${round.seconds.toFixed(2)} s, worst PING ${ms(round.latency!.max)}, longest command ${ms(round.longestUs! / 1000)}\n`);
      }
    }
    const quiet = best(idle).latency!;
    const results = contenders.map(([name]) => [name, best(seen.get(name)!)] as const);
    console.log(`\n1. Loopback: ${num(LOOPBACK.matching)} keys matching ${PATTERN} among ${num(LOOPBACK.matching + LOOPBACK.others)}; best of ${rounds} interleaved rounds`);
    console.log(
      table(
        ['', 'keys/s', 'time', 'worst PING', 'p99.9 PING', 'p99 PING', 'worst vs idle', 'longest command ≤'],
        [
          ['idle server (no purge)', '—', '—', ms(quiet.max), ms(quiet.p999), ms(quiet.p99), '1.0×', '—'],
          ...results.map(([name, r]) => [
            name,
            num(LOOPBACK.matching / r.seconds),
            `${r.seconds.toFixed(2)} s`,
            ms(r.latency!.max),
            ms(r.latency!.p999),
            ms(r.latency!.p99),
            `${(r.latency!.max / quiet.max).toFixed(1)}×`,
            ms(r.longestUs! / 1000),
          ]),
        ],
      ),
    );
    const [o, s, k, g] = results.map(([, r]) => r) as [Round, Round, Round, Round];
    const verdict = (name: string, r: Round) => {
      const speedup = s.seconds / r.seconds;
      const ratio = r.latency!.max / quiet.max;
      return `${name}: ${speedup.toFixed(1)}× the one-liner's keys/s (goal ≥ 5×: ${speedup >= 5 ? 'met' : 'not met'}); another client's worst PING ${ratio.toFixed(1)}× its idle worst (goal < 2×: ${ratio < 2 ? 'met' : 'not met'})`;
    };
    console.log(`${verdict('redis.purge', o)}.\n${verdict('redis.purge --count 100 --batch 100', g)}.`);
    console.log(`KEYS + DEL: worst PING ${(k.latency!.max / quiet.max).toFixed(0)}× idle. redis.purge's plan (DBSIZE, 20,000-key SCAN sample) took ${Math.min(...plans).toFixed(2)} s more.`);

    // ── 2. one network hop away ────────────────────────────────────────────────────
    const proxy = await child('latency-proxy.mjs', [String(server.port), String(HOP_MS)], /port (\d+)\n/);
    try {
      const proxyPort = Number(proxy.match[1]);
      const hop: Array<[string, Round]> = [];
      for (const [name, purge] of [contenders[0]!, contenders[1]!, contenders[3]!]) {
        await reseed(admin, HOP);
        const round = await purge(proxyPort, undefined);
        await check(name, HOP);
        hop.push([name, round]);
        process.stderr.write(`  through the proxy: ${name} ${round.seconds.toFixed(2)} s\n`);
      }
      console.log(`\n2. One hop away (+${HOP_MS} ms each way): ${num(HOP.matching)} matching among ${num(HOP.matching + HOP.others)}; one round`);
      console.log(table(['', 'keys/s', 'time'], hop.map(([name, r]) => [name, num(HOP.matching / r.seconds), `${r.seconds.toFixed(2)} s`])));
      console.log(`redis.purge: ${(hop[1]![1].seconds / hop[0]![1].seconds).toFixed(0)}× the one-liner's keys/s; with --count 100 --batch 100: ${(hop[1]![1].seconds / hop[2]![1].seconds).toFixed(0)}×`);
    } finally {
      proxy.proc.stdin!.end();
    }
  } finally {
    admin.disconnect();
    await server.stop();
  }
}
