// The five runbooks (and the rollout procedure) as shipped: each validates, and each drill
// case walks exactly the path its data names to the outcome it expects.
import { describe, expect, it } from 'vitest';
import { walk } from '../../src/engine/cursor.js';
import { simulateAll } from '../../src/capabilities/probes.js';
import { runbookFiles } from '../../src/runbook/catalog.js';
import { loadConfig } from '../../src/core/config.js';
import { formatFinding } from '../../src/core/findings.js';
import { lint } from '../../src/engine/lint.js';
import { loadRunbookFile, type ParsedRunbook } from '../../src/runbook/load.js';

const config = await loadConfig();
const loaded: ParsedRunbook[] = [];
for (const file of runbookFiles()) {
  const r = await loadRunbookFile(file, config);
  if (!r.ok) throw new Error(r.findings.map(formatFinding).join('\n'));
  loaded.push(r.loaded);
}

describe('shipped runbooks', () => {
  it('are the five scenarios and the prompt rollout procedure', () => {
    expect(loaded.map((l) => l.runbook.id).sort()).toEqual(
      ['first-token', 'prompt-regression', 'prompt-rollout', 'rag-timeout', 'stale-precompute', 'websocket-drop'],
    );
  });

  it.each(loaded.map((l) => [l.runbook.id, l] as const))('%s validates with no finding', (_id, l) => {
    expect(lint(l, config).map(formatFinding)).toEqual([]);
  });

  it.each(loaded.map((l) => [l.runbook.id, l] as const))('%s has a drill case for every outcome', (_id, l) => {
    const reached = new Set(l.runbook.drills.flatMap((d) => walk(l.runbook, simulateAll(l.runbook.probes, d.evidence), d.answers).path.map((v) => v.node)));
    const outcomes = Object.entries(l.runbook.nodes).filter(([, n]) => n.type === 'outcome').map(([id]) => id);
    expect(outcomes.filter((o) => !reached.has(o))).toEqual([]);
  });

  const cases = loaded.flatMap((l) => l.runbook.drills.map((d) => [l.runbook.id, d.name, l, d] as const));
  it.each(cases)('%s / %s walks its recorded path to its outcome', (_id, _name, l, drill) => {
    expect(drill.path, 'every shipped drill case names its path').toBeDefined();
    const result = walk(l.runbook, simulateAll(l.runbook.probes, drill.evidence), drill.answers);
    expect(result.stop).toBeUndefined();
    expect(result.path.map((v) => v.node)).toEqual(drill.path);
    expect(result.outcome).toBe(drill.expect);
  });
});
