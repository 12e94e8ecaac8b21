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
