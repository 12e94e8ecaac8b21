// Secrets stay secret. GIVEN a Redis URL with a password — valid or malformed, from --redis-url
// or MANGAOPS_REDIS_URL, with or without --debug — THEN no message, journal record or stack
// shows it; journals are private (folder 0700, file 0600); GIVEN ecs.set-env of a name that
// looks secret THEN its values are shown and journaled as a mask with a hash, and the new
// revision still gets the real value.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { mockAws, service, taskDefinition, TD12, TD13, type MockedAws } from '../helpers/aws-mocks.js';
import { makeIo } from '../helpers/io.js';
import { runAct } from './fault-world.js';

const SECRET = 'secretpw';

/** Every file under a folder, as text. */
function everything(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => readFileSync(join(d.parentPath, d.name), 'utf8'))
    .join('\n');
}

describe('a Redis URL with a password', () => {
  it.each([
    { how: '--redis-url, malformed (port 99999)', args: ['--redis-url', `redis://:${SECRET}@127.0.0.1:99999`], env: {} },
    { how: 'MANGAOPS_REDIS_URL, malformed', args: [], env: { MANGAOPS_REDIS_URL: `redis://:${SECRET}@127.0.0.1:99999` } },
    { how: '--redis-url, unreachable', args: ['--redis-url', `redis://:${SECRET}@127.0.0.1:1`], env: {} },
  ])('is never shown: $how, with --debug', async ({ args, env }) => {
    const state = mkdtempSync(join(tmpdir(), 'mangaops-secret-'));
    const t = makeIo({ env: { XDG_STATE_HOME: state, ...env }, now: () => Date.now() });
    const code = await main(['act', 'redis.purge', '--pattern', 'precompute:*', '--yes', '--debug', ...args], t.io);
    expect(code).not.toBe(0);
    const said = t.out() + t.err();
    expect(said).toMatch(/Redis/);
    expect(said).not.toContain(SECRET);
    expect(everything(state)).not.toContain(SECRET);
    if (/99999/.test(args.join(' ') + JSON.stringify(env))) expect(said).toContain('not a Redis URL: redis://:****@127.0.0.1:99999');
  });

  it('journals in a folder only its owner can read (0700) and files only its owner can read (0600)', async () => {
    const state = mkdtempSync(join(tmpdir(), 'mangaops-secret-'));
    const t = makeIo({ env: { XDG_STATE_HOME: state, MANGAOPS_REDIS_URL: `redis://:${SECRET}@127.0.0.1:1` }, now: () => Date.now() });
    await main(['act', 'redis.purge', '--pattern', 'precompute:*', '--yes'], t.io);
    const dir = join(state, 'mangaops', 'incidents');
    const [file] = readdirSync(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, file!)).mode & 0o777).toBe(0o600);
  });
});

describe('ecs.set-env of a value whose name looks secret', () => {
  let aws: MockedAws;
  beforeEach(async () => {
    aws = await mockAws();
    let updated = false;
    aws.ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: taskDefinition(TD12, { BEDROCK_POOL_SIZE: '5', API_TOKEN: 'old-token-value' }), tags: [] });
    aws.ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: TD13, revision: 13 } });
    aws.ecs.on(UpdateServiceCommand).callsFake(() => ((updated = true), { service: service({ taskDefinition: TD13 }) }));
    aws.ecs.on(DescribeServicesCommand).callsFake(() => ({ services: [service(updated ? { taskDefinition: TD13 } : {})] }));
  });
  afterEach(() => aws.restore());

  it('shows and journals a mask with a hash that tells old from new, never the value; the revision gets the real value', async () => {
    const run = await runAct('ecs.set-env', ['--env', 'API_TOKEN=new-token-value', '--env', 'BEDROCK_POOL_SIZE=10'], aws.ports);
    expect(run.code).toBe(0);
    const journal = JSON.stringify(run.records);
    for (const text of [run.out, run.err, journal]) {
      expect(text).not.toContain('old-token-value');
      expect(text).not.toContain('new-token-value');
    }
    const shown = /API_TOKEN\s+\*\*\*\* \(sha256 ([0-9a-f]{8})\) → \*\*\*\* \(sha256 ([0-9a-f]{8})\)/.exec(run.out);
    expect(shown).not.toBeNull();
    expect(shown![1]).not.toBe(shown![2]);
    expect(run.out).toContain('BEDROCK_POOL_SIZE  5 → 10');
    expect(run.steps[0]!.params).toMatchObject({ env: { API_TOKEN: expect.stringMatching(/^\*\*\*\* \(sha256 [0-9a-f]{8}\)$/), BEDROCK_POOL_SIZE: '10' } });
    const registered = aws.ecs.commandCalls(RegisterTaskDefinitionCommand)[0]!.args[0].input;
    expect(registered.containerDefinitions?.[0]?.environment).toContainEqual({ name: 'API_TOKEN', value: 'new-token-value' });
  });
});
