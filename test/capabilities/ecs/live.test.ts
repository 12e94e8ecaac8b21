// The session-manager-plugin run as `aws ecs execute-command` runs it, checked against a
// stand-in executable on PATH that records its arguments and environment: the session in
// AWS_SSM_START_SESSION_RESPONSE for plugins after 1.2.497.0 (in argv before), then region,
// StartSession, profile, {"Target": "ecs:<cluster>_<task>_<runtimeId>"}, the ECS endpoint.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ecsEndpoint, livePlugin, versionAfter } from '../../../src/capabilities/ecs/live.js';

function fakePlugin(version: string): { env: NodeJS.ProcessEnv; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'smp-'));
  const log = join(dir, 'calls.log');
  const script = `#!/bin/sh
if [ "$1" = "--version" ]; then echo "${version}"; exit 0; fi
for a in "$@"; do printf '%s\\n' "$a" >> "${log}"; done
printf 'ENV=%s\\n' "$AWS_SSM_START_SESSION_RESPONSE" >> "${log}"
echo "Starting session with SessionId: s-1"
echo "warmed 5 connections"
exit 0
`;
  writeFileSync(join(dir, 'session-manager-plugin'), script);
  chmodSync(join(dir, 'session-manager-plugin'), 0o755);
  return { env: { PATH: `${dir}:/usr/bin:/bin` }, log };
}

const session = { clusterArn: 'arn:aws:ecs:ap-northeast-1:1:cluster/mangaassist-prod', taskArn: 'task1', containerName: 'orchestrator', session: { sessionId: 's-1', streamUrl: 'wss://ssmmessages.ap-northeast-1.amazonaws.com/v1/data-channel/s-1', tokenValue: 'tok' } };
const target = 'ecs:mangaassist-prod_task1_rt-1';

describe('the session-manager-plugin, as the AWS CLI runs it', () => {
  it('is checked on PATH with --version', async () => {
    const { env } = fakePlugin('1.2.650.0');
    expect(await livePlugin({ env, region: 'ap-northeast-1', endpoint: 'https://ecs.ap-northeast-1.amazonaws.com' }).check()).toEqual({ ok: true, version: '1.2.650.0' });
    expect(await livePlugin({ env: { PATH: '/nonexistent' }, region: 'r', endpoint: 'e' }).check()).toEqual({ ok: false, reason: 'session-manager-plugin is not on PATH' });
  });

  it('a plugin that hangs — on --version, or past its session time even after SIGTERM — is killed, and the check or the run ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mangaops-plugin-'));
    const hanging = join(dir, 'session-manager-plugin');
    // Ignores SIGTERM (the disposition survives exec) and never exits on its own.
    writeFileSync(hanging, `#!/bin/sh\ntrap '' TERM\nif [ "$1" = "--version" ]; then exec sleep 600; fi\necho started\nexec sleep 600\n`);
    chmodSync(hanging, 0o755);
    const env = { PATH: `${dir}:/usr/bin:/bin` };
    const started = Date.now();
    expect(await livePlugin({ env, region: 'r', endpoint: 'e' }).check()).toEqual({ ok: false, reason: `${hanging} did not answer --version` });
    expect(Date.now() - started).toBeLessThan(20_000);
    writeFileSync(hanging, `#!/bin/sh\ntrap '' TERM\nif [ "$1" = "--version" ]; then echo 1.2.650.0; exit 0; fi\necho started\nexec sleep 600\n`);
    const run = await livePlugin({ env, region: 'r', endpoint: 'e' }).run({ session, target, timeoutMs: 200 });
    expect(run.exitCode).toBe(124);
    expect(run.output).toContain('started');
  }, 30_000);

  it('a current plugin gets the session in AWS_SSM_START_SESSION_RESPONSE, then region, StartSession, profile, target, endpoint', async () => {
    const { env, log } = fakePlugin('1.2.650.0');
    const plugin = livePlugin({ env, profile: 'prod', region: 'ap-northeast-1', endpoint: 'https://ecs.ap-northeast-1.amazonaws.com' });
    const result = await plugin.run({ session, target, timeoutMs: 5000 });
    expect(result).toEqual({ exitCode: 0, output: 'Starting session with SessionId: s-1\nwarmed 5 connections\n' });
    expect(readFileSync(log, 'utf8').split('\n')).toEqual([
      'AWS_SSM_START_SESSION_RESPONSE',
      'ap-northeast-1',
      'StartSession',
      'prod',
      JSON.stringify({ Target: target }),
      'https://ecs.ap-northeast-1.amazonaws.com',
      `ENV=${JSON.stringify(session.session)}`,
      '',
    ]);
  });

  it('an old plugin (1.2.497.0 and before) gets the session as its first argument', async () => {
    const { env, log } = fakePlugin('1.2.463.0');
    await livePlugin({ env, region: 'ap-northeast-1', endpoint: 'https://ecs.ap-northeast-1.amazonaws.com' }).run({ session, target, timeoutMs: 5000 });
    const lines = readFileSync(log, 'utf8').split('\n');
    expect(lines[0]).toBe(JSON.stringify(session.session));
    expect(lines[3]).toBe('');
    expect(lines.at(-2)).toBe('ENV=');
  });

  it('compares dotted versions and names the endpoint as the SDK would reach it', () => {
    expect(versionAfter('1.2.650.0', '1.2.497.0')).toBe(true);
    expect(versionAfter('1.2.497.0', '1.2.497.0')).toBe(false);
    expect(versionAfter('1.10.0.0', '1.9.999.0')).toBe(true);
    expect(ecsEndpoint({}, 'ap-northeast-1')).toBe('https://ecs.ap-northeast-1.amazonaws.com');
    expect(ecsEndpoint({ AWS_ENDPOINT_URL_ECS: 'http://localhost:4566' }, 'ap-northeast-1')).toBe('http://localhost:4566');
  });
});
