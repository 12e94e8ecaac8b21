// Ctrl-C (or SIGTERM, SIGHUP) while a fix is being applied: before the process ends, the
// journal says the change was under way, how far it had got, what it had not reached, and
// keeps the undo. The call in flight is given a moment to answer, so what it did is known.
import { describe, expect, it } from 'vitest';
import { simulatedPorts } from '../../src/capabilities/adapters.js';
import { runAction } from '../../src/runner/runner.js';
import { runContext, testConfig } from '../helpers/run-context.js';

async function interruptedScale(options: { answers: boolean; signal?: 'SIGINT' | 'SIGTERM' | 'SIGHUP' }) {
  const ports = simulatedPorts(testConfig);
  const ecs = await ports.ecs();
  let interrupt: ((signal?: 'SIGINT' | 'SIGTERM' | 'SIGHUP') => void | Promise<void>) | undefined;
  const update = ecs.updateService.bind(ecs);
  ecs.updateService = async (input) => {
    void interrupt?.(options.signal);
    // A call that never answers: the interruption cannot wait for it.
    if (!options.answers) return new Promise(() => {});
    return update(input);
  };
  const run = runContext({ ports, yes: true });
  run.ctx.graceMs = 50;
  run.ctx.io.onInterrupt = (handler) => ((interrupt = handler), () => (interrupt = undefined));
  const outcome = await runAction('ecs.scale', { cluster: 'mangaassist-prod', service: 'orchestrator', desiredCount: 6 }, run.ctx);
  return { outcome, run, failed: run.steps().find((s) => s.status === 'failed'), listening: () => interrupt !== undefined };
}

describe('GIVEN ecs.scale confirmed with --yes', () => {
  it('WHEN Ctrl-C lands during an UpdateService that never answers THEN a "failed" step records the interruption, what is left, and the undo', async () => {
    const { failed, listening } = await interruptedScale({ answers: false });
    expect(failed).toMatchObject({
      error: 'interrupted (Ctrl-C) while applying',
      changed: ['possibly in part: interrupted before any progress was reported'],
      unchanged: ["whatever ecs.scale had not reached yet; plan it again to see what is left"],
      undo: { action: 'ecs.scale', params: { desiredCount: 4 } },
    });
    // The handler is removed once apply is over: a later Ctrl-C is not blamed on this step.
    expect(listening()).toBe(false);
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('WHEN %s lands and UpdateService still answers THEN the step says what it changed, not verified, with the undo', async (signal) => {
    const { outcome, failed, run } = await interruptedScale({ answers: true, signal });
    expect(failed).toMatchObject({
      error: `interrupted (${signal === 'SIGINT' ? 'Ctrl-C' : signal}) while applying`,
      changed: ['orchestrator desiredCount 4 → 6'],
      unchanged: ['not verified: interrupted before verify'],
      undo: { action: 'ecs.scale', params: { desiredCount: 4 } },
    });
    expect(outcome.status).toBe('failed');
    // Journaled once, and nothing after it: no "applied", no "verified".
    expect(run.steps().map((s) => s.status)).toEqual(['planned', 'confirmed', 'failed']);
  });
});
