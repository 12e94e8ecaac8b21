// The walk as the engineer lives it: a card at every node, the evidence's pick confirmed
// with Enter or overruled, human questions asked as choices, and at each diagnosis the fix
// offered step by step through the action runner. Asks only through the Prompter port.
import type { Io } from '../cli/io.js';
import { suggest, type Suggestion } from '../engine/decide.js';
import type { EvidenceMap, Evidence } from '../engine/evidence.js';
import { branchTarget, type Answers, type By } from '../engine/walk.js';
import type { Journal } from '../journal/journal.js';
import type { StepStatus } from '../journal/records.js';
import type { ActionStep, DecisionNode, OutcomeNode, Runbook } from '../runbook/schema.js';
import { probesOfNode, renderDecisionCard, renderStepCard } from '../ui/card.js';
import { renderOutcomeHeader, renderPrevention, renderTierHeading, wrap } from '../ui/outcome-view.js';
import { style } from '../ui/style.js';

export interface PathEntry {
  node: string;
  type: 'step' | 'decision' | 'outcome';
  /** The question, step text or outcome title. */
  question: string;
  evidence: Record<string, Evidence>;
  answer?: string;
  by?: By;
  /** What the evidence picked, when the human overruled it. */
  suggested?: string;
  reason?: string;
}

export interface StepEntry {
  step?: number;
  node: string;
  tier: string;
  text: string;
  action?: string;
  params?: Record<string, unknown>;
  status: StepStatus | 'manual';
}

export interface WalkStop {
  node: string;
  reason: 'needs-human' | 'too-long';
  message: string;
  choices: string[];
}

export interface WalkOutput {
  path: PathEntry[];
  outcomes: string[];
  outcome?: string;
  steps: StepEntry[];
  stop?: WalkStop;
  /** io.now() when the first outcome was reached. */
  diagnosedAt?: number;
}

/** Runs one action step (plan → show → confirm → apply → record); the action runner. */
export type StepRunner = (step: ActionStep, node: string) => Promise<StepStatus>;

export interface WalkSession {
  runbook: Runbook;
  evidence: EvidenceMap;
  journal: Journal;
  io: Io;
  /** Never prompt: follow the evidence, take --answer for human questions, stop otherwise. */
  auto: boolean;
  /** --answer node=choice. */
  answers: Answers;
  /** A drill case's answers, standing in for the human in --auto (only where the evidence cannot decide). */
  caseAnswers?: Answers;
  runStep: StepRunner;
  /** Resume: the decisions already recorded, replayed without asking; steps already done. */
  replay?: { decisions: Record<string, string[]>; doneSteps: Map<string, StepStatus> };
  /** Where to start (default: the root). */
  start?: string;
  /** The next step number in this incident's journal. */
  nextStep(): number;
}

function evidenceFor(node: Runbook['nodes'][string], evidence: EvidenceMap): Record<string, Evidence> {
  return Object.fromEntries(probesOfNode(node).flatMap(({ probe }) => (evidence[probe] ? [[probe, evidence[probe]]] : [])));
}

function take(list: string[] | undefined): string | undefined {
  return list && list.length ? list.shift() : undefined;
}

function answerOf(answers: Answers, node: string, visit: number): string | undefined {
  const a = answers[node];
  return a === undefined ? undefined : typeof a === 'string' ? a : a[Math.min(visit, a.length - 1)];
}

async function decide(
  s: WalkSession,
  id: string,
  node: DecisionNode,
  suggestion: Suggestion,
  visit: number,
): Promise<{ label: string; by: By; fromCase?: boolean } | WalkStop> {
  const labels = node.branches.map((b) => b.label);
  const given = answerOf(s.answers, id, visit);
  if (given !== undefined) {
    if (!labels.includes(given)) {
      const { UsageError } = await import('../errors.js');
      throw new UsageError(`--answer ${id}="${given}" is not a branch of "${node.question}"`, `choose one of: ${labels.map((l) => `"${l}"`).join(', ')}`);
    }
    return { label: given, by: suggestion.by === 'human' ? 'human' : given === suggestion.branch.label ? 'evidence' : 'override' };
  }
  const fromCase = s.auto && suggestion.by === 'human' && s.caseAnswers ? answerOf(s.caseAnswers, id, visit) : undefined;
  if (fromCase !== undefined) return { label: fromCase, by: 'human', fromCase: true };
  if (suggestion.by !== 'human') {
    if (s.auto) return { label: suggestion.branch.label, by: 'evidence' };
    const picked = suggestion.branch.label;
    const label = await s.io.prompter.choose({
      id,
      message: 'Follow the evidence? (Enter = yes, ↑↓ = overrule)',
      choices: node.branches.map((b) => ({ value: b.label, name: b.label === picked ? `${b.label}  ← evidence` : b.label })),
      defaultValue: picked,
    });
    return { label, by: label === picked ? 'evidence' : 'override' };
  }
  if (s.auto) {
    return {
      node: id,
      reason: 'needs-human',
      message: `"${node.question}" [${id}] needs a human answer: ${suggestion.reason}`,
      choices: labels,
    };
  }
  const label = await s.io.prompter.choose({
    id,
    message: node.question,
    choices: node.branches.map((b) => ({ value: b.label, name: b.label })),
  });
  return { label, by: 'human' };
}

async function offerSteps(s: WalkSession, id: string, node: OutcomeNode, out: WalkOutput): Promise<void> {
  const c = style(s.io.color);
  for (const [t, tier] of node.resolution.entries()) {
    s.io.stderr.write(renderTierHeading(tier, c));
    for (const [i, step] of tier.steps.entries()) {
      const key = `${id}#${t}.${i}`;
      s.io.stderr.write(wrap(`- ${step.text}`, s.io.columns, '    ', '      ') + '\n');
      const entry: StepEntry = { node: id, tier: tier.tier, text: step.text, status: 'manual' };
      if (step.action) Object.assign(entry, { action: step.action, params: step.params });
      const done = s.replay?.doneSteps.get(key);
      if (done) {
        s.io.stderr.write(c.dim(`      (${done} before the interruption; not offered again)\n`));
        entry.status = done;
      } else if (step.action) {
        entry.status = await s.runStep(step, key);
      } else {
        const n = s.nextStep();
        entry.step = n;
        s.journal.append({ type: 'step', step: n, node: key, text: step.text, status: 'offered' });
      }
      out.steps.push(entry);
    }
  }
  s.io.stderr.write(renderPrevention(node, c, s.io.columns));
}

export async function walkInteractive(s: WalkSession): Promise<WalkOutput> {
  const rb = s.runbook;
  const c = style(s.io.color);
  const out: WalkOutput = { path: [], outcomes: [], steps: [] };
  const visits = new Map<string, number>();
  const limit = Object.keys(rb.nodes).length * 4;
  const replay = s.replay ? Object.fromEntries(Object.entries(s.replay.decisions).map(([k, v]) => [k, [...v]])) : {};
  let current: string | undefined = s.start ?? rb.root;
  // On resume, the nodes up to the first unanswered decision are already in the journal:
  // pass them quietly instead of recording them twice.
  let replaying = s.replay !== undefined;

  while (current !== undefined) {
    const id: string = current;
    const node: Runbook["nodes"][string] = rb.nodes[id]!;
    const visit = visits.get(id) ?? 0;
    visits.set(id, visit + 1);
    if (out.path.length >= limit) {
      out.stop = { node: id, reason: 'too-long', message: `the walk passed ${limit} nodes without ending`, choices: [] };
      break;
    }
    const evidence = evidenceFor(node, s.evidence);

    if (node.type === 'step') {
      if (replaying) s.io.stderr.write(c.dim(`· ${node.text}\n`));
      else s.io.stderr.write(renderStepCard(rb, id, node, s.evidence, c, s.io.columns));
      out.path.push({ node: id, type: 'step', question: node.text, evidence });
      if (!replaying) s.journal.append({ type: 'node', node: id, nodeType: 'step', text: node.text });
      current = node.next;
      continue;
    }

    if (node.type === 'outcome') {
      s.io.stderr.write(renderOutcomeHeader(id, node, c, s.io.columns));
      out.path.push({ node: id, type: 'outcome', question: node.title, evidence });
      out.outcomes.push(id);
      out.outcome = id;
      out.diagnosedAt ??= s.io.now();
      if (!replaying) s.journal.append({ type: 'node', node: id, nodeType: 'outcome', text: node.title });
      await offerSteps(s, id, node, out);
      current = node.next;
      continue;
    }

    const suggestion = suggest(node, s.evidence);
    const replayed = take(replay[id]);
    let choice: { label: string; by: By; fromCase?: boolean } | WalkStop;
    if (replayed !== undefined) {
      choice = { label: replayed, by: suggestion.by !== 'human' && suggestion.branch.label !== replayed ? 'override' : suggestion.by === 'human' ? 'human' : 'evidence' };
      s.io.stderr.write(c.dim(`\n? ${node.question} → "${replayed}" (recorded before the interruption)\n`));
    } else {
      replaying = false;
      s.io.stderr.write(renderDecisionCard(rb, id, node, s.evidence, suggestion, c, s.io.columns));
      choice = await decide(s, id, node, suggestion, visit);
    }
    if ('reason' in choice) {
      out.stop = choice;
      out.path.push({ node: id, type: 'decision', question: node.question, evidence, reason: suggestion.reason });
      break;
    }
    const suggested = suggestion.by === 'human' ? undefined : suggestion.branch.label;
    const entry: PathEntry = { node: id, type: 'decision', question: node.question, evidence, answer: choice.label, by: choice.by, reason: suggestion.reason };
    if (choice.by === 'override') entry.suggested = suggested;
    out.path.push(entry);
    if (replayed === undefined) {
      s.journal.append({
        type: 'node',
        node: id,
        nodeType: 'decision',
        text: node.question,
        answer: choice.label,
        by: choice.by,
        suggested: entry.suggested,
        reason: suggestion.reason,
        ...(choice.fromCase && { answeredBy: 'drill case' as const }),
      });
      if (choice.by === 'override') s.io.stderr.write(c.yellow(`  overruled: "${choice.label}" instead of "${suggested}" (journaled)\n`));
    }
    current = branchTarget(rb, id, choice.label);
  }
  return out;
}

