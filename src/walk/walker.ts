// The walk as the engineer lives it, driving the engine's one cursor: at each node an event
// (the terminal shows it as a card), the evidence's pick confirmed with Enter or overruled,
// human questions asked as choices, and at each diagnosis the fix offered step by step through
// the action runner. Asks only through the Prompter port; shows and records nothing itself.
import type { EvidenceMap } from '../core/evidence.js';
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { answerFor, start, type Answers, type By, type Position, type WalkResult } from '../engine/cursor.js';
import type { Events, NodeDecided, RecoveryResult, StepStatus } from '../events/events.js';
import type { StepEntry } from '../events/result.js';
import type { ActionStep, OutcomeNode, Runbook } from '../runbook/schema.js';

/** A walk's result with the fixes offered along it: what --json prints and the drill score reads. */
export interface WalkOutput extends WalkResult {
  steps: StepEntry[];
  /** Each applied fix's recovery watch, in order. */
  recoveries?: RecoveryResult[];
  /** io.now() when the first outcome was reached. */
  diagnosedAt?: number;
}

/** Runs one action step (plan → show → confirm → apply → record); the action runner. */
export type StepRunner = (step: ActionStep, node: string) => Promise<StepStatus>;

export interface Replay {
  /** The decisions already recorded, by node, in visit order: replayed without asking. */
  decisions: Record<string, string[]>;
  /** The steps already done, by key: not offered again. */
  doneSteps: Map<string, StepStatus>;
}

export interface WalkSession {
  runbook: Runbook;
  evidence: EvidenceMap;
  events: Events;
  io: Pick<Io, 'prompter'>;
  /** Never prompt: follow the evidence, take --answer for human questions, stop otherwise. */
  auto: boolean;
  /** --answer node=choice. */
  answers: Answers;
  /** A drill case's answers, standing in for the human in --auto (only where the evidence cannot decide). */
  caseAnswers?: Answers;
  /** A drill case's observations: what the engineer would see at the questions only a human answers. */
  observations?: Record<string, string>;
  runStep: StepRunner;
  /** An action's parameters as they may be shown and printed: its secrets masked (the runner's redactedParams). */
  shown(action: string, params: Record<string, unknown>): Record<string, unknown>;
  replay?: Replay;
  /** Where to start (default: the root). */
  start?: string;
  /** The next step number in this incident's journal. */
  nextStep(): number;
}

type Decision = Extract<Position, { type: 'decision' }>;
type Chosen = { label: string; by: By; via?: NodeDecided['answeredBy'] } | { needsHuman: string };

async function decide(s: WalkSession, at: Decision): Promise<Chosen> {
  const { node: id, decision: node, suggestion, visit } = at;
  const labels = node.branches.map((b) => b.label);
  const given = at.answer;
  if (given !== undefined) {
    if (!labels.includes(given)) throw new UsageError(`--answer ${id}="${given}" is not a branch of "${node.question}"`, `choose one of: ${labels.map((l) => `"${l}"`).join(', ')}`);
    return { label: given, by: suggestion.by === 'human' ? 'human' : given === suggestion.branch.label ? 'evidence' : 'override', via: '--answer' };
  }
  const fromCase = s.auto && suggestion.by === 'human' && s.caseAnswers ? answerFor(s.caseAnswers, id, visit) : undefined;
  if (fromCase !== undefined) return { label: fromCase, by: 'human', via: 'drill case' };
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
  if (s.auto) return { needsHuman: `"${node.question}" [${id}] needs a human answer: ${suggestion.reason}` };
  const label = await s.io.prompter.choose({ id, message: node.question, choices: node.branches.map((b) => ({ value: b.label, name: b.label })) });
  return { label, by: 'human' };
}

async function offerSteps(s: WalkSession, id: string, node: OutcomeNode): Promise<void> {
  for (const [t, tier] of node.resolution.entries()) {
    s.events.emit({ type: 'outcome.tier', node: id, tier: tier.tier, timeframe: tier.timeframe });
    for (const [i, step] of tier.steps.entries()) {
      const key = `${id}#${t}.${i}`;
      const done = s.replay?.doneSteps.get(key);
      s.events.emit({ type: 'outcome.step', node: id, key, tier: tier.tier, text: step.text, ...(step.action && { action: step.action, params: s.shown(step.action, step.params) }), ...(done && { done }) });
      if (done) continue;
      if (step.action) await s.runStep(step, key);
      else s.events.emit({ type: 'step.offered', step: s.nextStep(), node: key, text: step.text });
    }
  }
  s.events.emit({ type: 'outcome.done', node: id });
}

export async function walkInteractive(s: WalkSession): Promise<WalkResult> {
  const cursor = start(s.runbook, s.evidence, s.answers, { start: s.start });
  // On resume, the nodes up to the first unanswered decision are already in the journal: they
  // are passed quietly instead of being recorded twice.
  let replaying = s.replay !== undefined;
  for (let at = cursor.position; at.type !== 'end' && at.type !== 'stop'; at = cursor.position) {
    if (at.type === 'step') {
      s.events.emit({ type: 'node.entered', node: at.node, nodeType: 'step', text: at.step.text, ...(replaying && { replayed: true }) });
      cursor.next();
      continue;
    }
    if (at.type === 'outcome') {
      s.events.emit({ type: 'node.entered', node: at.node, nodeType: 'outcome', text: at.outcome.title, ...(replaying && { replayed: true }) });
      await offerSteps(s, at.node, at.outcome);
      cursor.next();
      continue;
    }
    const { suggestion } = at;
    const replayed = s.replay?.decisions[at.node]?.[at.visit];
    let chosen: Chosen;
    if (replayed !== undefined) {
      chosen = { label: replayed, by: suggestion.by === 'human' ? 'human' : suggestion.branch.label !== replayed ? 'override' : 'evidence' };
    } else {
      replaying = false;
      const observation = suggestion.by === 'human' ? s.observations?.[at.node] : undefined;
      s.events.emit({ type: 'node.entered', node: at.node, nodeType: 'decision', text: at.decision.question, suggestion, ...(observation && { observation }) });
      chosen = await decide(s, at);
    }
    cursor.next(chosen);
    // Stopped at this very decision (a question for a human, an answer that is not a branch): no decision to record.
    const stop = cursor.position.type === 'stop' ? cursor.position.stop : undefined;
    if ('needsHuman' in chosen || (stop && stop.node === at.node && stop.reason !== 'too-long')) break;
    s.events.emit({ type: 'node.decided', entry: cursor.lastEntry()!, ...(replayed !== undefined && { replayed: true }), ...(chosen.via && { answeredBy: chosen.via }) });
  }
  const result = cursor.result();
  if (result.stop) s.events.emit({ type: 'walk.stopped', stop: result.stop, ...(result.stop.reason === 'needs-human' && { entry: cursor.lastEntry() }) });
  return result;
}
