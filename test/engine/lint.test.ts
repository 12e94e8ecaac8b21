// GIVEN a named broken runbook WHEN it is validated THEN the finding names the file, the
// line and the path, with a message that says what to fix.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadConfig } from '../../src/core/config.js';
import { formatFinding } from '../../src/core/findings.js';
import { lint } from '../../src/engine/lint.js';
import { loadRunbookFile } from '../../src/runbook/load.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'runbooks');

async function findingsOf(name: string): Promise<string[]> {
  const config = await loadConfig();
  const result = await loadRunbookFile(join(dir, name), config);
  const findings = result.ok ? lint(result.loaded, config) : result.findings;
  return findings.map(formatFinding).map((f) => f.replace(/^.*fixtures\/runbooks\//, ''));
}

describe('lint on named broken fixtures', () => {
  it('passes the good fixture with no finding', async () => {
    expect(await findingsOf('good.yaml')).toEqual([]);
  });

  it.each([
    ['dangling-node.yaml', "broken/dangling-node.yaml:29 nodes.check-latency.branches.1.to: no node 'who-know' (did you mean 'who-knows'?)"],
    ['unreachable-node.yaml', "broken/unreachable-node.yaml:39 nodes.who-knows: node 'who-knows' cannot be reached from the root 'alarm'"],
    ['undeclared-loop.yaml', "broken/undeclared-loop.yaml:45 nodes.who-knows.branches.1.to: 'who-knows' → 'alarm' closes a loop that is not declared (declare it under loops: if it is meant)"],
    ['unknown-probe.yaml', "broken/unknown-probe.yaml:34 nodes.check-stream.check.probe: no probe 'streams' (did you mean 'stream'?)"],
    ['unknown-action.yaml', "broken/unknown-action.yaml:55 nodes.scale.resolution.0.steps.0.action: unknown action 'ecs.scael' (did you mean 'ecs.scale'?)"],
    ['invalid-action-params.yaml', 'broken/invalid-action-params.yaml:56 nodes.scale.resolution.0.steps.0.params.desiredCount: ecs.scale: Too small: expected number to be >=0'],
    ['missing-placeholder.yaml', 'broken/missing-placeholder.yaml:56 nodes.scale.resolution.0.steps.0.params.service: placeholder ${ecs.svc} is not in the config (add it to runbooks/config.yaml or your --config file)'],
    ['drill-wrong-outcome.yaml', "broken/drill-wrong-outcome.yaml:74 drills.2.expect: case 'slow-nodata' reaches 'fine', not 'scale' (path: alarm → check-latency → check-stream → fine)"],
    ['yaml-syntax.yaml', 'broken/yaml-syntax.yaml:42 Missing closing "quote'],
    ['schema-unknown-key.yaml', 'broken/schema-unknown-key.yaml:22 nodes.check-latency: Unrecognized key: "questoin"'],
    ['check-branches.yaml', 'broken/check-branches.yaml:27 nodes.check-latency.branches: a check has exactly two branches, one with when: true and one with when: false'],
    ['both-ways.yaml', 'broken/both-ways.yaml:7 probes.latency: latency is compared both ways at check-latency (<= 1500, > 1500): say which side is healthy, e.g. healthy: "<= 1500"'],
    ['next-extension-without-next.yaml', 'broken/next-extension-without-next.yaml:62 nodes.fine.nextExtension: nextExtension marks the edge to next, and this node has no next'],
    ['drill-no-observation.yaml', 'broken/drill-no-observation.yaml:69 drills.1.answers.who-knows: case \'fast-human-no\' answers who-knows but gives no observation: add observations: { who-knows: "what the engineer sees" }'],
    ['drill-no-observation.yaml', "broken/drill-no-observation.yaml:70 drills.1.observations.who-know: case 'fast-human-no' has an observation for 'who-know', which it does not answer (did you mean 'who-knows'?)"],
    ['no-recovery.yaml', "broken/no-recovery.yaml:46 nodes.scale: scale has no recovery: of its own, and the alarm's probe cannot stand in (the alarm step's text states no threshold and its probe 'latency' declares no healthy side): add recovery: { healthy: [{ probe, op, value }], within: 15m } to say when its fixes have worked"],
    ['unknown-effect.yaml', "broken/unknown-effect.yaml:68 drills.0.effects.0.action: unknown action 'ecs.scael' (did you mean 'ecs.scale'?)"],
    ['unknown-effect.yaml', "broken/unknown-effect.yaml:71 drills.0.effects.1.moves.latencyy: no probe 'latencyy' (did you mean 'latency'?)"],
    ['unknown-effect.yaml', 'broken/unknown-effect.yaml:72 drills.0.effects.2.action: no outcome of tiny offers redis.purge'],
  ])('%s', async (file, expected) => {
    expect(await findingsOf(join('broken', file))).toContain(expected);
  });

  it('reports a config override that lacks a placeholder the runbook needs', async () => {
    const config = await loadConfig();
    const { ecs, ...withoutEcs } = config as Record<string, unknown>;
    expect(ecs).toBeDefined();
    const result = await loadRunbookFile(join(dir, 'good.yaml'), withoutEcs);
    if (!result.ok) throw new Error('good.yaml should load');
    const messages = lint(result.loaded, withoutEcs).map((f) => f.message);
    expect(messages).toContain('placeholder ${ecs.cluster} is not in the config (add it to runbooks/config.yaml or your --config file)');
  });
});
