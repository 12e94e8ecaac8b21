// The recovery watch itself, on a fake clock and a scripted read: how it decides recovered,
// worse and not recovered, that it reads once per poll, and that it always ends.
import { describe, expect, it } from 'vitest';
import type { EvidenceMap } from '../../src/core/evidence.js';
import { Events, type WalkEvent } from '../../src/events/events.js';
import { loadConfig } from '../../src/core/config.js';
import { findRunbook } from '../../src/runbook/catalog.js';
import { recoveryOf, type RecoverySpec } from '../../src/runbook/recovery.js';
import { watchRecovery, type Clock } from '../../src/walk/recovery.js';

const rb = (await findRunbook('first-token', await loadConfig())).runbook;
const spec = (outcome: string, withinMs?: number): RecoverySpec => {
  const r = recoveryOf(rb, outcome);
  if (!r.ok) throw new Error(r.why);
  return withinMs ? { ...r.value, withinMs } : r.value;
};

const T0 = Date.UTC(2026, 10, 27, 11, 15);

/** first-token-p95 read from `values`, one per poll (the last repeats; null: no data). */
function scripted(values: (number | null)[], clock: { t: number; frozen?: boolean }) {
  const reads: { at: number; ids: string[] }[] = [];
  const events: WalkEvent[] = [];
  const c: Clock = { now: () => clock.t, sleep: async (ms) => void (clock.frozen || (clock.t += ms)) };
  const read = async (ids: string[]): Promise<EvidenceMap> => {
    const v = values[Math.min(reads.length, values.length - 1)]!;
    reads.push({ at: clock.t, ids });
    return { 'first-token-p95': v === null ? { status: 'nodata', reason: 'no datapoints in the last 10m' } : { status: 'ok', value: v } };
  };
  return { reads, events, clock: c, read, bus: new Events((e) => events.push(e)) };
}

async function watch(values: (number | null)[], options: { outcome?: string; withinMs?: number; intervalMs?: number; frozen?: boolean; atFix?: number } = {}) {
  const clock = { t: T0, frozen: options.frozen };
  const s = scripted(values, clock);
  const result = await watchRecovery({
    runbook: rb,
    spec: spec(options.outcome ?? 'cold-connections', options.withinMs),
    fix: { step: 2, action: 'ecs.set-env', outcome: options.outcome ?? 'cold-connections', fixAt: T0 },
    read: s.read,
    clock: s.clock,
    intervalMs: options.intervalMs ?? 60_000,
    events: s.bus,
    simulated: false,
    ...(options.atFix !== undefined && { atFix: { 'first-token-p95': options.atFix } }),
  });
  return { result, ...s };
}

describe('watchRecovery', () => {
  it('GIVEN p95 falling under 2000 WHEN two polls in a row are healthy THEN recovered, after = when it first came back', async () => {
    const { result, reads, events } = await watch([2500, 2300, 1900, 1800]);
    expect(result).toMatchObject({ status: 'recovered', after: 120, polls: 4, within: 900, step: 2, action: 'ecs.set-env', outcome: 'cold-connections' });
    expect(result.probes[0]).toMatchObject({ probe: 'first-token-p95', op: '<', value: 2000, atFix: 2500, last: 1800, values: [2500, 2300, 1900, 1800], healthy: true });
    // One read per poll, of the recovery probes only, a minute apart.
    expect(reads.map((r) => (r.at - T0) / 60_000)).toEqual([0, 1, 2, 3]);
    expect(reads.every((r) => r.ids.join() === 'first-token-p95')).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['recovery.started', 'recovery.poll', 'recovery.poll', 'recovery.poll', 'recovery.poll']);
  });

  it('GIVEN p95 that stays at 2,480 THEN not recovered when the window runs out, one poll per interval up to it', async () => {
    const { result, reads } = await watch([2500, 2480], { intervalMs: 300_000 });
    expect(result).toMatchObject({ status: 'not-recovered', after: 900, polls: 4 });
    expect(reads.map((r) => (r.at - T0) / 60_000)).toEqual([0, 5, 10, 15]);
  });

  it('GIVEN p95 more than 10 % of the value at the fix further from healthy at two polls in a row THEN worse', async () => {
    // At the fix 2,500 (500 over); the margin is 250: 2,700 is not worse, 2,800 and 2,900 are.
    const { result } = await watch([2500, 2700, 2800, 2600, 2800, 2900]);
    expect(result).toMatchObject({ status: 'worse', after: 300, polls: 6 });
  });

  it('GIVEN a single healthy poll THEN it waits for a second; a dip back resets it', async () => {
    const { result } = await watch([2500, 1900, 2100, 1950, 1900]);
    expect(result).toMatchObject({ status: 'recovered', after: 180, polls: 5 });
  });

  it('GIVEN a poll with no data THEN it is neither healthy nor worse, and says why', async () => {
    const { result, events } = await watch([2500, null, 1900, 1900]);
    expect(result).toMatchObject({ status: 'recovered', after: 120 });
    const poll = events.filter((e) => e.type === 'recovery.poll')[1]!;
    expect(poll).toMatchObject({ healthy: false, probes: [{ reason: 'no datapoints in the last 10m', healthy: false }] });
  });

  it('GIVEN a clock that does not move THEN it still ends after the polls the window holds', async () => {
    const { result, reads } = await watch([2500], { frozen: true, withinMs: 300_000 });
    expect(result.status).toBe('not-recovered');
    expect(reads).toHaveLength(6);
  });

  it('GIVEN the value at the fix from the journal (re-attached) THEN worse is measured from it, not from the first poll', async () => {
    const { result } = await watch([2800, 2800], { atFix: 2500, withinMs: 180_000 });
    expect(result).toMatchObject({ status: 'worse', after: 60 });
    expect(result.probes[0]!.atFix).toBe(2500);
  });
});
