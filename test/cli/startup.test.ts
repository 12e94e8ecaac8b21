// What each command of the built CLI loads: `mangaops --help` and `--version` nothing but the
// argument parser; the libraries behind the commands (the YAML reader, zod, the prompts, chalk,
// ioredis, the AWS SDK) only when a command reaches them. A resolve hook records every file the
// process loads, and dist/bundle-map.json (written by the build) says which of our modules and
// which libraries each file of the bundle carries.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, packageCopy, root, stateDir } from '../helpers/cli.js';
import { startCloudWatchStandIn } from '../helpers/cloudwatch-standin.js';
import { Terminal } from '../helpers/pty.js';
import { until } from '../helpers/team.js';

const hook = join(root, 'test', 'fixtures', 'record-loads.mjs');
const bundleMap = JSON.parse(readFileSync(join(root, 'dist', 'bundle-map.json'), 'utf8')) as Record<string, string[]>;

/** What a loaded file carries: the bundle map's entry for a dist/ file, a package's name for one of node_modules/. */
function carried(url: string): string[] {
  const inDist = url.match(/\/dist\/(.+)$/);
  if (inDist) return bundleMap[inDist[1]!] ?? [];
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  return pkg ? [pkg[1]!] : [];
}

function carriedBy(log: string): string[] {
  const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t')[1]!);
  return [...new Set(urls.flatMap(carried))].sort();
}

function loadsOf(args: string[], options: { code?: number; env?: Record<string, string> } = {}): string[] {
  const log = join(mkdtempSync(join(tmpdir(), 'mangaops-startup-')), 'loads.txt');
  const r = spawnSync(process.execPath, ['--import', hook, bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', XDG_STATE_HOME: stateDir(), XDG_CACHE_HOME: stateDir(), MANGAOPS_LOAD_LOG: log, NO_COLOR: '1', ...options.env },
  });
  expect(r.status, r.stderr).toBe(options.code ?? 0);
  return carriedBy(log);
}

const libraries = (loads: string[], pattern: RegExp) => loads.filter((p) => !p.startsWith('src/') && pattern.test(p));
const YAML = /^(js-yaml|yaml)$/;
const SCHEMA = /^zod$/;
const SDK = /^@(aws-sdk|smithy)\//;
const REDIS = /^ioredis$/;
const PROMPTS = /^@inquirer\//;
const HEAVY = /^(js-yaml|yaml|zod|@inquirer\/.*|chalk|ioredis|@aws-sdk\/.*|@smithy\/.*|@opensearch-project\/.*)$/;
const drill = ['drill', 'first-token', '--case', 'cold-connections', '--auto', '--json'];

// Dummy keys, every AWS endpoint a closed local port: the live reads fail at once, never reach AWS.
const offline = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_MAX_ATTEMPTS: '1', AWS_EC2_METADATA_DISABLED: 'true' };

describe('start-up cost', () => {
  it.each([['--help'], ['--version']])('%s loads commander and our entry points only', (flag) => {
    const loads = loadsOf([flag]);
    expect(loads).toContain('commander');
    expect(libraries(loads, HEAVY)).toEqual([]);
    expect(loads.filter((p) => p.startsWith('src/commands/'))).toEqual([]);
  });

  it('list and validate with a cold cache do load the runbook libraries (the recorder sees them)', () => {
    const loads = loadsOf(['list']);
    expect(libraries(loads, YAML)).toEqual(['js-yaml']);
    expect(libraries(loadsOf(['validate']), YAML)).toEqual(['js-yaml']);
    expect(libraries(loads, SCHEMA)).toEqual(['zod']);
    expect(libraries(loads, new RegExp(`${SDK.source}|${REDIS.source}|${PROMPTS.source}`))).toEqual([]);
  });

  describe('with a warm cache (one list has filled it)', () => {
    const cache = stateDir();
    beforeAll(() => void loadsOf(['list'], { env: { XDG_CACHE_HOME: cache } }));

    it('list, graph and a drill load neither the YAML reader nor zod; the drill no SDK, Redis client or prompts', () => {
      for (const args of [['list'], ['graph', 'first-token'], drill]) {
        const loads = loadsOf(args, { env: { XDG_CACHE_HOME: cache } });
        expect(libraries(loads, YAML), args.join(' ')).toEqual([]);
        if (args[0] !== 'drill') expect(libraries(loads, SCHEMA), args.join(' ')).toEqual([]);
        expect(libraries(loads, new RegExp(`${SDK.source}|${REDIS.source}|${PROMPTS.source}`)), args.join(' ')).toEqual([]);
      }
    });

    it('validate parses no YAML again (the checked form and its lines are cached), and loads no SDK, Redis client or prompts', () => {
      const loads = loadsOf(['validate'], { env: { XDG_CACHE_HOME: cache } });
      expect(libraries(loads, YAML)).toEqual([]);
      expect(libraries(loads, new RegExp(`${SDK.source}|${REDIS.source}|${PROMPTS.source}`))).toEqual([]);
    });

    it('the commands that read every runbook (alarms --event-pattern, shell completion) read them from the cache too', () => {
      for (const args of [['alarms', '--event-pattern'], ['__complete', '2', 'drill', '']]) {
        expect(libraries(loadsOf(args, { env: { XDG_CACHE_HOME: cache } }), YAML), args.join(' ')).toEqual([]);
      }
    });
  });

  it('diagnose --auto loads the AWS SDK for its reads, and no prompts, and no Redis client when no probe reads Redis', () => {
    const loads = loadsOf(['diagnose', 'first-token', '--auto', '--probe-timeout', '1500'], { code: 3, env: offline });
    expect(libraries(loads, SDK).length).toBeGreaterThan(0);
    expect(libraries(loads, new RegExp(`${REDIS.source}|${PROMPTS.source}`))).toEqual([]);
  });

  it('diagnose loads ioredis when a probe reads Redis (the control for the line above)', () => {
    const loads = loadsOf(['diagnose', 'stale-precompute', '--auto', '--probe-timeout', '1500'], { code: 3, env: { ...offline, MANGAOPS_REDIS_URL: 'redis://127.0.0.1:9' } });
    expect(libraries(loads, REDIS)).toEqual(['ioredis']);
    expect(libraries(loads, PROMPTS)).toEqual([]);
  });

  it('diagnose loads the DynamoDB client while the CloudWatch batch is in flight: after it was sent, before it is answered', async () => {
    const log = join(stateDir(), 'loads.txt');
    const loaded = (pkg: string) => {
      try {
        return readFileSync(log, 'utf8').split('\n').map((l) => l.split('\t')).find(([, url]) => url && carried(url).includes(pkg));
      } catch {
        return undefined;
      }
    };
    // CloudWatch's reply is held until the DynamoDB client has loaded (or 10 s have passed):
    // how fast this machine is does not decide the outcome, only the order does.
    const standIn = await startCloudWatchStandIn({ hold: () => until(() => loaded('@aws-sdk/client-dynamodb') !== undefined, 10_000, 'the DynamoDB client').catch(() => {}) });
    try {
      const env = { ...offline, AWS_ENDPOINT_URL: standIn.endpoint, PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', XDG_STATE_HOME: stateDir(), XDG_CACHE_HOME: stateDir(), MANGAOPS_LOAD_LOG: log, NO_COLOR: '1' };
      const code = await new Promise<number | null>((resolve) => execFile(process.execPath, ['--import', hook, bin, 'diagnose', 'first-token', '--auto', '--json'], { cwd: root, env }, (error) => resolve(error ? ((error as { code?: number }).code ?? 1) : 0)));
      expect(code, 'stops at the question the stand-in cannot answer').toBe(3);
      const batch = standIn.requests.find((r) => r.target.endsWith('.GetMetricData'))!;
      const dynamo = loaded('@aws-sdk/client-dynamodb');
      expect(dynamo, 'the DynamoDB client is loaded (for classifier-activations)').toBeDefined();
      // The stand-in notes the batch once it has read it, a few ms after the CLI sent it.
      expect(Number(dynamo![2])).toBeGreaterThanOrEqual(batch.at - 10);
      expect(Number(dynamo![2])).toBeLessThan(batch.answeredAt!);
    } finally {
      await standIn.close();
    }
  });

  it('diagnose evaluates zod only once its CloudWatch batch is sent: the probe kinds build no schema for a runbook read from the cache', async () => {
    const standIn = await startCloudWatchStandIn({ delayMs: 100 });
    const log = join(stateDir(), 'loads.txt');
    const cache = stateDir();
    try {
      const env = { ...offline, AWS_ENDPOINT_URL: standIn.endpoint, PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', XDG_STATE_HOME: stateDir(), XDG_CACHE_HOME: cache, NO_COLOR: '1' };
      const run = () => new Promise<void>((resolve) => execFile(process.execPath, ['--import', hook, bin, 'diagnose', 'first-token', '--auto', '--json'], { cwd: root, env: { ...env, MANGAOPS_LOAD_LOG: log } }, () => resolve()));
      await run(); // fills the runbook cache
      rmSync(log, { force: true });
      standIn.requests.length = 0;
      await run();
      const sent = standIn.requests.find((r) => r.target.endsWith('.GetMetricData'))!.at;
      // Its file is read with the kinds' (the bundle evaluates it at first use): what counts is when it runs.
      const zod = readFileSync(log, 'utf8').split('\n').map((l) => l.split('\t')).find(([what]) => what === 'zod evaluated');
      expect(zod, 'zod is evaluated in the run (the fixes offered have schemas)').toBeDefined();
      expect(Number(zod![2])).toBeGreaterThanOrEqual(sent - 10);
    } finally {
      await standIn.close();
    }
  });

  it('list measures narrow text itself: string-width is neither read nor evaluated (no Intl.Segmenter); a runbook title with wide characters has it loaded and measuring', () => {
    const segmenters = (log: string[]) => log.filter((l) => l === 'Intl.Segmenter').length;
    const rawLoads = (args: string[], env: Record<string, string> = {}, dir = root) => {
      const log = join(mkdtempSync(join(tmpdir(), 'mangaops-startup-')), 'loads.txt');
      const r = spawnSync(process.execPath, ['--import', hook, join(dir, 'bin', 'mangaops.cjs'), ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', XDG_STATE_HOME: stateDir(), XDG_CACHE_HOME: stateDir(), MANGAOPS_LOAD_LOG: log, NO_COLOR: '1', ...env },
      });
      expect(r.status, r.stderr).toBe(0);
      return { stdout: r.stdout, loads: readFileSync(log, 'utf8').split('\n').map((l) => l.split('\t')[0]!), libraries: carriedBy(log) };
    };
    const narrow = rawLoads(['list']);
    expect(segmenters(narrow.loads)).toBe(0);
    expect(libraries(narrow.libraries, /^(string-width|wrap-ansi)$/)).toEqual([]);
    const pkg = packageCopy();
    const file = join(pkg.runbooks, 'first-token.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: 漫画 first-token latency (ファーストトークン)'));
    const wide = rawLoads(['list'], {}, pkg.dir);
    expect(wide.stdout).toContain('漫画');
    expect(segmenters(wide.loads)).toBeGreaterThan(0);
    expect(libraries(wide.libraries, /^string-width$/)).toEqual(['string-width']);
  });

  it('at a terminal (colour on) list and a drill wrap their coloured lines themselves: no string-width, no Intl.Segmenter', async () => {
    for (const args of [['list'], ['drill', 'first-token', '--case', 'cold-connections', '--auto']]) {
      const log = join(stateDir(), 'loads.txt');
      const t = new Terminal(args, { NODE_OPTIONS: `--import ${hook}`, MANGAOPS_LOAD_LOG: log, XDG_STATE_HOME: stateDir() }, { cols: 60, rows: 40 });
      expect(await t.exited, args.join(' ')).toBe(0);
      expect(t.output, 'coloured').toContain('\x1b[');
      const loads = readFileSync(log, 'utf8').split('\n');
      expect(loads.filter((l) => l.startsWith('Intl.Segmenter')), args.join(' ')).toEqual([]);
      expect(libraries(carriedBy(log), /^(string-width|wrap-ansi)$/), args.join(' ')).toEqual([]);
    }
  });

  it('an interactive drill loads @inquirer/prompts once it asks its first question', async () => {
    const log = join(stateDir(), 'loads.txt');
    const t = new Terminal(['drill', 'first-token', '--case', 'cold-connections'], { NODE_OPTIONS: `--import ${hook}`, MANGAOPS_LOAD_LOG: log, XDG_STATE_HOME: stateDir(), NO_COLOR: '1' });
    await t.waitFor('← evidence');
    expect(libraries(carriedBy(log), PROMPTS).length).toBeGreaterThan(0);
    t.child.kill();
    await t.exited;
  });
});
