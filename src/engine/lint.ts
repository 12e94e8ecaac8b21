// Lint: the runbook's structure (runbook/lint.ts), then — on a sound graph only, since walking a
// broken one repeats those findings — every drill case walked by the cursor to its expected
// outcome, along its recorded path, and every outcome reached by some case.
import { simulateAll } from '../capabilities/probes.js';
import type { Config } from '../core/config.js';
import type { Finding } from '../core/findings.js';
import { checkDrillCase, lintStructure, reporter, type Report } from '../runbook/lint.js';
import type { ParsedRunbook } from '../runbook/load.js';
import type { Runbook } from '../runbook/schema.js';
import { walk } from './cursor.js';

function checkDrills(rb: Runbook, report: Report) {
  const reached = new Set<string>();
  rb.drills.forEach((drill, d) => {
    const at = (...p: PropertyKey[]) => ['drills', d, ...p];
    if (!checkDrillCase(rb, d, report)) return;
    const result = walk(rb, simulateAll(rb.probes, drill.evidence), drill.answers);
    result.path.forEach((v) => reached.add(v.node));
    if (result.stop) return report(at('name'), `case '${drill.name}' stops at '${result.stop.node}': ${result.stop.message}`);
    if (result.outcome !== drill.expect) {
      return report(at('expect'), `case '${drill.name}' reaches '${result.outcome}', not '${drill.expect}' (path: ${result.path.map((v) => v.node).join(' → ')})`);
    }
    const walked = result.path.map((v) => v.node);
    if (drill.path && drill.path.join(' ') !== walked.join(' ')) {
      report(at('path'), `case '${drill.name}' walks ${walked.join(' → ')}`);
    }
  });
  for (const [id, node] of Object.entries(rb.nodes)) {
    if (node.type === 'outcome' && !reached.has(id)) report(['nodes', id], `outcome '${id}' has no drill case that reaches it`);
  }
}

export function lint(loaded: ParsedRunbook, config: Config): Finding[] {
  const findings = lintStructure(loaded, config);
  if (findings.length === 0) checkDrills(loaded.runbook, reporter(loaded, findings));
  return findings;
}
