// The process ends with its result. GIVEN CloudWatch (and every other AWS endpoint) throttling
// every request, WHEN the built CLI's diagnose has printed its --json result THEN it exits at
// once — the SDK's back-off sleeps of the probes it abandoned do not hold it (they held it ~3.7 s).
// GIVEN a --probe-timeout past what a timer can hold THEN a usage error, exit 2.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudWatchStandIn, type StandIn } from '../helpers/cloudwatch-standin.js';
import { bin, root, runCli, stateDir } from '../helpers/cli.js';

/** Between the last byte of the result and the process's exit, on a loaded 2-core machine. */
const SLACK_MS = 1000;

describe('the built CLI under throttling', () => {
  let standIn: StandIn;

  beforeAll(async () => {
    standIn = await startCloudWatchStandIn({ throttleFirst: Number.MAX_SAFE_INTEGER });
  });

  afterAll(async () => standIn?.close());

  it('exits as soon as its result is out', async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      XDG_STATE_HOME: stateDir(),
      NO_COLOR: '1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
      AWS_REGION: 'ap-northeast-1',
      AWS_ENDPOINT_URL: standIn.endpoint,
      MANGAOPS_REDIS_URL: 'redis://127.0.0.1:1',
    };
    const child = spawn(process.execPath, [bin, 'diagnose', 'first-token', '--auto', '--json'], { cwd: root, env });
    let out = '';
    let resultAt = 0;
    child.stdout.on('data', (d: Buffer) => ((out += d.toString()), (resultAt = Date.now())));
    child.stderr.resume();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const lingered = Date.now() - resultAt;
    expect(JSON.parse(out)).toMatchObject({ scenario: 'first-token' });
    expect(code).toBe(3);
    expect(standIn.requests.length).toBeGreaterThan(0);
    expect(lingered).toBeLessThan(SLACK_MS);
  });

  it('refuses --probe-timeout=99999999999 as a usage error', () => {
    const r = runCli(['diagnose', 'first-token', '--auto', '--probe-timeout=99999999999']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a positive whole number of milliseconds, at most 600000 (10 minutes)');
  });
});
