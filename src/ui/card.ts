// The evidence card: what the engineer sees at each node. Evidence first, each value marked
// ✗ breaching / ✓ within / ? no data (· where the probe has no threshold) — a mark, not colour
// alone — then its healthy side, its trend on a scale that takes in the threshold, where it
// came from; then the branch the evidence picks and why. A probe already drawn in full on
// this screen is one line the next time.
import type { ChalkInstance } from 'chalk';
import type { Evidence, EvidenceMap } from '../core/evidence.js';
import type { Suggestion } from '../engine/decide.js';
import { decidedBy } from '../engine/rules.js';
import { healthyOf, isHealthy, probesOfNode, type Healthy } from '../runbook/rules.js';
import type { DecisionNode, Node, Probe, Runbook } from '../runbook/schema.js';
import { describeProbe, evidenceValue, formatNumber, formatValue } from './format.js';
import { scaleOf, sparkline, trend } from './sparkline.js';
import { width, wrap } from './wrap.js';

const OP: Record<Healthy['op'], string> = { '<=': '≤', '>=': '≥', '<': '<', '>': '>', '==': '=', '!=': '≠' };

export function healthyText(h: Healthy, unit?: string): string {
  return `healthy ${OP[h.op]} ${typeof h.value === 'number' ? formatValue(h.value, unit) : String(h.value)}`;
}

/** ✗ breaching, ✓ within, ? no data, ○ nothing to judge it against (a context probe). */
export type Mark = '✗' | '✓' | '?' | '○';

export function markOf(e: Evidence | undefined, h: Healthy | undefined): Mark {
  if (!e || e.status !== 'ok') return '?';
  if (!h) return '○';
  return isHealthy(e.value, h) ? '✓' : '✗';
}

function coloured(mark: Mark, c: ChalkInstance): string {
  return mark === '✗' ? c.red.bold(mark) : mark === '✓' ? c.green(mark) : mark === '?' ? c.yellow(mark) : c.dim(mark);
}

/** The probes the evidence decided by: the check, the held rule's deciding probes, or what is missing. */
function decisive(node: Node, suggestion: Suggestion | undefined, evidence: EvidenceMap): string[] {
  if (!suggestion || node.type !== 'decision') return [];
  if (suggestion.by !== 'evidence') return 'missing' in suggestion ? suggestion.missing : [];
  if (node.check) return [node.check.probe];
  const when = suggestion.branch.when;
  return when && typeof when === 'object' ? decidedBy(when, evidence) : [];
}

/** The value line of one probe: mark, name, value, healthy side. */
function valueLine(probe: Probe, id: string, e: Evidence | undefined, h: Healthy | undefined, c: ChalkInstance, columns: number): string {
  const mark = markOf(e, h);
  const value = evidenceValue(e, probe.unit);
  const shown = e?.status === 'ok' ? c.bold(value) : c.yellow(value);
  // No-break spaces: the healthy side stays whole on one line.
  const side = h && e?.status === 'ok' ? ' ' + c.dim(`(${healthyText(h, probe.unit)})`.replace(/ /g, '\u00a0')) : '';
  return wrap(`${coloured(mark, c)} ${probe.label ?? id}: ${shown}${side}`, columns, '  ', '    ');
}

function fullLines(probe: Probe, e: Evidence | undefined, h: Healthy | undefined, c: ChalkInstance, columns: number): string[] {
  const lines: string[] = [];
  if (e?.status === 'ok' && e.datapoints && e.datapoints.length > 1) lines.push(...trendLines(probe, e.datapoints, e.inputs ? undefined : h, c, columns));
  if (e?.status === 'ok' && e.detail) lines.push(c.dim(wrap(e.detail, columns, '    ', '      ')));
  lines.push(c.dim(wrap(describeProbe(probe), columns, '    ', '      ')));
  return lines;
}

/**
 * The sparkline and its numbers on one line; the sparkline gives up points (the oldest)
 * before the numbers give up room, and the scale moves to its own line when even eight
 * points would not fit.
 */
function trendLines(probe: Probe, datapoints: readonly { v: number }[], h: Healthy | undefined, c: ChalkInstance, columns: number): string[] {
  const vs = datapoints.map((d) => d.v);
  const numbers = `${formatNumber(vs[0]!)} → ${formatNumber(vs[vs.length - 1]!)} ${trend(vs)}`;
  const scaleText = (room: number) => {
    const s = scaleOf(vs.slice(-room), typeof h?.value === 'number' ? h.value : undefined);
    return { s, text: `scale ${formatNumber(s.min)}–${formatNumber(s.max)}${probe.unit ? ` ${probe.unit}` : ''}` };
  };
  const fixed = 4 + 1 + width(numbers);
  // The scale's range depends on the points shown; two passes settle it.
  let room = Math.min(32, vs.length);
  for (let pass = 0; pass < 2; pass++) room = Math.min(room, columns - fixed - 2 - width(scaleText(room).text));
  const ownLine = room < Math.min(8, vs.length);
  if (ownLine) room = Math.max(4, Math.min(32, vs.length, columns - fixed));
  const { s, text } = scaleText(room);
  const head = `    ${c.cyan(sparkline(vs, room, s))} ${numbers}`;
  return ownLine ? [head, `    ${c.dim(text)}`] : [`${head}  ${c.dim(text)}`];
}

/**
 * The evidence lines of a node, the decisive values first; `drawn` remembers what this
 * screen has shown in full already.
 */
export function renderEvidenceLines(runbook: Runbook, node: Node, evidence: EvidenceMap, c: ChalkInstance, columns: number, drawn: Set<string>, suggestion?: Suggestion): string[] {
  const first = decisive(node, suggestion, evidence);
  const ids = probesOfNode(node).map((p) => p.probe);
  const ordered = [...first.filter((id) => ids.includes(id)), ...ids.filter((id) => !first.includes(id))];
  const lines: string[] = [];
  for (const id of ordered) {
    const probe = runbook.probes[id];
    if (!probe) continue;
    const e = evidence[id];
    const h = healthyOf(probe, id, node);
    lines.push(valueLine(probe, id, e, h, c, columns));
    if (drawn.has(id)) continue;
    drawn.add(id);
    lines.push(...fullLines(probe, e, h, c, columns));
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
  drawn: Set<string> = new Set(),
  observation?: string,
): string {
  const lines = [``, wrap(`${c.bold('?')} ${c.bold(node.question)}  ${c.dim(`[${id}]`)}`, columns, '', '  ')];
  lines.push(...renderEvidenceLines(runbook, node, evidence, c, columns, drawn, suggestion));
  if (node.note) lines.push(c.dim(wrap(`note: ${node.note}`, columns, '  ', '    ')));
  // A drill shows what the engineer would see for themselves at a question no probe answers.
  if (observation) lines.push(c.cyan(wrap(`you observe: ${observation}`, columns, '  ', '    ')));
  if (suggestion.by === 'human') {
    lines.push(wrap(`${c.yellow('→ your call')}: ${suggestion.reason}`, columns, '  ', '    '));
  } else {
    const via = suggestion.by === 'nodata' ? c.yellow('→ no data') : c.green('→ evidence');
    lines.push(wrap(`${via} picks ${c.bold(`"${suggestion.branch.label}"`)}: ${suggestion.reason}`, columns, '  ', '    '));
  }
  return lines.join('\n') + '\n';
}

export function renderStepCard(runbook: Runbook, id: string, node: Node & { type: 'step' }, evidence: EvidenceMap, c: ChalkInstance, columns: number, drawn: Set<string> = new Set()): string {
  const lines = [``, wrap(`${c.bold('·')} ${node.text}  ${c.dim(`[${id}]`)}`, columns, '', '  ')];
  lines.push(...renderEvidenceLines(runbook, node, evidence, c, columns, drawn));
  if (node.note) lines.push(c.dim(wrap(`note: ${node.note}`, columns, '  ', '    ')));
  return lines.join('\n') + '\n';
}
