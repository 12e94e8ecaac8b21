// After each fix of a walk: its recovery watch, and what follows a watch that did not end well
// — the recorded undo offered through the same runner (at a terminal: its plan, then the
// runner's own "Apply?" default No; without one: the command to run) and the outcome's next fix
// named, which the walk then offers as usual. On worse, where the config's autoApply allows the
// fix, the undo is applied without asking. A drill's world moves with each confirmed fix and
// undo; the runner still stops there after the plan.
import type { Config } from '../core/config.js';
import type { EvidenceMap } from '../core/evidence.js';
import { MangaopsError, NeedsHumanError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { Events, RecoveryResult, RunMode, StepFields, StepStatus, WalkEvent } from '../events/events.js';
import { recoveryOf } from '../runbook/recovery.js';
import type { ActionStep, OutcomeNode, Runbook } from '../runbook/schema.js';
import type { RunOutcome } from '../runner/runner.js';
import { watchRecovery, type Clock } from './recovery.js';

export interface WatchSetup {
  /** One batched read of the given probes: a poll. */
  read(ids: string[]): Promise<EvidenceMap>;
  clock: Clock;
  intervalMs: number;
  simulated: boolean;
  /** A drill's world: a confirmed fix moves its probes, an undo moves them back. */
  world?: { apply(step: number, action: string, params: Record<string, unknown>): unknown; undo(step: number): void };
  /** Why fixes are not watched in this walk (--no-watch, --at), said at the first one. */
  off?: string;
}

export type UndoRecord = NonNullable<StepFields['undo']>;

export interface OfferContext {
  runbook: Runbook;
  events: Events;
  io: Pick<Io, 'prompter' | 'interactive'>;
  /** Never prompt. */
  auto: boolean;
  mode: RunMode;
  config: Config;
  incident: string;
  world?: WatchSetup['world'];
  /** The undo of fix `of` through the same runner, in the walk's mode; `yes` confirms without asking. */
  runUndo(undo: UndoRecord, of: number, yes: boolean): Promise<RunOutcome>;
}

/** The fixes the config lets run without a human at an outcome: by outcome id, or runbook/outcome. */
export function autoApplyFor(config: Config, runbook: string, outcome: string): string[] {
  const rules = config.autoApply ?? {};
  return [...(rules[outcome] ?? []), ...(rules[`${runbook}/${outcome}`] ?? [])];
}

/** The outcome's next fix after the step at `key` (`<outcome>#<tier>.<index>`): the one to try next. */
export function nextFixAfter(node: OutcomeNode | undefined, key: string | undefined): string | undefined {
  if (!node || !key) return undefined;
  const id = key.split('#')[0]!;
  const steps = node.resolution.flatMap((tier, t) => tier.steps.map((step, i) => ({ key: `${id}#${t}.${i}`, step })));
  const at = steps.findIndex((s) => s.key === key);
  return at < 0 ? undefined : steps.slice(at + 1).find((s) => s.step.action)?.step.text;
}

/**
 * A watch has ended: say so with what is offered, then — when it did not recover — the undo:
 * applied at once on worse under autoApply; at a terminal, offered through the runner (a
 * drill's planned undo is confirmed into its world); otherwise left as the command to run.
 */
export async function offerAfterWatch(g: OfferContext, result: RecoveryResult, undo: UndoRecord | undefined, next: string | undefined): Promise<void> {
  const allowed = autoApplyFor(g.config, g.runbook.id, result.outcome).includes(result.action);
  const autoUndo = result.status === 'worse' && undo && allowed ? `config autoApply allows ${result.action} at ${result.outcome}` : undefined;
  const ask = result.status !== 'recovered' && Boolean(undo) && !autoUndo && g.io.interactive && !g.auto;
  g.events.emit({ type: 'recovery.ended', incident: g.incident, result, ...(undo && { undo: { action: undo.action, text: undo.text } }), live: g.mode === 'live', next, ...(autoUndo && { autoUndo }), ...(ask && { ask }) });
  if (result.status === 'recovered' || !undo || !(autoUndo || ask)) return;
  let out: RunOutcome;
  try {
    out = await g.runUndo(undo, result.step, Boolean(autoUndo));
  } catch (e) {
    if (e instanceof NeedsHumanError || !(e instanceof MangaopsError)) throw e;
    g.events.emit({ type: 'step.refused', message: e.message, hint: e.hint });
    return;
  }
  let status: StepStatus = out.status;
  if (g.mode === 'drill' && status === 'planned') {
    const yes = Boolean(autoUndo) || (await g.io.prompter.confirm({ id: `undo:${result.step}`, message: `Undo step ${result.step} in the drill's world? (nothing real is touched)`, defaultValue: false }));
    status = yes ? 'confirmed' : 'declined';
    const text = `undo step ${result.step}: ${undo.text ?? undo.action}`;
    g.events.emit({ type: yes ? 'step.confirmed' : 'step.declined', step: out.step, text, action: undo.action, detail: { drill: yes ? "undone in the drill's world only" : 'not chosen by the engineer', undoOf: result.step } });
    if (yes) g.world?.undo(result.step);
  }
  g.events.emit({ type: 'recovery.undone', step: result.step, undoStep: out.step, status });
}

/** A walk's fixes, each watched once it is applied (or confirmed into a drill's world). */
export class RecoveryGuard {
  /** The fix after which the symptom recovered: later fixes are not watched. */
  private recoveredBy?: number;
  private offSaid = false;
  private readonly undos = new Map<number, UndoRecord>();

  constructor(
    private readonly g: OfferContext,
    private readonly setup: WatchSetup,
  ) {}

  /** A subscriber of the walk's events: each step's recorded undo, as the plan or the apply said it. */
  readonly handle = (e: WalkEvent): void => {
    if ((e.type === 'step.planned' || e.type === 'step.applied' || e.type === 'step.verified') && e.undo) this.undos.set(e.step, e.undo);
  };

  async afterStep(step: ActionStep, key: string, status: StepStatus, stepNo: number): Promise<void> {
    const { g, setup } = this;
    const applied = g.mode === 'drill' ? status === 'confirmed' : status === 'verified' || status === 'applied';
    if (!applied || !step.action) return;
    setup.world?.apply(stepNo, step.action, step.params);
    const skip = (reason: string) => g.events.emit({ type: 'recovery.skipped', step: stepNo, reason });
    if (setup.off) {
      if (!this.offSaid) skip(setup.off);
      this.offSaid = true;
      return;
    }
    if (this.recoveredBy !== undefined) return skip(`the symptom recovered after step ${this.recoveredBy}`);
    const outcome = key.split('#')[0]!;
    const spec = recoveryOf(g.runbook, outcome);
    if (!spec.ok) return skip(spec.why);
    const fix = { step: stepNo, action: step.action, outcome, fixAt: setup.clock.now() };
    let result: RecoveryResult;
    try {
      result = await watchRecovery({ runbook: g.runbook, spec: spec.value, fix, read: setup.read, clock: setup.clock, intervalMs: setup.intervalMs, events: g.events, simulated: setup.simulated });
    } catch (e) {
      // Credentials expiring mid-watch: the fix stands and the walk goes on; the watch can be re-attached.
      if (!(e instanceof MangaopsError)) throw e;
      return skip(`the watch stopped: ${e.message}; once fixed: mangaops watch ${g.incident}`);
    }
    if (result.status === 'recovered') this.recoveredBy = stepNo;
    await offerAfterWatch({ ...g, world: setup.world }, result, this.undos.get(stepNo), nextFixAfter(g.runbook.nodes[outcome] as OutcomeNode, key));
  }
}
