// What "the fix worked" means at an outcome, for the recovery watch: the outcome's own
// `recovery:` conditions, or else the alarm's own probe back on its healthy side. The alarm's
// probe is the first evidence probe of the root step (every incident tree that starts from an
// alarm has one: `alarm: {type: step, evidence: [first-token-p95]}`); its healthy side is the
// probe's `healthy:`, or the negation of the one threshold the alarm step's text states
// ("first_token_p95 > 2000ms for 10 min" → ≤ 2000). Anything less certain is not guessed: lint
// asks the outcome to say it.
import { durationMs } from '../core/time.js';
import { negate, parseHealthy } from './rules.js';
import type { Condition, OutcomeNode, Runbook } from './schema.js';

export const DEFAULT_WITHIN = '15m';

export interface RecoverySpec {
  /** Every one on its healthy side: recovered. */
  conditions: Condition[];
  withinMs: number;
  /** Where the conditions come from: the outcome's `recovery:`, or the alarm's probe. */
  from: 'outcome' | 'alarm';
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; why: string };

/** `> 2000` in "first_token_p95 > 2000ms for 10 min"; numbers may carry thousands commas. */
const THRESHOLD = /(>=|<=|>|<)\s*(\d[\d,]*(?:\.\d+)?)/g;

/** The alarm's probe and its healthy side, read off the root step. */
export function alarmCondition(rb: Runbook): Resolved<Condition> {
  const root = rb.nodes[rb.root];
  if (root?.type !== 'step') return { ok: false, why: `the root '${rb.root}' is not a step naming the alarm's probe` };
  const probe = root.evidence[0];
  if (!probe) return { ok: false, why: `the alarm step '${rb.root}' lists no probe in its evidence` };
  const p = rb.probes[probe];
  if (!p) return { ok: false, why: `the alarm step's probe '${probe}' is not defined` };
  if (p.healthy) {
    const h = parseHealthy(p.healthy);
    return { ok: true, value: { probe, op: h.op, value: h.value } };
  }
  const found = [...root.text.matchAll(THRESHOLD)];
  if (found.length !== 1) {
    const said = found.length ? `states ${found.length} thresholds` : 'states no threshold';
    return { ok: false, why: `the alarm step's text ${said} and its probe '${probe}' declares no healthy side` };
  }
  const [, op, value] = found[0]!;
  return { ok: true, value: { probe, op: negate(op as Condition['op']), value: Number(value!.replace(/,/g, '')) } };
}

/** Whether an outcome offers a fix the runner can apply (not only manual steps). */
export function hasFixes(node: OutcomeNode): boolean {
  return node.resolution.some((t) => t.steps.some((s) => s.action));
}

/** The recovery condition of an outcome: its own, else the alarm's probe back on its healthy side. */
export function recoveryOf(rb: Runbook, outcome: string): Resolved<RecoverySpec> {
  const node = rb.nodes[outcome];
  if (node?.type !== 'outcome') return { ok: false, why: `'${outcome}' is not an outcome of ${rb.id}` };
  const withinMs = durationMs(node.recovery?.within ?? DEFAULT_WITHIN);
  if (node.recovery?.healthy) return { ok: true, value: { conditions: node.recovery.healthy, withinMs, from: 'outcome' } };
  const alarm = alarmCondition(rb);
  if (!alarm.ok) return { ok: false, why: `${outcome} has no recovery: of its own, and the alarm's probe cannot stand in (${alarm.why})` };
  return { ok: true, value: { conditions: [alarm.value], withinMs, from: 'alarm' } };
}
