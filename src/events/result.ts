// The fixes of a walk as the --json result lists them: a subscriber that follows each offered
// step through the runner's events to its last status.
import { isStepEvent, statusOf, type RecoveryResult, type StepStatus, type WalkEvent } from './events.js';

export interface StepEntry {
  step?: number;
  node: string;
  tier: string;
  text: string;
  action?: string;
  params?: Record<string, unknown>;
  /** A manual step stays 'manual': the engineer does it, the journal only says it was offered. */
  status: StepStatus | 'manual';
  /** The recovery watch after this fix, when it was applied and watched. */
  recovery?: RecoveryResult;
}

export class StepCollector {
  readonly steps: StepEntry[] = [];
  /** Every recovery watch, in order; the last is the walk's `recovery`. */
  readonly recoveries: RecoveryResult[] = [];
  /** When the first outcome was reached (ms since epoch): time to diagnosis. */
  diagnosedAt?: number;
  private readonly byKey = new Map<string, StepEntry>();

  constructor(private readonly now: () => number) {}

  readonly handle = (e: WalkEvent): void => {
    if (e.type === 'node.entered' && e.nodeType === 'outcome') this.diagnosedAt ??= this.now();
    if (e.type === 'outcome.step') {
      const entry: StepEntry = { node: e.node, tier: e.tier, text: e.text, status: e.done ?? 'manual' };
      if (e.action) Object.assign(entry, { action: e.action, params: e.params });
      this.steps.push(entry);
      this.byKey.set(e.key, entry);
      return;
    }
    if (e.type === 'recovery.ended') {
      const r: RecoveryResult = { ...e.result };
      this.recoveries.push(r);
      const entry = this.steps.find((s) => s.step === r.step);
      if (entry) entry.recovery = r;
      return;
    }
    if (e.type === 'recovery.undone') {
      const r = this.recoveries.find((x) => x.step === e.step);
      if (r) r.undone = { step: e.undoStep, status: e.status };
      return;
    }
    if (!isStepEvent(e) || !e.node) return;
    const entry = this.byKey.get(e.node);
    if (!entry) return;
    entry.step ??= e.step;
    if (entry.action) entry.status = statusOf(e);
  };
}
