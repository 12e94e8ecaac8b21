// The incident journal's record types: one JSON object per line, appended as things happen.
import type { Evidence } from '../engine/evidence.js';
import type { By } from '../engine/walk.js';

interface Base {
  /** ISO time the record was written. */
  at: string;
  incident: string;
}

export interface StartRecord extends Base {
  type: 'start';
  mode: 'diagnose' | 'drill' | 'act';
  runbook: string;
  runbookFile: string;
  /** sha256 of the runbook file: resume refuses when it changed. */
  runbookHash: string;
  who: string;
  host: string;
  /** The evidence source: "AWS ap-northeast-1 (profile prod)", "drill case cold-connections". */
  source: string;
  drillCase?: string;
  options: Record<string, unknown>;
}

export interface EvidenceRecord extends Base {
  type: 'evidence';
  evidence: Record<string, Evidence>;
  /** Milliseconds the gathering took. */
  ms: number;
}

export interface NodeRecord extends Base {
  type: 'node';
  node: string;
  nodeType: 'step' | 'decision' | 'outcome';
  text: string;
  /** For decisions: the branch taken and who chose it. */
  answer?: string;
  by?: By;
  /** The branch the evidence picked, when the human overruled it. */
  suggested?: string;
  /** In a drill run with --auto, the case's own answer stood in for the human. */
  answeredBy?: 'drill case';
  reason?: string;
}

export type StepStatus = 'offered' | 'planned' | 'declined' | 'confirmed' | 'applied' | 'verified' | 'failed' | 'skipped';

export interface StepRecord extends Base {
  type: 'step';
  /** Sequence number within the incident, 1-based: `mangaops undo <incident> <step>`. */
  step: number;
  node?: string;
  text: string;
  action?: string;
  params?: Record<string, unknown>;
  status: StepStatus;
  /** What the plan said: changes, calls, equivalent CLI, undo. */
  plan?: unknown;
  /** The before-snapshot, calls made, result. */
  detail?: unknown;
  /** How to undo what was applied: an action and its params. */
  undo?: { action: string; params: Record<string, unknown>; text?: string };
  error?: string;
  /** For failed or partial applies: exactly what was and was not changed. */
  changed?: string[];
  unchanged?: string[];
  ms?: number;
}

export interface EndRecord extends Base {
  type: 'end';
  status: 'resolved' | 'stopped' | 'aborted' | 'needs-human' | 'failed';
  outcome?: string;
  outcomeTitle?: string;
  message?: string;
  /** Drills: the score. */
  score?: unknown;
  ms: number;
}

export interface ResumeRecord extends Base {
  type: 'resume';
  who: string;
  host: string;
}

export type JournalRecord = StartRecord | EvidenceRecord | NodeRecord | StepRecord | EndRecord | ResumeRecord;
/** What a caller writes: the journal stamps `at` and `incident`. */
export type NewRecord = JournalRecord extends infer R ? (R extends JournalRecord ? Omit<R, 'at' | 'incident'> : never) : never;
