// The apply stage: the one place a mutating call is made, under its deadline, and the one place
// that decides what the journal says when it fails or is interrupted.
//   refused (the service said no)           → "failed", exactly what did and did not change
//   no trustworthy answer (timeout, reset,  → re-read with the plan's own read: applied (the
//   5xx, a retried write)                     undo kept, verify goes on), not applied, partly,
//                                             or unknown — with the read a human should make
//   interrupted (Ctrl-C, SIGTERM, SIGHUP)   → stop starting work, give what is in flight
//                                             GRACE_MS to answer, journal where it stood
import type { ActionContext, ApplyResult, Plan, Standing, UndoSpec } from '../capabilities/action.js';
import { PartialApplyError } from '../capabilities/action.js';
import type { AnyAction } from '../capabilities/actions.js';
import { failureReason } from '../capabilities/reasons.js';
import { DeadlineExceeded } from '../core/deadline.js';
import { interruptedBy, type Io } from '../core/io.js';
import type { StepFields } from '../events/events.js';

export type FailFields = Omit<Partial<StepFields>, 'undo'> & { undo?: UndoSpec };
import { classifyApplyFailure } from './failures.js';

/** How long an interruption waits for the call in flight to answer before it journals what it knows. */
export const GRACE_MS = 2000;

export interface LostReply {
  /** What happened to the answer: "no answer from DynamoDB TransactWriteItems within 30s". */
  reason: string;
  /** What the re-read found; unknown when it could not tell. */
  state: 'applied' | 'not applied' | 'partly applied' | 'unknown';
  observed?: string;
  /** The read a human should make when the state is unknown. */
  check?: string;
}

export interface ApplyTools {
  action: AnyAction;
  plan: Plan<Record<string, unknown>>;
  actx: ActionContext;
  io: Pick<Io, 'onInterrupt'>;
  /** The re-read's deadline (the plan's). */
  rereadMs: number;
  applyMs: number;
  graceMs: number;
  stage<T>(name: string, ms: number, work: () => Promise<T>): Promise<T>;
  /** The step's failed record, in the interrupted phase. */
  fail(phase: 'interrupted', fields: FailFields): void;
  /** Own words for an error (ours speak for themselves, a service's is what happened). */
  message(e: unknown): string;
}

export type Failed = { kind: 'failed'; error: string; changed: string[]; unchanged: string[]; undo?: UndoSpec; lostReply?: LostReply };
export type ApplyStage = { kind: 'applied'; applied: ApplyResult; lostReply?: LostReply } | Failed;

/** How `work` settled, or undefined when it has not within `ms` (Infinity: wait for it). */
function settleWithin<T>(work: Promise<T>, ms: number): Promise<PromiseSettledResult<T> | undefined> {
  const settled = work.then(
    (value): PromiseSettledResult<T> => ({ status: 'fulfilled', value }),
    (reason: unknown): PromiseSettledResult<T> => ({ status: 'rejected', reason }),
  );
  if (ms === Infinity) return settled;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([settled, late]).finally(() => clearTimeout(timer));
}

/** Where apply stood when interrupted: from its answer if it came in time, else from what it said last. */
function standingAt(t: ApplyTools, settled: PromiseSettledResult<ApplyResult> | undefined, live: { standing?: () => Standing; lastProgress: string }): Standing {
  const left = `whatever ${t.action.name} had not reached yet; plan it again to see what is left`;
  if (settled?.status === 'fulfilled') return { changed: settled.value.changed, unchanged: ['not verified: interrupted before verify'] };
  if (settled?.status === 'rejected') {
    const e = settled.reason;
    if (classifyApplyFailure(e) === 'rejected') return e instanceof PartialApplyError ? { changed: e.changed, unchanged: e.unchanged } : { changed: [], unchanged: t.plan.changes.map((c) => c.what) };
    const sent = e instanceof PartialApplyError ? e.changed : [];
    return { changed: [...sent, `possibly: the last call had no answer (${failureReason(e instanceof PartialApplyError && e.cause !== undefined ? e.cause : e)})`], unchanged: [left] };
  }
  if (live.standing) return live.standing();
  return { changed: [live.lastProgress ? `in part: ${live.lastProgress}` : 'possibly in part: interrupted before any progress was reported'], unchanged: [left] };
}

async function afterLostReply(t: ApplyTools, failure: unknown, why?: string): Promise<ApplyStage> {
  const { action, plan, actx } = t;
  const partial = failure instanceof PartialApplyError ? failure : undefined;
  const reason = why ?? (partial ? t.message(partial) : failureReason(failure));
  actx.progress(`no trustworthy answer (${reason}): re-reading to see whether it took`);
  const unknown = (why: string): ApplyStage => {
    const check = plan.check ?? `mangaops act ${action.name} --dry-run (with the same parameters) shows the state now`;
    return {
      kind: 'failed',
      error: `${reason}; whether the change took is unknown (${why}); check with: ${check}`,
      changed: [...(partial?.changed ?? []), ...plan.changes.map((c) => `unknown: ${c.what}${c.from !== undefined ? ` ${c.from}` : ''} → ${c.to}`)],
      unchanged: [],
      undo: plan.undo,
      lostReply: { reason, state: 'unknown', check },
    };
  };
  if (!action.reread) return unknown(`${action.name} cannot re-read it`);
  let r;
  try {
    r = await t.stage('re-reading', t.rereadMs, () => action.reread!(plan, actx, failure));
  } catch (e) {
    return unknown(`the re-read failed too: ${t.message(e)}`);
  }
  const lostReply: LostReply = { reason, state: r.state, observed: r.observed };
  if (r.state === 'applied') return { kind: 'applied', applied: { calls: plan.calls, changed: r.changed, detail: r.detail }, lostReply };
  const error = `${reason}; re-read: ${r.state === 'not applied' ? 'nothing changed' : 'partly applied'} (${r.observed})`;
  return { kind: 'failed', error, changed: r.changed, unchanged: r.unchanged, undo: r.changed.length ? plan.undo : undefined, lostReply };
}

function refused(t: ApplyTools, e: unknown): ApplyStage {
  const partial = e instanceof PartialApplyError;
  const changed = partial ? e.changed : [];
  const unchanged = partial ? e.unchanged : t.plan.changes.map((ch) => ch.what);
  // Something did change: its undo still applies.
  return { kind: 'failed', error: t.message(e), changed, unchanged, undo: changed.length ? t.plan.undo : undefined };
}

/**
 * Apply under its deadline. An interruption is journaled here, once, with where apply stood;
 * every other ending is returned for the runner to journal.
 */
export async function applyStage(t: ApplyTools): Promise<ApplyStage | { kind: 'interrupted'; stage: Failed }> {
  const stop = new AbortController();
  const live: { standing?: () => Standing; lastProgress: string } = { lastProgress: '' };
  const report = t.actx.progress;
  const actx: ActionContext = { ...t.actx, stopping: stop.signal, standing: (fn) => (live.standing = fn), progress: (m) => ((live.lastProgress = m), report(m)) };
  const tools = { ...t, actx };
  let inner: Promise<ApplyResult> | undefined;
  const applying = t.stage('applying', t.applyMs, () => (inner = t.action.apply(t.plan, actx)));
  let interrupted: Promise<Failed> | undefined;
  let onInterrupted: (stage: Failed) => void = () => {};
  // The runner stops waiting for apply once an interruption has been journaled: the process is ending.
  const whenInterrupted = new Promise<Failed>((resolve) => (onInterrupted = resolve));
  const stopListening = t.io.onInterrupt?.((signal = 'SIGINT') =>
    (interrupted ??= (async () => {
      stop.abort();
      const where = standingAt(tools, await settleWithin(applying, t.graceMs), live);
      const stage: Failed = { kind: 'failed', error: `${interruptedBy(signal)} while applying`, ...where, undo: t.plan.undo };
      t.fail('interrupted', { error: stage.error, changed: where.changed, unchanged: where.unchanged, detail: { before: t.plan.before }, undo: t.plan.undo });
      onInterrupted(stage);
      return stage;
    })()).then(() => undefined),
  );
  const settled = await Promise.race([settleWithin(applying, Infinity), whenInterrupted.then((stage) => ({ status: 'interrupted' as const, stage }))]);
  stopListening?.();
  if (interrupted) return { kind: 'interrupted', stage: await interrupted };
  if (settled?.status === 'fulfilled') return { kind: 'applied', applied: settled.value };
  if (settled?.status !== 'rejected') throw new Error('apply settled neither way');
  const e = settled.reason;
  if (classifyApplyFailure(e) === 'rejected') return refused(tools, e);
  return e instanceof DeadlineExceeded ? afterDeadline(tools, e, inner) : afterLostReply(tools, e);
}

/**
 * Past the deadline every call was aborted; apply itself ends a moment later, and what it says
 * then (a purge's exact count, the batches left unanswered) is worth waiting briefly for.
 */
async function afterDeadline(t: ApplyTools, deadline: DeadlineExceeded, inner: Promise<ApplyResult> | undefined): Promise<ApplyStage> {
  const late = inner && (await settleWithin(inner, t.graceMs));
  if (late?.status === 'rejected' && late.reason instanceof PartialApplyError) return afterLostReply(t, late.reason, deadline.message);
  return afterLostReply(t, deadline);
}
