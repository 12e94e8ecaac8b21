// Each shipped runbook walked end to end on mocked AWS: the drill case's simulated evidence is
// turned into what AWS would answer (test/helpers/aws-world.ts), the live source gathers it
// through the real SDK clients (aws-sdk-client-mock), and the pure walk must reach the case's
// expected outcome. Every CloudWatch probe of a tree must come in ⌈queries/500⌉ = 1 GetMetricData.
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { beforeEach, describe, expect, it } from 'vitest';
import { walk } from '../../src/engine/cursor.js';
import { loadAll } from '../../src/runbook/catalog.js';
import { loadConfig } from '../../src/core/config.js';
import { at, cw, dynamo, ecs, logs, mockAws, now, Unrepresentable, worldOf } from '../helpers/aws-world.js';
import { source } from '../helpers/live-probes.js';

const config = await loadConfig({ env: {} });
const runbooks = await loadAll(config);

beforeEach(() => {
  for (const m of [cw, ecs, dynamo, logs]) m.reset();
});

describe.each(runbooks.map((l) => [l.runbook.id, l.runbook] as const))('GIVEN the %s runbook on mocked AWS', (_id, runbook) => {
  const representable = runbook.drills.filter((d) => {
    try {
      worldOf(runbook, d);
      return true;
    } catch (e) {
      if (e instanceof Unrepresentable) return false;
      throw e;
    }
  });

  it('THEN at least two of its drill cases can be played on mocked AWS', () => {
    expect(representable.length).toBeGreaterThanOrEqual(Math.min(2, runbook.drills.length));
  });

  it.each(representable.map((d) => [d.name, d] as const))('WHEN case %s is gathered live and walked THEN it reaches its expected outcome', async (_name, drill) => {
    const { world, probes } = worldOf(runbook, drill);
    mockAws(world);
    const requests = Object.entries(probes).map(([id, probe]) => ({ id, probe, timeoutMs: 3000 }));
    const evidence = await source({ at, now }).gather(requests);
    const result = walk(runbook, evidence, drill.answers);
    expect(result.stop).toBeUndefined();
    expect(result.outcome).toBe(drill.expect);
    if (drill.path) expect(result.path.map((v) => v.node)).toEqual(drill.path);
    const cloudWatchProbes = Object.values(probes).filter((p) => p.kind === 'metric' || p.kind === 'regress').length;
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(cloudWatchProbes ? 1 : 0);
  });
});
