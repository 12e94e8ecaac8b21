// The Lambda handler called as Lambda calls it — handler(event, context), the configuration in
// the environment, the webhook URL in an SSM SecureString served by a local stand-in for the
// Parameters and Secrets extension — and the bundle deploy/template.yaml ships.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { readJournal } from '../../src/journal/journal.js';
import { handler } from '../../src/lambda/handler.js';
import { findRunbook } from '../../src/runbook/catalog.js';
import { cw, dynamo, ecs, logs, mockAws, worldOf } from '../helpers/aws-world.js';
import { startWebhook, WEBHOOK_SECRET, type WebhookStandin } from '../helpers/webhook-standin.js';

const root = join(import.meta.dirname, '..', '..');
const event = (name: string) => JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'alarms', name), 'utf8')) as unknown;
let webhook: WebhookStandin;
let extension: Server;
const asked: { url: string; token: string }[] = [];
let logged = '';

beforeAll(async () => {
  webhook = await startWebhook();
  // The extension answers GetParameter as the layer does: {"Parameter": {"Value": …}}.
  extension = createServer((req, res) => {
    asked.push({ url: req.url ?? '', token: String(req.headers['x-aws-parameters-secrets-token'] ?? '') });
    if (req.headers['x-aws-parameters-secrets-token'] !== 'session-token') return void ((res.statusCode = 401), res.end());
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ Parameter: { Name: '/mangaops/webhook-url', Type: 'SecureString', Value: webhook.url, Version: 1 } }));
  });
  await new Promise<void>((r) => extension.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  await webhook.close();
  await new Promise((r) => extension.close(r));
});
beforeEach(() => {
  for (const m of [cw, ecs, dynamo, logs]) m.reset();
  asked.length = 0;
  logged = '';
  // The function's log: what it writes to stdout and stderr.
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((logged += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((logged += String(s)), true));
  vi.stubEnv('XDG_STATE_HOME', mkdtempSync(join(tmpdir(), 'mangaops-lambda-')));
  vi.stubEnv('MANGAOPS_WEBHOOK_PARAMETER', '/mangaops/webhook-url');
  vi.stubEnv('PARAMETERS_SECRETS_EXTENSION_HTTP_PORT', String((extension.address() as AddressInfo).port));
  vi.stubEnv('AWS_SESSION_TOKEN', 'session-token');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'mangaops-on-alarm');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('GIVEN the function receives the first-token alarm from EventBridge', () => {
  it('THEN it reads the webhook URL from SSM through the extension, pre-diagnoses, logs the walk and posts the message', async () => {
    const { runbook } = await findRunbook('first-token', await loadConfig({ env: {} }));
    mockAws(worldOf(runbook, runbook.drills.find((d) => d.name === 'cold-connections')!).world);
    const result = await handler(event('eventbridge-first-token-alarm.json'), { functionName: 'mangaops-on-alarm', awsRequestId: 'c0ffee' });
    const h = result.handled[0] as unknown as { status: string; incident: string; journal: string; outcome: { id: string } };
    expect(h).toMatchObject({ status: 'pre-diagnosed', outcome: { id: 'cold-connections' } });
    expect(asked).toEqual([{ url: '/systemsmanager/parameters/get?name=%2Fmangaops%2Fwebhook-url&withDecryption=true', token: 'session-token' }]);
    expect(webhook.posts).toHaveLength(1);
    expect(webhook.said()).toContain(`mangaops resume ${h.incident}`);
    expect(logged).toContain('ON-ALARM first_token_p95 → first-token');
    expect(logged).not.toContain(WEBHOOK_SECRET);
    expect(h.journal.startsWith(process.env.XDG_STATE_HOME!)).toBe(true);
    expect(readJournal(h.journal)[0]).toMatchObject({ who: 'on-alarm (Lambda mangaops-on-alarm)' });
  });

  it('WHEN the alarm goes back to OK THEN nothing is read, not even the secret', async () => {
    const result = await handler(event('sns-first-token-ok.json'), { functionName: 'mangaops-on-alarm' });
    expect(result.handled).toEqual([{ status: 'skipped', alarm: 'first_token_p95', reason: expect.stringContaining('only a transition into ALARM') }]);
    expect(asked).toHaveLength(0);
    expect(cw.calls()).toHaveLength(0);
  });
});

describe('GIVEN the bundle (npm run build → dist/lambda/handler.mjs, beside its runbooks/)', () => {
  it('THEN, loaded by plain Node as Lambda loads it, it exports handler(event) and finds its own runbooks', () => {
    // A subprocess: Node itself loads the bundle (the test runner would transform 2 MB first).
    const script = `
      const { handler } = await import(${JSON.stringify(pathToFileURL(join(root, 'dist', 'lambda', 'handler.mjs')).href)});
      const events = JSON.parse(process.argv[1]);
      const out = [];
      for (const e of events) out.push(await handler(e, { functionName: 'mangaops-on-alarm' }));
      console.log(JSON.stringify(out));`;
    const home = mkdtempSync(join(tmpdir(), 'mangaops-bundle-'));
    const events = [event('eventbridge-first-token-ok.json'), event('eventbridge-unanswered-alarm.json'), { source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification', detail: {} }];
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(events)], { cwd: tmpdir(), encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state') } });
    expect(r.status, r.stderr).toBe(0);
    const [ok, unanswered, other] = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { handled: { status: string; reason: string }[]; ignored?: string }[];
    expect(ok!.handled[0]!.status).toBe('skipped');
    expect(unanswered!.handled[0]).toMatchObject({ status: 'no-runbook', reason: expect.stringContaining('runbooks: first-token, prompt-regression') });
    expect(other).toMatchObject({ handled: [], ignored: expect.stringContaining('not an alarm state change') });
  });
});
