// The walk as a pure function: runbook + evidence + answers → the path and the outcome.
// Used by --auto, drills, lint (every drill case must reach its outcome) and resume. The
// interactive command walks the same nodes with the same `suggest`, asking the human.
import type { Node, Runbook } from '../runbook/schema.js';
import type { EvidenceMap } from './evidence.js';
import { suggest } from './decide.js';

export type By = 'evidence' | 'human' | 'override';

export interface Visit {
  node: string;
  type: Node['type'];
  /** The branch taken, for decisions. */
  answer?: string;
  by?: By;
  reason?: string;
}

export type Answers = Record<string, string | string[]>;

export interface WalkResult {
  path: Visit[];
  /** The last outcome reached: the walk's diagnosis. */
  outcome?: string;
  /** Where and why the walk stopped short of an end. */
  stop?: { node: string; reason: 'needs-human' | 'bad-answer' | 'too-long'; message: string };
}

/** The node a decision's branch label leads to, or undefined for an unknown label. */
export function branchTarget(runbook: Runbook, nodeId: string, label: string): string | undefined {
  const node = runbook.nodes[nodeId];
  return node?.type === 'decision' ? node.branches.find((b) => b.label === label)?.to : undefined;
}

function answerFor(answers: Answers, nodeId: string, visit: number): string | undefined {
  const a = answers[nodeId];
  if (a === undefined) return undefined;
  return typeof a === 'string' ? a : a[Math.min(visit, a.length - 1)];
}

/**
 * Walk from `start` (default: the root). Evidence decides where it can; `answers` answer
 * what only a human can; `overrides` replace what the evidence picked (the journal's
 * record of an engineer overruling the card).
 */
export function walk(
  runbook: Runbook,
  evidence: EvidenceMap,
  answers: Answers = {},
  options: { overrides?: Answers; start?: string } = {},
): WalkResult {
  const path: Visit[] = [];
  const visits = new Map<string, number>();
  const limit = Object.keys(runbook.nodes).length * 4;
  let outcome: string | undefined;
  let current: string | undefined = options.start ?? runbook.root;

  while (current !== undefined) {
    if (path.length >= limit) {
      return { path, outcome, stop: { node: current, reason: 'too-long', message: `the walk passed ${limit} nodes: a loop the answers never leave` } };
    }
    const node: Node = runbook.nodes[current]!;
    const visit = visits.get(current) ?? 0;
    visits.set(current, visit + 1);

    if (node.type !== 'decision') {
      path.push({ node: current, type: node.type });
      if (node.type === 'outcome') outcome = current;
      current = node.next;
      continue;
    }

    const s = suggest(node, evidence);
    const override = options.overrides && answerFor(options.overrides, current, visit);
    let label: string | undefined;
    let by: By;
    let reason = s.reason;
    if (override && (s.by === 'human' || override !== s.branch.label)) {
      [label, by, reason] = [override, s.by === 'human' ? 'human' : 'override', s.by === 'human' ? s.reason : `overruled: ${s.reason}`];
    } else if (s.by !== 'human') {
      [label, by] = [s.branch.label, 'evidence'];
    } else {
      label = answerFor(answers, current, visit);
      by = 'human';
      if (label === undefined) {
        const choices = node.branches.map((b) => `"${b.label}"`).join(', ');
        path.push({ node: current, type: 'decision', reason: s.reason });
        return { path, outcome, stop: { node: current, reason: 'needs-human', message: `"${node.question}" needs an answer: one of ${choices}` } };
      }
    }
    const target = branchTarget(runbook, current, label);
    if (target === undefined) {
      const choices = node.branches.map((b) => `"${b.label}"`).join(', ');
      return { path, outcome, stop: { node: current, reason: 'bad-answer', message: `"${label}" is not a branch of ${current}: one of ${choices}` } };
    }
    path.push({ node: current, type: 'decision', answer: label, by, reason });
    current = target;
  }
  return { path, outcome };
}
