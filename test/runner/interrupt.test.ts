// Ctrl-C while a fix is being applied: before the process ends, the journal says the change
// was under way, how far it had got, what it had not reached, and keeps the undo.
import { describe, expect, it } from 'vitest';
import { simulatedPorts } from '../../src/capabilities/adapters.js';
import { runAction } from '../../src/runner/runner.js';
import { runContext, testConfig } from '../helpers/run-context.js';

describe('GIVEN ecs.scale confirmed with --yes', () => {
  it('WHEN Ctrl-C lands during UpdateService THEN a "failed" step records the interruption, what is left, and the undo', async () => {
    const ports = simulatedPorts(testConfig);
    const ecs = await ports.ecs();
    let interrupt: (() => void) | undefined;
    const update = ecs.updateService.bind(ecs);
    ecs.updateService = async (input) => {
      interrupt?.();
      return update(input);
    };
    const run = runContext({ ports, yes: true });
    run.ctx.io.onInterrupt = (handler) => ((interrupt = handler), () => (interrupt = undefined));
    await runAction('ecs.scale', { cluster: 'mangaassist-prod', service: 'orchestrator', desiredCount: 6 }, run.ctx);
    const failed = run.steps().find((s) => s.status === 'failed');
    expect(failed).toMatchObject({
      error: 'interrupted (Ctrl-C) while applying',
      changed: ['possibly in part: interrupted before any progress was reported'],
      unchanged: ["whatever ecs.scale had not reached yet; plan it again to see what is left"],
      undo: { action: 'ecs.scale', params: { desiredCount: 4 } },
    });
    // The handler is removed once apply is over: a later Ctrl-C is not blamed on this step.
    expect(interrupt).toBeUndefined();
  });
});
