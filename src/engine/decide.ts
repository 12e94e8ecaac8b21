// What the evidence says at one decision node. Pure: no I/O, no prompts, no clock.
import type { EvidenceMap } from '../core/evidence.js';
import { formatNumber } from '../core/number.js';
import type { Branch, DecisionNode } from '../runbook/schema.js';
import { describeCondition, evaluate, explainRule } from './rules.js';

export type Suggestion =
  /** The evidence picks a branch. */
  | { by: 'evidence'; branch: Branch; reason: string }
  /** The data is missing and the runbook names where no data goes. */
  | { by: 'nodata'; branch: Branch; reason: string; missing: string[] }
  /** Only a human can answer: an ask node, or missing data with noData: ask. */
  | { by: 'human'; reason: string; missing: string[] };

function noData(node: DecisionNode, missing: string[], evidence: EvidenceMap): Suggestion {
  const why = missing
    .map((p) => {
      const e = evidence[p];
      return `${p}: ${e && e.status !== 'ok' ? e.reason : 'not gathered'}`;
    })
    .join('; ');
  const branch = node.noData === 'ask' ? undefined : node.branches.find((b) => b.label === node.noData);
  return branch
    ? { by: 'nodata', branch, missing, reason: `no data — ${why}; the runbook sends no data to "${branch.label}"` }
    : { by: 'human', missing, reason: `no data — ${why}` };
}

export function suggest(node: DecisionNode, evidence: EvidenceMap): Suggestion {
  if (node.decide === 'ask') return { by: 'human', missing: [], reason: 'a question for the human' };
  if (node.decide === 'check') {
    const check = node.check!;
    const r = evaluate(check, evidence);
    if (!r.known) return noData(node, r.missing, evidence);
    const branch = node.branches.find((b) => b.when === r.holds)!;
    const e = evidence[check.probe];
    const shown = e?.status !== 'ok' ? '?' : typeof e.value === 'number' ? formatNumber(e.value) : String(e.value);
    return { by: 'evidence', branch, reason: `${describeCondition(check)} is ${r.holds} (${check.probe} = ${shown})` };
  }
  const missing: string[] = [];
  for (const branch of node.branches) {
    if (branch.when === 'otherwise' || branch.when === undefined || typeof branch.when === 'boolean') continue;
    const r = evaluate(branch.when, evidence);
    if (!r.known) {
      missing.push(...r.missing);
      // A branch we cannot evaluate blocks those after it: order is the rule's priority.
      return noData(node, [...new Set(missing)], evidence);
    }
    if (r.holds) return { by: 'evidence', branch, reason: explainRule(branch.when, evidence) };
  }
  const otherwise = node.branches.find((b) => b.when === 'otherwise');
  if (otherwise) return { by: 'evidence', branch: otherwise, reason: 'no other branch\'s rule holds' };
  return { by: 'human', missing: [], reason: 'no rule holds and there is no otherwise branch' };
}
