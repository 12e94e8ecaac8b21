// A drill's world that reacts: the case's evidence moved by the effects of confirmed fixes,
// over simulated minutes, one point per probe period — and never by anything else.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import type { Evidence } from '../../src/core/evidence.js';
import { findRunbook } from '../../src/runbook/catalog.js';
import { DrillWorld, paramsMatch } from '../../src/walk/world.js';

const config = await loadConfig();
const firstToken = (await findRunbook('first-token', config)).runbook;
const websocket = (await findRunbook('websocket-drop', config)).runbook;
const T0 = Date.UTC(2026, 10, 27, 11, 15);
const MIN = 60_000;

const caseOf = (rb: typeof firstToken, name: string) => rb.drills.find((d) => d.name === name)!;
const value = (e: Evidence | undefined) => (e?.status === 'ok' ? e.value : e?.status);

async function at(world: DrillWorld, minutes: number) {
  await world.clock.sleep(T0 + minutes * MIN - world.clock.now());
}

describe('DrillWorld', () => {
  it('GIVEN the warm-up confirmed in cold-connections THEN first-token p95 ramps from 2,500 to 800 over 6 simulated minutes, a point a minute', async () => {
    const world = new DrillWorld(firstToken, caseOf(firstToken, 'cold-connections'), T0);
    expect(value(world.read(['first-token-p95'])['first-token-p95'])).toBe(2500);
    const effects = world.apply(1, 'ecs.exec', { command: '/app/scripts/warm_connections.sh' });
    expect(effects.map((e) => e.action)).toEqual(['ecs.exec']);
    await at(world, 3);
    const e = world.read(['first-token-p95', 'pool-ping-failure-rate'])['first-token-p95']!;
    expect(value(e)).toBe(1650);
    // The window slides: the series keeps its length, its newest points are the ramp's.
    expect(e.status === 'ok' && e.datapoints?.map((d) => d.v).slice(-4)).toEqual([2500, 2216.6666666666665, 1933.3333333333335, 1650]);
    expect(e.status === 'ok' && e.datapoints).toHaveLength(10);
    await at(world, 30);
    expect(value(world.read(['first-token-p95'])['first-token-p95'])).toBe(800);
    expect(value(world.read(['pool-ping-failure-rate'])['pool-ping-failure-rate'])).toBe(0);
  });

  it('GIVEN a scale-out alone THEN nothing moves: the case says it does not help', async () => {
    const world = new DrillWorld(firstToken, caseOf(firstToken, 'cold-connections'), T0);
    world.apply(1, 'ecs.scale', { desiredCount: 8 });
    await at(world, 15);
    expect(value(world.read(['first-token-p95'])['first-token-p95'])).toBe(2500);
  });

  it("GIVEN an effect that names the fix's parameters THEN only that fix matches (objects key by key, '10' as 10)", () => {
    expect(paramsMatch({ env: { BEDROCK_POOL_SIZE: '10' } }, { cluster: 'c', env: { BEDROCK_POOL_SIZE: 10, BEDROCK_KEEPALIVE_INTERVAL: '15' } })).toBe(true);
    expect(paramsMatch({ env: { BEDROCK_POOL_SIZE: '10' } }, { env: { BEDROCK_POOL_SIZE: '8' } })).toBe(false);
    const world = new DrillWorld(firstToken, caseOf(firstToken, 'cold-connections'), T0);
    expect(world.effectsOf('ecs.set-env', { env: { BEDROCK_POOL_SIZE: '8' } })).toEqual([]);
    expect(world.effectsOf('ecs.set-env', { env: { BEDROCK_POOL_SIZE: '10', BEDROCK_KEEPALIVE_INTERVAL: '15' } })).toHaveLength(1);
  });

  it('GIVEN a fix undone THEN its probes go back to where they were, as fast as they moved', async () => {
    const world = new DrillWorld(firstToken, caseOf(firstToken, 'cold-connections'), T0);
    world.apply(1, 'dynamodb.set-config', {});
    await at(world, 4);
    expect(value(world.read(['first-token-p95'])['first-token-p95'])).toBe(2350);
    world.undo(1);
    await at(world, 6);
    expect(value(world.read(['first-token-p95'])['first-token-p95'])).toBe(2425);
    await at(world, 20);
    expect(value(world.read(['first-token-p95'])['first-token-p95'])).toBe(2500);
  });

  it('GIVEN a probe with no data that a fix brings back THEN it has none until the move is done', async () => {
    const world = new DrillWorld(firstToken, caseOf(firstToken, 'cold-connections-no-ping-metric'), T0);
    world.apply(1, 'ecs.exec', {});
    await at(world, 2);
    expect(value(world.read(['pool-ping-failure-rate'])['pool-ping-failure-rate'])).toBe('nodata');
    await at(world, 3);
    expect(value(world.read(['pool-ping-failure-rate'])['pool-ping-failure-rate'])).toBe(0);
  });

  it('GIVEN an hourly metric THEN a fix shows at the next hour, not before', async () => {
    const world = new DrillWorld(websocket, caseOf(websocket, 'corporate-proxy'), T0);
    world.apply(1, 'ecs.set-env', { env: { CHUNK_BATCH_SIZE: '1' } });
    await at(world, 59);
    expect(value(world.read(['stream-cancellations'])['stream-cancellations'])).toBe(67);
    await at(world, 60);
    expect(value(world.read(['stream-cancellations'])['stream-cancellations'])).toBe(8);
  });
});
