// What a node's rules read: the probes, and the thresholds they compare them to. Data only:
// evaluating a rule against evidence is the engine's (engine/rules.ts).
import type { Condition, Node, Rule } from './schema.js';

/** Every probe id a rule reads. */
export function probesOf(rule: Rule): string[] {
  if ('probe' in rule) return [rule.probe];
  if ('not' in rule) return probesOf(rule.not);
  return ('all' in rule ? rule.all : rule.any).flatMap(probesOf);
}

function conditionsOf(rule: Rule): Condition[] {
  if ('probe' in rule) return [rule];
  if ('not' in rule) return conditionsOf(rule.not);
  return ('all' in rule ? rule.all : rule.any).flatMap(conditionsOf);
}

/** Every comparison a decision node makes: its check, then its branches' rules in order. */
export function conditionsAt(node: Node): Condition[] {
  if (node.type !== 'decision') return [];
  return [...(node.check ? [node.check] : []), ...node.branches.flatMap((b) => (b.when && typeof b.when === 'object' ? conditionsOf(b.when) : []))];
}

/** The probes a node reads, in order, with the thresholds the rules compare them to. */
export function probesOfNode(node: Node): { probe: string; thresholds: string[] }[] {
  const out = new Map<string, Set<string>>();
  const add = (probe: string, threshold?: string) => {
    if (!out.has(probe)) out.set(probe, new Set());
    if (threshold) out.get(probe)!.add(threshold);
  };
  if (node.type === 'decision') {
    if (node.check) add(node.check.probe, `${node.check.op} ${String(node.check.value)}`);
    for (const b of node.branches) {
      if (b.when && typeof b.when === 'object') {
        for (const c of conditionsOf(b.when)) add(c.probe, `${c.op} ${String(c.value)}`);
        probesOf(b.when).forEach((p) => add(p));
      }
    }
  }
  node.evidence.forEach((p) => add(p));
  return [...out].map(([probe, t]) => ({ probe, thresholds: [...t] }));
}

export type Op = Condition['op'];
export interface Healthy {
  op: Op;
  value: Condition['value'];
}

const NEGATE: Record<Op, Op> = { '>': '<=', '>=': '<', '<': '>=', '<=': '>', '==': '!=', '!=': '==' };

/** The other side of a comparison: where `> 2000` names the problem, `<= 2000` is healthy. */
export function negate(op: Op): Op {
  return NEGATE[op];
}

/** A probe's `healthy: "<= 5"` as an operator and a value. */
export function parseHealthy(text: string): Healthy {
  const m = /^\s*(<=|>=|<|>|==|!=)\s*(.+?)\s*$/.exec(text)!;
  const raw = m[2]!;
  const value = raw === 'true' ? true : raw === 'false' ? false : raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  return { op: m[1] as Op, value };
}

/**
 * Where a probe is healthy at a node: its own `healthy`, else the negation of the first rule
 * of the node that compares it — runbook rules name the problem ("latency > 1500") — else
 * unknown (a context probe with no threshold).
 */
export function healthyOf(probe: { healthy?: string }, probeId: string, node: Node): Healthy | undefined {
  if (probe.healthy) return parseHealthy(probe.healthy);
  const c = conditionsAt(node).find((r) => r.probe === probeId);
  return c ? { op: NEGATE[c.op], value: c.value } : undefined;
}

/** Whether a value is on its healthy side. */
export function isHealthy(value: number | boolean | string, h: Healthy): boolean {
  if (typeof value === 'number' && typeof h.value === 'number') {
    switch (h.op) {
      case '>': return value > h.value;
      case '>=': return value >= h.value;
      case '<': return value < h.value;
      case '<=': return value <= h.value;
      case '==': return value === h.value;
      case '!=': return value !== h.value;
    }
  }
  return h.op === '!=' ? value !== h.value : value === h.value;
}
