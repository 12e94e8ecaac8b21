// dynamodb.flip-version on DynamoDB Local: scenario 5's rollback (v2.1 → v2.0) as one
// transaction, its undo, and 20 flips racing — after which exactly one version is active.
import { GetItemCommand, TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dynamodbFlipVersion } from '../../../../src/capabilities/dynamodb/actions/flip-version.js';
import type { DynamoPort } from '../../../../src/capabilities/dynamodb/port.js';
import { simulatedDynamo } from '../../../../src/capabilities/dynamodb/simulated.js';
import { MangaopsError, UsageError } from '../../../../src/core/errors.js';
import { actionContext } from '../../../helpers/action-context.js';
import { startDynamoLocal, type DynamoLocal } from '../../../helpers/dynamodb-local.js';
import { createTable, localClient, localPort, putAll, queryAll } from '../../../helpers/dynamo-tables.js';

const TABLE = 'manga-prompt-templates';

describe('dynamodb.flip-version on DynamoDB Local', () => {
  let local: DynamoLocal;
  let client: DynamoDBClient;
  let port: DynamoPort;

  const state = async (intent = 'recommendation') =>
    Object.fromEntries((await queryAll(client, TABLE, 'intent', intent)).map((i) => [i.version as string, i.active]));

  beforeAll(async () => {
    local = await startDynamoLocal();
    client = localClient(local.endpoint);
    port = localPort(local.endpoint);
  });

  afterAll(async () => {
    client?.destroy();
    await local?.stop();
  });

  beforeEach(async () => {
    await createTable(client, TABLE, 'intent', 'version');
    await putAll(client, TABLE, [
      { intent: 'recommendation', version: 'v2.0', active: false, prompt_tokens: 180 },
      { intent: 'recommendation', version: 'v2.1', active: true, prompt_tokens: 520 },
      { intent: 'faq', version: 'v1.3', active: true },
    ]);
  });

  it('plans v2.1 → v2.0 as one transaction, with the seed commands and the undo, changing nothing', async () => {
    const ctx = actionContext({ dynamo: port });
    const plan = await dynamodbFlipVersion.plan({ table: TABLE, intent: 'recommendation', to: 'v2.0' }, ctx);
    expect(plan.summary).toBe(`Make v2.0 the active recommendation version in ${TABLE}: v2.1 → v2.0`);
    expect(plan.changes).toEqual([
      { what: `${TABLE} recommendation v2.1 active`, from: 'true', to: 'false' },
      { what: `${TABLE} recommendation v2.0 active`, from: 'false', to: 'true' },
    ]);
    expect(plan.calls[0]).toMatch(/TransactWriteItems .*Update v2.1 SET active = false IF active = true; Update v2.0 SET active = true, activated_at = now IF it exists AND is inactive/);
    expect(plan.cli[0]).toMatch(/^aws dynamodb transact-write-items --transact-items '/);
    expect(plan.cli.slice(1).every((c) => c.startsWith('aws dynamodb update-item --table-name manga-prompt-templates'))).toBe(true);
    expect(plan.cli[1]).toContain(`--key '{"intent":{"S":"recommendation"},"version":{"S":"v2.1"}}'`);
    expect(plan.undo).toEqual({ action: 'dynamodb.flip-version', params: { table: TABLE, intent: 'recommendation', to: 'v2.1' }, text: 'flip recommendation back to v2.1' });
    expect(await state()).toEqual({ 'v2.0': false, 'v2.1': true });
  });

  it('flips, verifies by reading both items, and flips back through its undo', async () => {
    const ctx = actionContext({ dynamo: port });
    const plan = await dynamodbFlipVersion.plan({ table: TABLE, intent: 'recommendation', to: 'v2.0' }, ctx);
    const applied = await dynamodbFlipVersion.apply(plan, ctx);
    expect(applied.changed).toEqual(['recommendation v2.1: active → false', 'recommendation v2.0: active → true']);
    expect(await dynamodbFlipVersion.verify!(plan, ctx)).toBe('v2.0 active=true, v2.1 active=false: exactly one active version of recommendation');
    expect(await state()).toEqual({ 'v2.0': true, 'v2.1': false });
    expect(await state('faq')).toEqual({ 'v1.3': true });
    // The activation is stamped, so diagnose's "recent prompt-template activations" sees it.
    const item = await client.send(new GetItemCommand({ TableName: TABLE, Key: { intent: { S: 'recommendation' }, version: { S: 'v2.0' } } }));
    expect(item.Item?.activated_at?.S).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const back = await dynamodbFlipVersion.plan(plan.undo!.params as never, ctx);
    await dynamodbFlipVersion.apply(back, ctx);
    expect(await state()).toEqual({ 'v2.0': false, 'v2.1': true });
  });

  it('prints a transact-write-items command that DynamoDB accepts as it is', async () => {
    const plan = await dynamodbFlipVersion.plan({ table: TABLE, intent: 'recommendation', to: 'v2.0' }, actionContext({ dynamo: port }));
    const json = /--transact-items '(.*)'$/s.exec(plan.cli[0]!)![1]!;
    await client.send(new TransactWriteItemsCommand({ TransactItems: JSON.parse(json) }));
    expect(await state()).toEqual({ 'v2.0': true, 'v2.1': false });
  });

  it('says which versions exist when asked for one that does not, and plans nothing for the active one', async () => {
    const ctx = actionContext({ dynamo: port });
    const error = await dynamodbFlipVersion.plan({ table: TABLE, intent: 'recommendation', to: 'v9' }, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).hint).toBe('versions of recommendation: v2.0, v2.1; pass one of them to --to');
    const noop = await dynamodbFlipVersion.plan({ table: TABLE, intent: 'recommendation', to: 'v2.1' }, ctx);
    expect(noop.noop).toBe(true);
  });

  it('fails cleanly when the active version changed after the plan, saying which is active now', async () => {
    await putAll(client, TABLE, [{ intent: 'recommendation', version: 'v2.2', active: false }]);
    const ctx = actionContext({ dynamo: port });
    const plan = await dynamodbFlipVersion.plan({ table: TABLE, intent: 'recommendation', to: 'v2.0' }, ctx);
    const other = await dynamodbFlipVersion.plan({ table: TABLE, intent: 'recommendation', to: 'v2.2' }, ctx);
    await dynamodbFlipVersion.apply(other, ctx);
    const error = await dynamodbFlipVersion.apply(plan, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MangaopsError);
    expect((error as Error).message).toBe('flip of recommendation to v2.0 cancelled: the versions changed since the plan (active then: v2.1; active now: v2.2). Nothing was changed.');
    expect(await state()).toEqual({ 'v2.0': false, 'v2.1': false, 'v2.2': true });
  });

  it.each([
    { start: 'one active version', active: 'v1' },
    { start: 'no active version', active: undefined },
  ])('leaves exactly one active version after 20 concurrent flips from $start', async ({ active }) => {
    const versions = ['v1', 'v2', 'v3', 'v4', 'v5'];
    await putAll(client, TABLE, versions.map((v) => ({ intent: 'race', version: v, active: v === active })));
    // Each flip plans (reads) and applies on its own, as 20 engineers would: they all read the same state.
    const flips = Array.from({ length: 20 }, (_, i) => versions[(i % 4) + 1]!);
    const plans = await Promise.all(flips.map((to) => dynamodbFlipVersion.plan({ table: TABLE, intent: 'race', to }, actionContext({ dynamo: port }))));
    const results = await Promise.allSettled(plans.map((plan) => dynamodbFlipVersion.apply(plan, actionContext({ dynamo: port }))));

    const after = await state('race');
    const activeNow = Object.entries(after).filter(([, a]) => a === true).map(([v]) => v);
    expect(activeNow).toHaveLength(1);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won.length).toBeGreaterThanOrEqual(1);
    // The winner, and the flips to that same version (already in place), succeed; the rest say what is active now.
    expect(won.length).toBe(flips.filter((to) => to === activeNow[0]).length);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as Error).message).toMatch(new RegExp(`active now: ${activeNow[0]!.replace('.', '\\.')}\\)`));
    }
  });
});

describe('dynamodb.flip-version on the drill platform', () => {
  it('rolls the seeded recommendation prompt back from v2.1 to v2.0 and records the mutation', async () => {
    const db = simulatedDynamo();
    const ctx = actionContext({ dynamo: db });
    const plan = await dynamodbFlipVersion.plan({ table: 'manga-prompt-templates', intent: 'recommendation', to: 'v2.0' }, ctx);
    expect(plan.summary).toContain('v2.1 → v2.0');
    expect(db.mutations).toEqual([]);
    await dynamodbFlipVersion.apply(plan, ctx);
    expect(await dynamodbFlipVersion.verify!(plan, ctx)).toMatch(/^v2.0 active=true/);
    expect(db.mutations).toHaveLength(1);
  });
});
