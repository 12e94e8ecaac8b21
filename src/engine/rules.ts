// Structured rules evaluated against evidence. No eval: a rule is data.
import type { EvidenceMap, Value } from '../core/evidence.js';
import { formatNumber } from '../core/number.js';
import type { Condition, Rule } from '../runbook/schema.js';

export type RuleResult = { known: true; holds: boolean } | { known: false; missing: string[] };

function compare(actual: Value, op: Condition['op'], expected: Value): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') {
    switch (op) {
      case '>': return actual > expected;
      case '>=': return actual >= expected;
      case '<': return actual < expected;
      case '<=': return actual <= expected;
      case '==': return actual === expected;
      case '!=': return actual !== expected;
    }
  }
  // Booleans and strings only compare for (in)equality; ordering them is a lint error.
  if (op === '==') return actual === expected;
  if (op === '!=') return actual !== expected;
  return false;
}

export function evaluate(rule: Rule, evidence: EvidenceMap): RuleResult {
  if ('probe' in rule) {
    const e = evidence[rule.probe];
    if (!e || e.status !== 'ok') return { known: false, missing: [rule.probe] };
    return { known: true, holds: compare(e.value, rule.op, rule.value) };
  }
  if ('not' in rule) {
    const r = evaluate(rule.not, evidence);
    return r.known ? { known: true, holds: !r.holds } : r;
  }
  const parts = ('all' in rule ? rule.all : rule.any).map((r) => evaluate(r, evidence));
  const decisive = 'all' in rule ? false : true;
  // all: one false decides even if others are missing; any: one true decides.
  if (parts.some((p) => p.known && p.holds === decisive)) return { known: true, holds: decisive };
  const missing = parts.flatMap((p) => (p.known ? [] : p.missing));
  return missing.length ? { known: false, missing } : { known: true, holds: !decisive };
}

/**
 * The probes that decided a known rule, for the card to show first: of an `any` that held,
 * the parts that held; of an `all` that failed, the parts that failed; otherwise every part.
 */
export function decidedBy(rule: Rule, evidence: EvidenceMap): string[] {
  if ('probe' in rule) return [rule.probe];
  if ('not' in rule) return decidedBy(rule.not, evidence);
  const parts = 'all' in rule ? rule.all : rule.any;
  const result = evaluate(rule, evidence);
  const deciding = 'any' in rule ? true : false;
  const picked = result.known && result.holds === deciding ? parts.filter((p) => { const r = evaluate(p, evidence); return r.known && r.holds === deciding; }) : parts;
  return [...new Set(picked.flatMap((p) => decidedBy(p, evidence)))];
}

export function describeCondition(c: Condition): string {
  return `${c.probe} ${c.op} ${String(c.value)}`;
}

/** A rule with the values it saw: "ftl-haiku 1,820 > 400 and ftl-sonnet 2,720 > 1100". */
export function explainRule(rule: Rule, evidence: EvidenceMap): string {
  if ('probe' in rule) {
    const e = evidence[rule.probe];
    const seen = e?.status === 'ok' ? (typeof e.value === 'number' ? formatNumber(e.value) : String(e.value)) : 'no data';
    return `${rule.probe} ${seen} ${rule.op} ${String(rule.value)}`;
  }
  if ('not' in rule) return `not (${explainRule(rule.not, evidence)})`;
  const parts = ('all' in rule ? rule.all : rule.any).map((r) => ('probe' in r ? explainRule(r, evidence) : `(${explainRule(r, evidence)})`));
  return parts.join('all' in rule ? ' and ' : ' or ');
}

