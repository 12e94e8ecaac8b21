// The Redis and DynamoDB actions through the one runner, on real servers (redis-server and
// DynamoDB Local) seeded with the seed's state. GIVEN --dry-run, a drill, or "no" at the
// prompt, THEN the servers hold exactly what they held; GIVEN --yes, THEN the change is made,
// verified and journaled.
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/capabilities/redis/live.js';
import type { Ports } from '../../src/capabilities/ports.js';
import type { RedisPort } from '../../src/capabilities/redis/port.js';
import { runAction } from '../../src/runner/runner.js';
import { seededInventory } from '../../src/capabilities/dynamodb/simulated.js';
import { seededRecommendations } from '../../src/capabilities/redis/simulated.js';
import { Events, type RunMode } from '../../src/events/events.js';
import { Journal, readJournal } from '../../src/journal/journal.js';
import { journalWriter } from '../../src/journal/writer.js';
import type { RunContext } from '../../src/runner/runner.js';
import { terminalRenderer } from '../../src/ui/renderer.js';
import { screenOf } from '../../src/ui/screen.js';
import { startDynamoLocal, type DynamoLocal } from '../helpers/dynamodb-local.js';
import { createTable, localClient, localPort, putAll } from '../helpers/dynamo-tables.js';
import { makeIo } from '../helpers/io.js';
import { allKeys, flushAll, openClient, seed, type Client } from '../helpers/redis-data.js';
import { startRedisServer } from '../helpers/redis-server.js';

const TABLES = { prompts: 'manga-prompt-templates', config: 'manga-router-config', inventory: 'manga-inventory' };

const cases: Array<{ name: string; params: Record<string, unknown> }> = [
  { name: 'redis.purge', params: { pattern: 'precompute:genre:shonen:old:*' } },
  { name: 'redis.invalidate-stale', params: { pattern: 'precompute:*', table: TABLES.inventory } },
  { name: 'dynamodb.flip-version', params: { table: TABLES.prompts, intent: 'recommendation', to: 'v2.0' } },
  { name: 'dynamodb.set-config', params: { table: TABLES.config, key: { name: 'router' }, attribute: 'complexity_threshold_for_sonnet', value: 0.6, from: 0.3 } },
];

describe('the Redis and DynamoDB actions through the runner, on real servers', () => {
  let local: DynamoLocal;
  let ddb: DynamoDBClient;
  let stopRedis: () => Promise<void>;
  let redis: RedisPort;
  let client: Client;
  let ports: Ports;

  beforeAll(async () => {
    const [d, r] = await Promise.all([startDynamoLocal(), startRedisServer()]);
    local = d;
    stopRedis = r.stop;
    ddb = localClient(local.endpoint);
    redis = await connectRedis(r.url);
    client = await openClient(r.url, false);
    const dynamo = localPort(local.endpoint);
    const refuse = async (): Promise<never> => {
      throw new Error('not this port');
    };
    ports = { cloudwatch: refuse, logs: refuse, ecs: refuse, aoss: refuse, quotas: refuse, redis: async () => redis, dynamo: async () => dynamo, async close() {} };
  });

  afterAll(async () => {
    await redis?.close();
    client?.disconnect();
    ddb?.destroy();
    await Promise.all([local?.stop(), stopRedis?.()]);
  });

  beforeEach(async () => {
    await flushAll(client);
    const cached = seededRecommendations();
    await seed(client, Object.keys(cached), (k) => JSON.stringify(cached[k]), 24 * 3600 * 1000);
    await seed(client, Array.from({ length: 5_000 }, (_, i) => `precompute:genre:shonen:old:${i}`));
    await createTable(ddb, TABLES.prompts, 'intent', 'version');
    await putAll(ddb, TABLES.prompts, [
      { intent: 'recommendation', version: 'v2.0', active: false },
      { intent: 'recommendation', version: 'v2.1', active: true },
    ]);
    await createTable(ddb, TABLES.config, 'name');
    await putAll(ddb, TABLES.config, [{ name: 'router', complexity_threshold_for_sonnet: 0.3 }]);
    await createTable(ddb, TABLES.inventory, 'product_id');
    await putAll(ddb, TABLES.inventory, seededInventory);
  });

  /** Everything both servers hold: every Redis key with its value and whether it has a TTL, every item of the three tables. */
  async function state(): Promise<unknown> {
    const keys = [...(await allKeys(client))].sort();
    const redisState = await Promise.all(keys.map(async (k) => [k, await client.get(k), (await client.pttl(k)) > 0]));
    const tables = await Promise.all(
      Object.values(TABLES).map(async (t) => [t, ((await ddb.send(new ScanCommand({ TableName: t, ConsistentRead: true }))).Items ?? []).map((i) => unmarshall(i)).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))]),
    );
    return { redis: redisState, tables };
  }

  function run(mode: RunMode, options: { yes?: boolean; answer?: string | boolean } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'mangaops-run-'));
    const file = join(dir, 'incident.jsonl');
    const script = Object.fromEntries(cases.map((c) => [`apply:${c.name}`, options.answer ?? '\n']));
    const t = makeIo({ interactive: true, script, now: () => Date.now() });
    let step = 0;
    const journal = Journal.create({ incident: '20261127-111500-real-0001', file, env: {}, now: () => Date.now() });
    const ctx: RunContext = {
      io: t.io,
      events: new Events(journalWriter(journal), terminalRenderer(screenOf(t.io))),
      incident: journal.incident,
      mode,
      yes: options.yes ?? false,
      force: false,
      nextStep: () => ++step,
      ports,
      config: { region: 'ap-northeast-1' },
      deadlineMs: 30_000,
    };
    return { ctx, t, steps: () => readJournal(file).filter((r) => r.type === 'step').map((r) => (r as { status: string }).status) };
  }

  describe.each(cases)('$name', ({ name, params }) => {
    it.each([
      { how: '--dry-run', mode: 'dry-run' as const, yes: true },
      { how: 'a drill', mode: 'drill' as const, yes: true },
      { how: '"no" at the prompt', mode: 'live' as const, yes: false },
    ])('changes nothing on the servers under $how', async ({ mode, yes }) => {
      const before = await state();
      const r = run(mode, { yes });
      const outcome = await runAction(name, params, r.ctx);
      expect(outcome.status).toBe(mode === 'live' ? 'declined' : 'planned');
      expect(await state()).toEqual(before);
    });

    it('applies and verifies with --yes, and journals each stage', async () => {
      const before = await state();
      const r = run('live', { yes: true });
      const outcome = await runAction(name, params, r.ctx);
      expect(outcome.error).toBeUndefined();
      expect(outcome.status).toBe('verified');
      expect(outcome.observed).toBeTruthy();
      expect(await state()).not.toEqual(before);
      expect(r.steps()).toEqual(['planned', 'confirmed', 'applied', 'verified']);
    });
  });
});
