// The typed event stream: what the walk and the runner say happened, in order, and nothing
// about how it is shown or kept. Subscribers turn it into the journal (journal/writer.ts), the
// terminal (ui/renderer.ts), the --json result (events/result.ts) — and, later, the team store
// and the chat notifier — so the core never writes a record and a screen line side by side.
import type { Plan, UndoSpec } from '../capabilities/action.js';
import type { EvidenceMap } from '../core/evidence.js';
import type { Suggestion } from '../engine/decide.js';
import type { PathEntry, WalkStop } from '../engine/cursor.js';
import type { Condition } from '../runbook/schema.js';

export type Mode = 'diagnose' | 'drill' | 'act';
export type RunMode = 'live' | 'dry-run' | 'drill';
export type StepStatus = 'offered' | 'planned' | 'declined' | 'confirmed' | 'applied' | 'verified' | 'failed' | 'skipped';
export type EndStatus = 'resolved' | 'stopped' | 'aborted' | 'needs-human' | 'failed';

/** Who acts, as the journal names them. */
export interface Who {
  who: string;
  host: string;
}

export interface IncidentStarted extends Who {
  type: 'incident.started';
  incident: string;
  mode: Mode;
  runbook: string;
  runbookFile: string;
  /** sha256 of the runbook file: resume refuses when it changed. */
  runbookHash: string;
  /** The evidence source: "AWS ap-northeast-1 (profile prod)", "drill case cold-connections". */
  source: string;
  drillCase?: string;
  options: Record<string, unknown>;
}

export interface IncidentResumed extends Who {
  type: 'incident.resumed';
  incident: string;
  /** The evidence as recorded when the incident started. */
  evidence: EvidenceMap;
  at: string;
  /** Taken over from a live driver with --take: the reason given, and who drove. */
  take?: { reason: string; from: string };
}

export interface IncidentEnded {
  type: 'incident.ended';
  status: EndStatus;
  outcome?: string;
  outcomeTitle?: string;
  message?: string;
  ms: number;
  /** Drills: the score. */
  score?: unknown;
}

/** Ctrl-C outside a prompt, or at one: the journal has ended; the screen says how to go on. */
export interface IncidentInterrupted {
  type: 'incident.interrupted';
  incident: string;
}

export interface EvidenceStarted {
  type: 'evidence.started';
  source: string;
  ids: string[];
}

export interface EvidenceSettled {
  type: 'evidence.settled';
  id: string;
  /** The probes still out. */
  pending: string[];
  total: number;
}

export interface EvidenceGathered {
  type: 'evidence.gathered';
  evidence: EvidenceMap;
  ms: number;
}

/** The walk stands on a node: a step, a decision (with what the evidence picks) or an outcome. */
export interface NodeEntered {
  type: 'node.entered';
  node: string;
  nodeType: 'step' | 'decision' | 'outcome';
  /** The step text, question or outcome title. */
  text: string;
  suggestion?: Suggestion;
  /** In a drill, what the engineer would observe at a question only a human answers. */
  observation?: string;
  /** On resume: a node passed before the interruption, shown quietly, not journaled again. */
  replayed?: boolean;
}

/** A decision taken: by the evidence, a human, a human overruling the evidence, or the record of one before an interruption. */
export interface NodeDecided {
  type: 'node.decided';
  entry: PathEntry;
  replayed?: boolean;
  /** Who answered when no one was asked: the drill case's own answer (--auto), or --answer. */
  answeredBy?: 'drill case' | '--answer';
}

/** A decision left for a human (needs-human) or a walk that went round too long. */
export interface WalkStopped {
  type: 'walk.stopped';
  stop: WalkStop;
  entry?: PathEntry;
}

/** At an outcome: a resolution tier's heading, then each of its steps. */
export interface OutcomeTier {
  type: 'outcome.tier';
  node: string;
  tier: string;
  timeframe?: string;
}

export interface OutcomeStep {
  type: 'outcome.step';
  node: string;
  /** The step's key in the journal: `<outcome>#<tier>.<index>`. */
  key: string;
  tier: string;
  text: string;
  action?: string;
  params?: Record<string, unknown>;
  /** Its status before an interruption, when it is not offered again. */
  done?: StepStatus;
}

export interface OutcomeDone {
  type: 'outcome.done';
  node: string;
}

/** What the journal records of a step: the same fields at every stage. */
export interface StepFields {
  step: number;
  node?: string;
  text: string;
  action?: string;
  params?: Record<string, unknown>;
  /** What the plan said (changes, calls, equivalent CLI, undo), as the engineer saw it. */
  plan?: unknown;
  /** The before-snapshot, the calls made, the result, what verify observed. */
  detail?: unknown;
  undo?: { action: string; params: Record<string, unknown>; text?: string };
  error?: string;
  /** For failed or partial applies: exactly what was and was not changed. */
  changed?: string[];
  unchanged?: string[];
  ms?: number;
}

export type StepEvent = StepFields &
  (
    | { type: 'step.offered' | 'step.declined' | 'step.confirmed' | 'step.skipped' }
    /** The plan, whole, for the screen; `live` says whether an undo hint with the step number applies. */
    | { type: 'step.planned'; shown: Plan; force: boolean; live: boolean; incident: string }
    | { type: 'step.applied' }
    | { type: 'step.verified' }
    /** `phase` says where it failed, for the screen. */
    | { type: 'step.failed'; phase: 'params' | 'plan' | 'apply' | 'interrupted' | 'verify' }
  );

/** Dry-run and drills stop after the plan. */
export interface StepHeld {
  type: 'step.held';
  step: number;
  mode: 'dry-run' | 'drill';
}

export interface StepProgress {
  type: 'step.progress';
  step: number;
  message: string;
  /** Since the step started: the screen decides how often a non-terminal run needs a line. */
  elapsedMs: number;
}

export interface StepVerifying {
  type: 'step.verifying';
  step: number;
  deadlineMs: number;
}

/** A fix the runner could not run at all (a refusal it raised), said and passed over. */
export interface StepRefused {
  type: 'step.refused';
  message: string;
  hint?: string;
}

/** Who holds a lease someone else wants (src/team/). */
export interface LeaseHolder {
  holder: string;
  incident: string;
  step: number;
  action: string;
  since: string;
  until: string;
}

/**
 * A lease on the resource a step changes (src/team/), so two engineers never change it at
 * once: taken before apply, released after verify; waited for, refused, lost (no heartbeat
 * got through in time), or skipped with --no-lock when the team table cannot be reached.
 */
export interface LeaseEvent {
  type: 'lease';
  status: 'taken' | 'waiting' | 'refused' | 'released' | 'lost' | 'unlocked';
  step: number;
  action: string;
  /** The lease key (`ecs:<cluster>/<service>`) and what a human calls it (orchestrator). */
  resource: string;
  name: string;
  /** The engineer of this walk. */
  by: string;
  /** Taken: held until then unless renewed. */
  until?: string;
  /** Waiting, refused: who holds it. */
  heldBy?: LeaseHolder;
  message?: string;
}

/** One engineer's approval of a step (the two-person rule, src/team/). */
export interface Approval {
  by: string;
  at: string;
  /** The step number the approval was given for (the plan as it was then). */
  step: number;
  note?: string;
}

/** A step that needs approvals: asked for (the walk stops, exit 3), or granted (it goes on). */
export interface ApprovalEvent {
  type: 'approval';
  status: 'requested' | 'granted';
  step: number;
  action: string;
  /** How many approvals from others the config asks for. */
  needed: number;
  /** Who planned the step (requested) or applies it (granted). */
  by: string;
  approvals: Approval[];
  message?: string;
}

// ── the recovery watch: did the fix work? ─────────────────────────────────────────

/** One probe the watch reads, its healthy side, and what it has read since the fix. */
export interface RecoveryReading {
  probe: string;
  label: string;
  unit?: string;
  op: Condition['op'];
  /** The threshold of the healthy side. */
  value: Condition['value'];
  /** At the fix: the first poll's value (or the journal's, when re-attached). */
  atFix?: Condition['value'];
  /** At the last poll; absent when that poll had no data. */
  last?: Condition['value'];
  /** Why the last poll had no value. */
  reason?: string;
  /** Numeric values read since the fix, oldest first (the sparkline). */
  values: number[];
  healthy: boolean;
}

export type RecoveryStatus = 'recovered' | 'not-recovered' | 'worse';

/** How a watch ended: what the journal and --json carry as `recovery`. */
export interface RecoveryResult {
  status: RecoveryStatus;
  /** Seconds after the fix: when the probes came back (recovered), were found worse, or the window ran out. */
  after: number;
  /** The fix watched: its step, action, and the outcome it belongs to. */
  step: number;
  action: string;
  outcome: string;
  /** The window, in seconds. */
  within: number;
  polls: number;
  /** A drill's world on a simulated clock. */
  simulated: boolean;
  probes: RecoveryReading[];
  /** When the fix was applied, on the watch's clock (ms since epoch; simulated in drills). */
  fixAt: number;
  /** The recorded undo, applied after a worse or failed watch. */
  undone?: { step: number; status: StepStatus };
}

/** The watch's first poll: what it watches, from which values, for how long. */
export interface RecoveryStarted {
  type: 'recovery.started';
  step: number;
  action: string;
  outcome: string;
  fixAt: number;
  withinMs: number;
  intervalMs: number;
  simulated: boolean;
  /** The conditions are the outcome's own, or the alarm's probe back on its healthy side. */
  from: 'outcome' | 'alarm';
  probes: RecoveryReading[];
}

export interface RecoveryPoll {
  type: 'recovery.poll';
  step: number;
  action: string;
  /** Since the fix. */
  elapsedMs: number;
  probes: RecoveryReading[];
  healthy: boolean;
}

export interface RecoveryEnded {
  type: 'recovery.ended';
  incident: string;
  result: RecoveryResult;
  /** What is offered when it did not recover: the recorded undo and the outcome's next fix. */
  undo?: { action: string; text?: string };
  /** `mangaops undo` applies to a live fix; a drill's undo lives in its world. */
  live: boolean;
  next?: string;
  /** Worse, and the config's autoApply allowed this fix: the undo is applied now. */
  autoUndo?: string;
  /** The undo is offered now, at the terminal (its plan and confirmation follow). */
  ask?: boolean;
}

export interface RecoveryUndone {
  type: 'recovery.undone';
  step: number;
  undoStep: number;
  status: StepStatus;
}

/** A fix that is not watched, and why (--no-watch, --at, no recovery condition, already recovered). */
export interface RecoverySkipped {
  type: 'recovery.skipped';
  step: number;
  reason: string;
}

export type WalkEvent =
  | IncidentStarted
  | IncidentResumed
  | IncidentEnded
  | IncidentInterrupted
  | EvidenceStarted
  | EvidenceSettled
  | EvidenceGathered
  | NodeEntered
  | NodeDecided
  | WalkStopped
  | OutcomeTier
  | OutcomeStep
  | OutcomeDone
  | StepEvent
  | StepHeld
  | StepProgress
  | StepVerifying
  | StepRefused
  | LeaseEvent
  | ApprovalEvent
  | RecoveryStarted
  | RecoveryPoll
  | RecoveryEnded
  | RecoveryUndone
  | RecoverySkipped;

export type Subscriber = (event: WalkEvent) => void;

/**
 * Fans each event out to the subscribers, in order, synchronously: the journal's record is on
 * disk before the next line of the walk runs. A subscriber that throws (a full disk) stops the
 * walk there, as a failed write should.
 */
export class Events {
  private readonly subscribers: Subscriber[] = [];

  constructor(...subscribers: Subscriber[]) {
    this.subscribers.push(...subscribers);
  }

  subscribe(subscriber: Subscriber): void {
    this.subscribers.push(subscriber);
  }

  emit(event: WalkEvent): void {
    for (const s of this.subscribers) s(event);
  }
}

/**
 * Events whose subscribers come later: what is emitted before `attach` is held and handed to
 * them, in order, when they come. For a command that starts its reads before the code that
 * shows them has loaded (diagnose sends CloudWatch its batch first).
 */
export function heldEvents(): { events: Events; attach(...subscribers: Subscriber[]): void } {
  const held: WalkEvent[] = [];
  let targets: Subscriber[] | undefined;
  const events = new Events((e) => (targets ? targets.forEach((s) => s(e)) : held.push(e)));
  return {
    events,
    attach(...subscribers) {
      targets = subscribers;
      for (const e of held.splice(0)) subscribers.forEach((s) => s(e));
    },
  };
}

const STEP_TYPES = new Set<string>(['step.offered', 'step.planned', 'step.declined', 'step.confirmed', 'step.applied', 'step.verified', 'step.failed', 'step.skipped']);

/** One of the step events the journal records (not progress, not held). */
export function isStepEvent(e: WalkEvent): e is StepEvent {
  return STEP_TYPES.has(e.type);
}

/** A step's status from its event: step.applied → applied. */
export function statusOf(e: StepEvent): StepStatus {
  return e.type.slice('step.'.length) as StepStatus;
}

/** A step's undo as the journal keeps it. */
export function undoRecord(u: UndoSpec | undefined): StepFields['undo'] {
  return u && { action: u.action, params: u.params, text: u.text };
}
