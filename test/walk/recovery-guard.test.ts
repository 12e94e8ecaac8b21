// What follows a watch that did not end well, in a drill: the recorded undo, planned by the
// runner (which stops a drill there) and confirmed into the world without asking when the
// fix made things worse and the config's autoApply allows it; otherwise only offered.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { Events, type RecoveryResult, type WalkEvent } from '../../src/events/events.js';
import { findRunbook } from '../../src/runbook/catalog.js';
import type { RunOutcome } from '../../src/runner/runner.js';
import { nextFixAfter, offerAfterWatch } from '../../src/walk/recovery-guard.js';
import { makeIo } from '../helpers/io.js';

const rb = (await findRunbook('first-token', await loadConfig())).runbook;
const undo = { action: 'ecs.set-env', params: { env: { BEDROCK_POOL_SIZE: '5' } }, text: 'point orchestrator back to orchestrator:12' };

function setup(status: RecoveryResult['status'], autoApply?: Record<string, string[]>) {
  const events: WalkEvent[] = [];
  const undone: number[] = [];
  const planned: { of: number; yes: boolean }[] = [];
  const result: RecoveryResult = { status, after: 180, step: 2, action: 'ecs.set-env', outcome: 'cold-connections', within: 900, polls: 4, simulated: true, probes: [], fixAt: 0 };
  const run = () =>
    offerAfterWatch(
      {
        runbook: rb,
        events: new Events((e) => events.push(e)),
        io: makeIo().io,
        auto: true,
        mode: 'drill',
        config: { ...(autoApply && { autoApply }) },
        incident: 'inc',
        world: { apply: () => undefined, undo: (step) => void undone.push(step) },
        runUndo: async (_u, of, yes): Promise<RunOutcome> => {
          planned.push({ of, yes });
          return { incident: 'inc', step: 5, action: 'ecs.set-env', status: 'planned' };
        },
      },
      result,
      undo,
      nextFixAfter(rb.nodes['cold-connections'] as never, 'cold-connections#1.0'),
    );
  return { run, events, undone, planned };
}

describe('offerAfterWatch in a drill', () => {
  it('GIVEN worse and autoApply allowing the fix THEN the undo is planned, confirmed into the world, and said', async () => {
    const s = setup('worse', { 'first-token/cold-connections': ['ecs.set-env'] });
    await s.run();
    expect(s.planned).toEqual([{ of: 2, yes: true }]);
    expect(s.undone).toEqual([2]);
    expect(s.events.map((e) => e.type)).toEqual(['recovery.ended', 'step.confirmed', 'recovery.undone']);
    expect(s.events[0]).toMatchObject({ autoUndo: 'config autoApply allows ecs.set-env at cold-connections', next: 'Scale out ECS tasks (4 → 8) to distribute load and reduce per-task connection contention', live: false });
    expect(s.events[2]).toMatchObject({ step: 2, undoStep: 5, status: 'confirmed' });
  });

  it('GIVEN not recovered (autoApply or not) or worse without autoApply THEN, with no one to ask, the undo is only offered', async () => {
    for (const s of [setup('not-recovered', { 'cold-connections': ['ecs.set-env'] }), setup('worse')]) {
      await s.run();
      expect(s.planned).toEqual([]);
      expect(s.undone).toEqual([]);
      expect(s.events.map((e) => e.type)).toEqual(['recovery.ended']);
      expect(s.events[0]).toMatchObject({ undo: { action: 'ecs.set-env', text: 'point orchestrator back to orchestrator:12' } });
    }
  });
});
