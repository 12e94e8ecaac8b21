// The evidence card: what the engineer sees at each node. Evidence first: the value against
// its threshold, the trend, where it came from; then the branch the evidence picks and why.
import type { ChalkInstance } from 'chalk';
import type { EvidenceMap } from '../core/evidence.js';
import type { Suggestion } from '../engine/decide.js';
import { probesOfNode } from '../runbook/rules.js';
import type { DecisionNode, Node, Runbook } from '../runbook/schema.js';
import { describeProbe, evidenceValue, formatNumber } from './format.js';
import { sparkline, trend } from './sparkline.js';
import { wrap } from './wrap.js';

function renderEvidenceLines(runbook: Runbook, node: Node, evidence: EvidenceMap, c: ChalkInstance, columns: number): string[] {
  const lines: string[] = [];
  for (const { probe: id, thresholds } of probesOfNode(node)) {
    const probe = runbook.probes[id];
    if (!probe) continue;
    const e = evidence[id];
    const name = probe.label ?? id;
    const value = evidenceValue(e, probe.unit);
    const against = thresholds.length ? `  threshold ${thresholds.join(' / ')}` : '';
    const shown = e?.status === 'ok' ? c.bold(value) : c.yellow(value);
    lines.push(wrap(`${name}: ${shown}${c.dim(against)}`, columns, '  ', '    '));
    if (e?.status === 'ok' && e.datapoints && e.datapoints.length > 1) {
      const vs = e.datapoints.map((d) => d.v);
      lines.push(`    ${c.cyan(sparkline(vs, Math.min(32, columns - 30)))} ${formatNumber(vs[0]!)} → ${formatNumber(vs[vs.length - 1]!)} ${trend(vs)}`);
    }
    if (e?.status === 'ok' && e.detail) lines.push(c.dim(`    ${e.detail}`));
    lines.push(c.dim(wrap(describeProbe(probe), columns, '    ', '      ')));
  }
  return lines;
}

export function renderDecisionCard(
  runbook: Runbook,
  id: string,
  node: DecisionNode,
  evidence: EvidenceMap,
  suggestion: Suggestion,
  c: ChalkInstance,
  columns: number,
): string {
  const lines = [``, wrap(`${c.bold('?')} ${c.bold(node.question)}  ${c.dim(`[${id}]`)}`, columns, '', '  ')];
  lines.push(...renderEvidenceLines(runbook, node, evidence, c, columns));
  if (node.note) lines.push(c.dim(wrap(`note: ${node.note}`, columns, '  ', '    ')));
  if (suggestion.by === 'human') {
    lines.push(wrap(`${c.yellow('→ your call')}: ${suggestion.reason}`, columns, '  ', '    '));
  } else {
    const via = suggestion.by === 'nodata' ? c.yellow('→ no data') : c.green('→ evidence');
    lines.push(wrap(`${via} picks ${c.bold(`"${suggestion.branch.label}"`)}: ${suggestion.reason}`, columns, '  ', '    '));
  }
  return lines.join('\n') + '\n';
}

export function renderStepCard(runbook: Runbook, id: string, node: Node & { type: 'step' }, evidence: EvidenceMap, c: ChalkInstance, columns: number): string {
  const lines = [``, wrap(`${c.bold('·')} ${node.text}  ${c.dim(`[${id}]`)}`, columns, '', '  ')];
  lines.push(...renderEvidenceLines(runbook, node, evidence, c, columns));
  if (node.note) lines.push(c.dim(wrap(`note: ${node.note}`, columns, '  ', '    ')));
  return lines.join('\n') + '\n';
}
