// A drill's score: did the walk reach the case's outcome, how fast, which overrides led
// astray, which fixes were chosen, and — for fixes confirmed into the drill's world — how long
// the symptom took to recover (simulated) and which fixes did not help.
import type { EvidenceMap } from '../core/evidence.js';
import { answerFor, walk } from '../engine/cursor.js';
import type { DrillCase, Runbook } from '../runbook/schema.js';
import type { WalkOutput } from './walker.js';

export interface DrillScore {
  case: string;
  expected: string;
  reached: string | null;
  correct: boolean;
  /** From the first card to the first diagnosis. */
  timeToDiagnosisMs: number | null;
  overrides: number;
  /** Overrides at nodes where the evidence's pick was the way to the expected outcome. */
  astray: { node: string; chose: string; evidence: string }[];
  /** Human answers that differ from the case's, and where each led. */
  answers: { node: string; question: string; chose: string; case: string; ledTo: string | null }[];
  stepsOffered: number;
  stepsChosen: number;
  /** Simulated seconds from the first fix watched to the symptom back on its healthy side; null if it never came back (or no fix was watched). */
  timeToRecoveryS: number | null;
  /** Fixes confirmed whose recovery watch ended not recovered or worse. */
  wrongFixes: { step: number; action: string; status: 'not-recovered' | 'worse' }[];
}

function recoveryOf(out: WalkOutput): Pick<DrillScore, 'timeToRecoveryS' | 'wrongFixes'> {
  const watched = out.recoveries ?? [];
  const wrongFixes = watched.flatMap((r) => (r.status === 'recovered' ? [] : [{ step: r.step, action: r.action, status: r.status }]));
  const recovered = watched.find((r) => r.status === 'recovered');
  const first = Math.min(...watched.map((r) => r.fixAt));
  return { timeToRecoveryS: recovered ? Math.round((recovered.fixAt - first) / 1000) + recovered.after : null, wrongFixes };
}

export function scoreDrill(runbook: Runbook, drill: DrillCase, evidence: EvidenceMap, out: WalkOutput, startedAt: number): DrillScore {
  const ideal = walk(runbook, evidence, drill.answers);
  const idealNext = new Map<string, string>();
  ideal.path.forEach((v, i) => {
    const next = ideal.path[i + 1];
    if (v.type === 'decision' && next && !idealNext.has(v.node)) idealNext.set(v.node, v.answer!);
  });
  const overrides = out.path.filter((p) => p.by === 'override');
  const astray = overrides
    .filter((p) => idealNext.get(p.node) !== undefined && idealNext.get(p.node) !== p.answer)
    .map((p) => ({ node: p.node, chose: p.answer!, evidence: p.suggested ?? idealNext.get(p.node)! }));
  // The trainee's own answers against the case's, visit by visit; the case's own answers
  // standing in for the human (--auto) are not the trainee's.
  const visits = new Map<string, number>();
  const answers: DrillScore['answers'] = [];
  out.path.forEach((p, i) => {
    if (p.type !== 'decision' || p.by !== 'human' || p.answer === undefined) return;
    const visit = visits.get(p.node) ?? 0;
    visits.set(p.node, visit + 1);
    const expected = answerFor(drill.answers, p.node, visit);
    if (expected !== undefined && expected !== p.answer) answers.push({ node: p.node, question: p.question, chose: p.answer, case: expected, ledTo: out.path[i + 1]?.node ?? null });
  });
  const actionSteps = out.steps.filter((s) => s.action);
  return {
    case: drill.name,
    expected: drill.expect,
    reached: out.outcome ?? null,
    correct: out.outcome === drill.expect,
    timeToDiagnosisMs: out.diagnosedAt === undefined ? null : out.diagnosedAt - startedAt,
    overrides: overrides.length,
    astray,
    answers,
    stepsOffered: actionSteps.length,
    stepsChosen: actionSteps.filter((s) => ['confirmed', 'applied', 'verified'].includes(s.status)).length,
    ...recoveryOf(out),
  };
}
