// Faults between mangaops and DynamoDB, on DynamoDB Local behind a TCP proxy (and two HTTP
// stand-ins for a service that answers badly). GIVEN a write whose reply is lost — dropped, or
// the connection reset — THEN the runner re-reads and the journal says what truly happened; GIVEN
// a frozen DynamoDB THEN each stage ends at its deadline, saying what it was waiting for; GIVEN an
// HTML error page or throttling THEN the reason says so.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DynamoPort } from '../../src/capabilities/dynamodb/port.js';
import { startDynamoLocal, type DynamoLocal } from '../helpers/dynamodb-local.js';
import { createTable, localClient, localPort, putAll, queryAll } from '../helpers/dynamo-tables.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { onlyPorts, runAct, startHttpStandIn } from './fault-world.js';

const PROMPTS = 'manga-prompt-templates';
const CONFIG = 'manga-router-config';
const FLIP = ['--table', PROMPTS, '--intent', 'recommendation', '--to', 'v2.0'];
const SET = ['--table', CONFIG, '--key', 'name=router', '--attribute', 'complexity_threshold_for_sonnet', '--value', '0.6', '--from', '0.3'];
/** Slack for a loaded 2-core machine on top of a deadline. */
const SLACK_MS = 1500;

describe('DynamoDB faults, on DynamoDB Local behind a proxy', () => {
  let local: DynamoLocal;
  let client: DynamoDBClient;
  let proxy: FaultProxy;
  let dynamo: DynamoPort;

  const active = async () => Object.fromEntries((await queryAll(client, PROMPTS, 'intent', 'recommendation')).map((i) => [i.version as string, i.active]));
  const threshold = async () => (await queryAll(client, CONFIG, 'name', 'router'))[0]?.complexity_threshold_for_sonnet;

  beforeAll(async () => {
    local = await startDynamoLocal();
    client = localClient(local.endpoint);
  });

  afterAll(async () => {
    client?.destroy();
    await local?.stop();
  });

  beforeEach(async () => {
    await proxy?.close();
    proxy = await startFaultProxy({ port: Number(new URL(local.endpoint).port) });
    dynamo = localPort(proxy.url('http'));
    await createTable(client, PROMPTS, 'intent', 'version');
    await putAll(client, PROMPTS, [
      { intent: 'recommendation', version: 'v2.0', active: false },
      { intent: 'recommendation', version: 'v2.1', active: true },
    ]);
    await createTable(client, CONFIG, 'name');
    await putAll(client, CONFIG, [{ name: 'router', complexity_threshold_for_sonnet: 0.3 }]);
  });

  it('GIVEN the reply to TransactWriteItems is dropped THEN the flip is re-read, journaled as applied with its undo, and verified', async () => {
    proxy.dropRepliesAfter(/TransactWriteItems/);
    const run = await runAct('dynamodb.flip-version', FLIP, onlyPorts({ dynamo: async () => dynamo }), { applyTimeout: 1000 });
    expect(await active()).toEqual({ 'v2.0': true, 'v2.1': false });
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^verified: Make v2.0 the active recommendation version/m);
    expect(run.out).toMatch(/undo: mangaops undo \S+ 1/);
    const applied = run.steps.find((s) => s.status === 'applied')!;
    expect(applied.undo).toMatchObject({ action: 'dynamodb.flip-version', params: { to: 'v2.1' } });
    expect(applied.detail).toMatchObject({ lostReply: { state: 'applied', reason: `applying did not finish within 1s: no answer from DynamoDB TransactWriteItems ${PROMPTS}` } });
    expect(run.steps.map((s) => s.status)).toEqual(['planned', 'confirmed', 'applied', 'verified']);
    expect(run.err).toContain('re-reading to see whether it took');
  });

  it('GIVEN every reply to TransactWriteItems is a connection reset THEN the retried flip is re-read and journaled as applied, never "not changed"', async () => {
    proxy.resetAfter(/TransactWriteItems/);
    const run = await runAct('dynamodb.flip-version', FLIP, onlyPorts({ dynamo: async () => dynamo }));
    expect(proxy.matched()).toBeGreaterThan(1);
    expect(await active()).toEqual({ 'v2.0': true, 'v2.1': false });
    expect(run.code).toBe(0);
    expect(run.steps.find((s) => s.status === 'applied')).toMatchObject({
      changed: ['recommendation v2.1: active → false', 'recommendation v2.0: active → true'],
      detail: { lostReply: { state: 'applied', reason: 'connection to DynamoDB reset (ECONNRESET)' } },
    });
    expect((run.out + run.err)).not.toMatch(/not changed/);
  });

  it("GIVEN the first reply to UpdateItem is reset and the SDK's retry meets its own write THEN set-config says applied, not 'changed since the plan'", async () => {
    proxy.resetAfter(/UpdateItem/, 1);
    const run = await runAct('dynamodb.set-config', SET, onlyPorts({ dynamo: async () => dynamo }));
    expect(proxy.matched()).toBe(1);
    expect(await threshold()).toBe(0.6);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^verified: Set complexity_threshold_for_sonnet/m);
    expect((run.out + run.err)).not.toContain('Nothing was changed');
  });

  it('GIVEN the UpdateItem reply is lost and DynamoDB then freezes THEN the step is journaled as unknown, with the read to make and the undo', async () => {
    proxy.dropRepliesAfter(/UpdateItem/);
    const frozen = (async () => {
      while (proxy.matched() === 0) await new Promise((r) => setTimeout(r, 10));
      proxy.freeze();
    })();
    const run = await runAct('dynamodb.set-config', SET, onlyPorts({ dynamo: async () => dynamo }), { applyTimeout: 800, planTimeout: 800 });
    await frozen;
    expect(run.code).toBe(1);
    const failed = run.steps.at(-1)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^applying did not finish within 800 ms: no answer from DynamoDB UpdateItem manga-router-config; whether the change took is unknown \(the re-read failed too: re-reading did not finish within 800 ms: no answer from DynamoDB GetItem manga-router-config\); check with: aws dynamodb get-item --table-name manga-router-config/);
    expect(failed.changed).toEqual(['unknown: manga-router-config {"name":"router"} complexity_threshold_for_sonnet 0.3 → 0.6']);
    expect(failed.undo).toMatchObject({ action: 'dynamodb.set-config', params: { value: 0.3 } });
    expect(run.out).toMatch(/undo: mangaops undo \S+ 1/);
    expect(run.records.at(-1)).toMatchObject({ type: 'end', status: 'failed' });
    // The write did reach DynamoDB: "unknown" was the honest answer, "not changed" would have lied.
    expect(await threshold()).toBe(0.6);
    expect(run.ms).toBeLessThan(800 + 800 + SLACK_MS);
  });

  it('GIVEN DynamoDB frozen before the plan THEN act ends at the plan deadline, having said what it waited for, with the journal ended', async () => {
    proxy.freeze();
    const run = await runAct('dynamodb.flip-version', FLIP, onlyPorts({ dynamo: async () => dynamo }), { planTimeout: 900 });
    expect(run.error?.exitCode).toBe(1);
    expect(run.error?.message).toBe(`dynamodb.flip-version: planning did not finish within 900 ms: no answer from DynamoDB Query ${PROMPTS}`);
    expect(run.err).toContain(`planning: waiting for DynamoDB Query ${PROMPTS}`);
    expect(run.records.map((r) => (r.type === 'step' ? `step ${r.status}` : r.type))).toEqual(['start', 'step failed', 'end']);
    expect(run.ms).toBeLessThan(900 + SLACK_MS);
    expect(await active()).toEqual({ 'v2.0': false, 'v2.1': true });
  });

  it('GIVEN a DynamoDB that hangs then answers 500 with an HTML page THEN the reason is "HTTP 500 from DynamoDB", not a JSON SyntaxError', async () => {
    const broken = await startHttpStandIn((_req, res) => setTimeout(() => (res.writeHead(500, { 'content-type': 'text/html' }), res.end('<html>Internal error</html>')), 150));
    try {
      const run = await runAct('dynamodb.flip-version', FLIP, onlyPorts({ dynamo: async () => localPort(broken.endpoint) }));
      expect(run.error?.message).toBe('dynamodb.flip-version: planning failed: HTTP 500 from DynamoDB on Query');
      expect(run.error?.message).not.toMatch(/SyntaxError|Deserialization/);
    } finally {
      await broken.close();
    }
  });

  it('GIVEN DynamoDB throttling every request THEN the reason says "throttled by DynamoDB (ThrottlingException)"', async () => {
    const throttling = await startHttpStandIn((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' }));
    });
    try {
      // One attempt: the SDK's back-off between throttled retries is not what is under test.
      const run = await runAct('dynamodb.flip-version', FLIP, onlyPorts({ dynamo: async () => localPort(throttling.endpoint, { maxAttempts: 1 }) }));
      expect(run.error?.message).toBe('dynamodb.flip-version: planning failed: throttled by DynamoDB (ThrottlingException)');
      expect(run.error?.hint).toContain('AWS is throttling');
    } finally {
      await throttling.close();
    }
  });
});
