// dynamodb.set-config on DynamoDB Local: scenario 1's router threshold 0.3 → 0.6, conditioned
// on the old value, and back through its undo.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dynamodbSetConfig } from '../../../../src/capabilities/dynamodb/actions/set-config.js';
import type { DynamoPort } from '../../../../src/capabilities/dynamodb/port.js';
import { simulatedDynamo } from '../../../../src/capabilities/dynamodb/simulated.js';
import { MangaopsError, UsageError } from '../../../../src/core/errors.js';
import { actionContext } from '../../../helpers/action-context.js';
import { startDynamoLocal, type DynamoLocal } from '../../../helpers/dynamodb-local.js';
import { createTable, localClient, localPort, putAll, queryAll } from '../../../helpers/dynamo-tables.js';

const TABLE = 'manga-router-config';
const params = { table: TABLE, key: { name: 'router' }, attribute: 'complexity_threshold_for_sonnet', value: 0.6, from: 0.3 };

describe('dynamodb.set-config on DynamoDB Local', () => {
  let local: DynamoLocal;
  let client: DynamoDBClient;
  let port: DynamoPort;
  const threshold = async () => (await queryAll(client, TABLE, 'name', 'router'))[0]?.complexity_threshold_for_sonnet;

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
    await createTable(client, TABLE, 'name');
    await putAll(client, TABLE, [{ name: 'router', complexity_threshold_for_sonnet: 0.3, haiku_model: 'anthropic.claude-3-haiku' }]);
  });

  it('plans 0.3 → 0.6 with the condition, the pasteable command and the undo, changing nothing', async () => {
    const plan = await dynamodbSetConfig.plan(params, actionContext({ dynamo: port }));
    expect(plan.summary).toBe(`Set complexity_threshold_for_sonnet in ${TABLE} {"name":"router"} from 0.3 to 0.6`);
    expect(plan.refusal).toBeUndefined();
    expect(plan.cli[0]).toContain("--condition-expression 'attribute_exists(#name) AND #complexity_threshold_for_sonnet = :complexity_threshold_for_sonnet_was'");
    expect(plan.cli[0]).toContain(`--expression-attribute-values '{":complexity_threshold_for_sonnet":{"N":"0.6"},":complexity_threshold_for_sonnet_was":{"N":"0.3"}}'`);
    expect(plan.undo?.params).toEqual({ ...params, value: 0.3, from: 0.6 });
    expect(await threshold()).toBe(0.3);
  });

  it('sets the value given as text in the type it replaces, verifies it, and undoes it', async () => {
    const ctx = actionContext({ dynamo: port });
    const plan = await dynamodbSetConfig.plan({ ...params, value: '0.6', from: '0.3' }, ctx);
    expect(await dynamodbSetConfig.apply(plan, ctx)).toMatchObject({ changed: ['complexity_threshold_for_sonnet: 0.3 → 0.6'] });
    expect(await dynamodbSetConfig.verify!(plan, ctx)).toBe('complexity_threshold_for_sonnet = 0.6');
    expect(await threshold()).toBe(0.6);
    const undo = await dynamodbSetConfig.plan(plan.undo!.params as never, ctx);
    await dynamodbSetConfig.apply(undo, ctx);
    expect(await threshold()).toBe(0.3);
  });

  it('refuses when the value is not what the runbook expects, and conditions on the value read under --force', async () => {
    await putAll(client, TABLE, [{ name: 'router', complexity_threshold_for_sonnet: 0.45 }]);
    const plan = await dynamodbSetConfig.plan(params, actionContext({ dynamo: port }));
    expect(plan.refusal).toBe('complexity_threshold_for_sonnet is 0.45, not 0.3 as the runbook expects: someone changed it; check before overwriting it');
    const forced = await dynamodbSetConfig.plan(params, actionContext({ dynamo: port }, { force: true }));
    expect(forced.notes[0]).toBe('--force: the condition is on the value read now, 0.45.');
    await dynamodbSetConfig.apply(forced, actionContext({ dynamo: port }, { force: true }));
    expect(await threshold()).toBe(0.6);
  });

  it('never overwrites a change made after the plan', async () => {
    const ctx = actionContext({ dynamo: port });
    const plan = await dynamodbSetConfig.plan(params, ctx);
    await putAll(client, TABLE, [{ name: 'router', complexity_threshold_for_sonnet: 0.5 }]);
    const error = await dynamodbSetConfig.apply(plan, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MangaopsError);
    expect((error as Error).message).toBe('complexity_threshold_for_sonnet changed since the plan: it is 0.5 now, not 0.3. Nothing was changed.');
    expect(await threshold()).toBe(0.5);
  });

  it('says so when the item does not exist, and plans nothing when the value is already set', async () => {
    const ctx = actionContext({ dynamo: port });
    await expect(dynamodbSetConfig.plan({ ...params, key: { name: 'nope' } }, ctx)).rejects.toBeInstanceOf(UsageError);
    const noop = await dynamodbSetConfig.plan({ ...params, value: 0.3, from: undefined }, ctx);
    expect(noop.noop).toBe(true);
  });
});

describe('dynamodb.set-config on the drill platform', () => {
  it('finds the seeded threshold at 0.3', async () => {
    const db = simulatedDynamo();
    const plan = await dynamodbSetConfig.plan({ ...params, table: 'manga-router-config' }, actionContext({ dynamo: db }));
    expect(plan.changes).toEqual([{ what: 'manga-router-config {"name":"router"} complexity_threshold_for_sonnet', from: '0.3', to: '0.6' }]);
    expect(db.mutations).toEqual([]);
  });
});
