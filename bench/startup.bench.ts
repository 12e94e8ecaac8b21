// `npm run bench startup`: the built CLI's start-up, each command beside a bare `node -e 0` in
// the same run (interleaved round by round, so load from elsewhere falls on all alike), with
// the median wall time, the ratio and its goal (issue 12), and peak memory (GNU time's maximum
// resident set, when /usr/bin/time is there). Caches warm, as on an engineer's second command;
// the cold rows read every runbook from YAML again and compile the bundle afresh (its code
// cache is kept in the same folder). diagnose runs against a local CloudWatch
// stand-in that answers after 100 ms; every other AWS endpoint points at it too and is told at
// once that it is not that service. `aws --version` is there for scale when the AWS CLI is.
// The CPU column (user + system, GNU time) is what a loaded machine disturbs least.
// Figures, not assertions.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudWatchStandIn } from '../test/helpers/cloudwatch-standin.js';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'mangaops.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const GNU_TIME = '/usr/bin/time';

interface Row {
  name: string;
  argv: string[];
  /** Goal as a ratio to node -e 0, plus milliseconds on top (diagnose's stand-in delay). */
  goal?: { ratio: number; plusMs?: number };
  /** A fresh cache folder for every run. */
  coldCache?: boolean;
  env?: Record<string, string>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function which(command: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function rows(standIn: string): Row[] {
  const mangaops = (...args: string[]) => [process.execPath, bin, ...args];
  // Dummy keys; every AWS endpoint is the local stand-in: nothing reaches AWS.
  const aws = { AWS_ENDPOINT_URL: standIn, AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
  const awsCli = which('aws');
  return [
    { name: 'node -e 0', argv: [process.execPath, '-e', '0'] },
    { name: '--help', argv: mangaops('--help'), goal: { ratio: 1.5 } },
    { name: '--version', argv: mangaops('--version'), goal: { ratio: 1.5 } },
    { name: 'list', argv: mangaops('list'), goal: { ratio: 1.5 } },
    { name: 'graph first-token', argv: mangaops('graph', 'first-token'), goal: { ratio: 1.5 } },
    { name: 'validate', argv: mangaops('validate'), goal: { ratio: 2 } },
    { name: 'drill first-token --case cold-connections --auto --json', argv: mangaops('drill', 'first-token', '--case', 'cold-connections', '--auto', '--json'), goal: { ratio: 2 } },
    { name: 'diagnose first-token --auto --json (stand-in: 100 ms)', argv: mangaops('diagnose', 'first-token', '--auto', '--json'), goal: { ratio: 2, plusMs: 100 }, env: aws },
    // The compiled-code cache (src/cli/boot.ts) turned off: V8 compiles the bundle each run.
    { name: 'validate, code cache off', argv: mangaops('validate'), env: { MANGAOPS_CODE_CACHE: 'off' } },
    { name: 'drill …, code cache off', argv: mangaops('drill', 'first-token', '--case', 'cold-connections', '--auto', '--json'), env: { MANGAOPS_CODE_CACHE: 'off' } },
    { name: 'list, cache cold', argv: mangaops('list'), coldCache: true },
    { name: 'validate, cache cold', argv: mangaops('validate'), coldCache: true },
    ...(awsCli ? [{ name: 'aws --version', argv: [awsCli, '--version'] }] : []),
  ];
}

/** One run of a row: wall time around the child, and its peak memory when GNU time measures it. */
async function once(row: Row, env: Record<string, string>, withTime: boolean): Promise<{ ms: number; kb?: number; cpuMs?: number }> {
  const cache = row.coldCache ? mkdtempSync(join(tmpdir(), 'mangaops-bench-cold-')) : undefined;
  const argv = withTime ? [GNU_TIME, '-f', '%M %U %S', ...row.argv] : row.argv;
  const t0 = performance.now();
  // Not spawnSync: the stand-in answers from this process, so its event loop must run.
  const child = spawn(argv[0]!, argv.slice(1), { cwd: root, env: { ...env, ...row.env, ...(cache && { XDG_CACHE_HOME: cache }) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const ms = performance.now() - t0;
  if (cache) rmSync(cache, { recursive: true, force: true });
  if (code !== 0 && code !== 3) throw new Error(`${row.name} exited ${code}: ${stderr}`);
  if (!withTime) return { ms };
  const [kb, user, system] = stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { ms, kb, cpuMs: (user! + system!) * 1000 };
}

export async function run(): Promise<void> {
  const standIn = await startCloudWatchStandIn({ delayMs: 100 });
  const home = mkdtempSync(join(tmpdir(), 'mangaops-bench-'));
  // The environment as it is (NODE_EXTRA_CA_CERTS, for one, costs every node start the same),
  // with throwaway folders and without the user's AWS settings.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith('AWS_'))) as Record<string, string>;
  const env = { ...inherited, HOME: home, XDG_STATE_HOME: join(home, 'state'), XDG_CACHE_HOME: join(home, 'cache'), NO_COLOR: '1' };
  try {
    const table = rows(standIn.endpoint);
    const loadBefore = loadavg();
    for (const row of table) await once(row, env, false); // warm the caches and the page cache
    const wall = new Map(table.map((r) => [r, [] as number[]]));
    for (let i = 0; i < RUNS; i++) for (const row of table) wall.get(row)!.push((await once(row, env, false)).ms);
    const memory = new Map<Row, number>();
    const cpu = new Map<Row, number>();
    if (existsSync(GNU_TIME)) {
      const timed = new Map(table.map((r) => [r, [] as { kb?: number; cpuMs?: number }[]]));
      for (let i = 0; i < 5; i++) for (const row of table) timed.get(row)!.push(await once(row, env, true));
      for (const row of table) {
        memory.set(row, median(timed.get(row)!.map((t) => t.kb!)));
        cpu.set(row, median(timed.get(row)!.map((t) => t.cpuMs!)));
      }
    }
    const loadAfter = loadavg();

    const base = median(wall.get(table[0]!)!);
    const head = ['command', 'median wall', '× node -e 0', 'goal', 'met', 'CPU', 'CPU ×', 'peak memory'];
    const baseCpu = cpu.get(table[0]!);
    const lines = table.map((row) => {
      const ms = median(wall.get(row)!);
      const goal = row.goal && `≤ ${row.goal.ratio}×${row.goal.plusMs ? ` + ${row.goal.plusMs} ms` : ''}`;
      const met = row.goal ? (ms <= row.goal.ratio * base + (row.goal.plusMs ?? 0) ? 'yes' : 'no') : '';
      const kb = memory.get(row);
      const cpuMs = cpu.get(row);
      const cpuCells = cpuMs !== undefined && baseCpu ? [`${Math.round(cpuMs)} ms`, `${(cpuMs / baseCpu).toFixed(2)}×`] : ['—', '—'];
      return [row.name, `${Math.round(ms)} ms`, `${(ms / base).toFixed(2)}×`, goal ?? '', met, ...cpuCells, kb ? `${Math.round(kb / 1024)} MB` : '—'];
    });
    const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    console.log(`Node ${process.version}; median of ${RUNS} interleaved runs; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after.${process.env.NODE_EXTRA_CA_CERTS ? ' NODE_EXTRA_CA_CERTS is set: every node start reads it.' : ''}`);
    console.log(line(head));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const l of lines) console.log(line(l));
    if (!existsSync(GNU_TIME)) console.log('(CPU and peak memory need GNU time at /usr/bin/time)');
  } finally {
    await standIn.close();
    rmSync(home, { recursive: true, force: true });
  }
}
