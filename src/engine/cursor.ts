// The one walk, as a pure cursor: `start(runbook, evidence, answers)` stands on the root;
// `next()` moves it. At a step or an outcome, `next()` passes on; at a decision, `next(choice)`
// takes the branch chosen (by the evidence, a human, or a human overruling the evidence) or
// stops there for a human. No I/O, no prompts, no clock: auto, interactive, resume, lint and
// drill scoring all drive this same cursor, so they cannot disagree on where a walk goes.
import type { Evidence, EvidenceMap } from '../core/evidence.js';
import type { DecisionNode, Node, OutcomeNode, Runbook, StepNode } from '../runbook/schema.js';
import { suggest, type Suggestion } from './decide.js';
import { probesOfNode } from '../runbook/rules.js';

export type By = 'evidence' | 'human' | 'override';

/** Answers to human questions by node id; a list gives one answer per visit (procedures that loop). */
export type Answers = Record<string, string | string[]>;

export interface PathEntry {
  node: string;
  type: Node['type'];
  /** The question, step text or outcome title. */
  question: string;
  /** The evidence of the probes this node reads. */
  evidence: Record<string, Evidence>;
  /** For decisions: the branch taken and who chose it. */
  answer?: string;
  by?: By;
  /** What the evidence picked, when the human overruled it. */
  suggested?: string;
  reason?: string;
}

export type StopReason = 'needs-human' | 'bad-answer' | 'too-long';

export interface WalkStop {
  node: string;
  reason: StopReason;
  message: string;
  /** The branches a human may pick (needs-human, bad-answer). */
  choices: string[];
}

export interface WalkResult {
  path: PathEntry[];
  /** Every outcome reached, in order. */
  outcomes: string[];
  /** The last outcome reached: the walk's diagnosis. */
  outcome?: string;
  /** Where and why the walk stopped short of its end. */
  stop?: WalkStop;
}

export type Position =
  | { type: 'step'; node: string; step: StepNode; visit: number }
  | { type: 'outcome'; node: string; outcome: OutcomeNode; visit: number }
  | {
      type: 'decision';
      node: string;
      decision: DecisionNode;
      visit: number;
      suggestion: Suggestion;
      /** The answer given for this visit (--answer, a drill case), if any. */
      answer?: string;
    }
  | { type: 'end' }
  | { type: 'stop'; stop: WalkStop };

/** How a decision is left: a branch chosen, or a stop for a human. */
export type Choice = { label: string; by: By } | { needsHuman: string };

/** The node a decision's branch label leads to, or undefined for an unknown label. */
function branchTarget(runbook: Runbook, nodeId: string, label: string): string | undefined {
  const node = runbook.nodes[nodeId];
  return node?.type === 'decision' ? node.branches.find((b) => b.label === label)?.to : undefined;
}

/** The answer for this visit: a single answer stands for every visit, a list gives one each (the last repeats). */
export function answerFor(answers: Answers, node: string, visit: number): string | undefined {
  const a = answers[node];
  return a === undefined ? undefined : typeof a === 'string' ? a : a[Math.min(visit, a.length - 1)];
}

function textOf(node: Node): string {
  return node.type === 'decision' ? node.question : node.type === 'outcome' ? node.title : node.text;
}

export class Cursor {
  private readonly visits = new Map<string, number>();
  private readonly path: PathEntry[] = [];
  private readonly outcomes: string[] = [];
  private current: string | undefined;
  private stopped?: WalkStop;
  /** Four passes over every node: a loop the answers never leave. */
  private readonly limit: number;
  position!: Position;

  constructor(
    readonly runbook: Runbook,
    readonly evidence: EvidenceMap,
    private readonly answers: Answers = {},
    start?: string,
  ) {
    this.limit = Object.keys(runbook.nodes).length * 4;
    this.current = start ?? runbook.root;
    this.enter();
  }

  /** The evidence of the probes a node reads, for the path and the cards. */
  evidenceOf(node: Node): Record<string, Evidence> {
    return Object.fromEntries(probesOfNode(node).flatMap(({ probe }) => (this.evidence[probe] ? [[probe, this.evidence[probe]]] : [])));
  }

  private enter(): void {
    if (this.stopped) return void (this.position = { type: 'stop', stop: this.stopped });
    const id = this.current;
    if (id === undefined) return void (this.position = { type: 'end' });
    if (this.path.length >= this.limit) {
      this.stopped = { node: id, reason: 'too-long', message: `the walk passed ${this.limit} nodes without ending: a loop the answers never leave`, choices: [] };
      return void (this.position = { type: 'stop', stop: this.stopped });
    }
    const node = this.runbook.nodes[id]!;
    const visit = this.visits.get(id) ?? 0;
    this.visits.set(id, visit + 1);
    if (node.type === 'step') this.position = { type: 'step', node: id, step: node, visit };
    else if (node.type === 'outcome') this.position = { type: 'outcome', node: id, outcome: node, visit };
    else this.position = { type: 'decision', node: id, decision: node, visit, suggestion: suggest(node, this.evidence), answer: answerFor(this.answers, id, visit) };
  }

  private entry(id: string, node: Node): PathEntry {
    return { node: id, type: node.type, question: textOf(node), evidence: this.evidenceOf(node) };
  }

  /** Move on: past a step or outcome with no choice; from a decision, by the choice made there. */
  next(choice?: Choice): this {
    const at = this.position;
    if (at.type === 'end' || at.type === 'stop') return this;
    const node = this.runbook.nodes[at.node]!;
    if (at.type === 'step' || at.type === 'outcome') {
      this.path.push(this.entry(at.node, node));
      if (at.type === 'outcome') this.outcomes.push(at.node);
      this.current = at.type === 'step' ? at.step.next : at.outcome.next;
      this.enter();
      return this;
    }
    const { suggestion, decision } = at;
    const choices = decision.branches.map((b) => b.label);
    if (!choice || 'needsHuman' in choice) {
      this.path.push({ ...this.entry(at.node, node), reason: suggestion.reason });
      const message = choice?.needsHuman ?? `"${decision.question}" needs an answer: one of ${choices.map((c) => `"${c}"`).join(', ')}`;
      this.stopped = { node: at.node, reason: 'needs-human', message, choices };
      this.enter();
      return this;
    }
    const target = branchTarget(this.runbook, at.node, choice.label);
    if (target === undefined) {
      this.stopped = { node: at.node, reason: 'bad-answer', message: `"${choice.label}" is not a branch of ${at.node}: one of ${choices.map((c) => `"${c}"`).join(', ')}`, choices };
      this.enter();
      return this;
    }
    const e: PathEntry = { ...this.entry(at.node, node), answer: choice.label, by: choice.by, reason: suggestion.reason };
    if (choice.by === 'override' && suggestion.by !== 'human') e.suggested = suggestion.branch.label;
    this.path.push(e);
    this.current = target;
    this.enter();
    return this;
  }

  /** The last path entry: the node just passed or decided. */
  lastEntry(): PathEntry | undefined {
    return this.path[this.path.length - 1];
  }

  result(): WalkResult {
    const r: WalkResult = { path: [...this.path], outcomes: [...this.outcomes] };
    if (this.outcomes.length) r.outcome = this.outcomes[this.outcomes.length - 1];
    if (this.stopped) r.stop = this.stopped;
    return r;
  }
}

export function start(runbook: Runbook, evidence: EvidenceMap, answers: Answers = {}, options: { start?: string } = {}): Cursor {
  return new Cursor(runbook, evidence, answers, options.start);
}

/**
 * The walk without a human: the evidence decides where it can, `answers` answer what only a
 * human can; the first question nobody answered stops it. Lint (every drill case must reach
 * its outcome), drill scoring and the live e2e tests use it.
 */
export function walk(runbook: Runbook, evidence: EvidenceMap, answers: Answers = {}, options: { start?: string } = {}): WalkResult {
  const c = start(runbook, evidence, answers, options);
  for (let at = c.position; at.type !== 'end' && at.type !== 'stop'; at = c.position) {
    if (at.type !== 'decision') c.next();
    else if (at.suggestion.by !== 'human') c.next({ label: at.suggestion.branch.label, by: 'evidence' });
    else if (at.answer !== undefined) c.next({ label: at.answer, by: 'human' });
    else c.next();
  }
  return c.result();
}
