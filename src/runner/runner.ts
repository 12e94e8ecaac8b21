// The one runner every action goes through, from `act`, `undo` and a walk's outcome:
//   validate → plan (reads only) → [dry-run / drill: stop] → confirm → apply → verify,
// each stage under its deadline (runner/deadlines.ts), saying what it waits for.
// Whether apply is ever reached is decided here and nowhere else: dry-run, drills, a refusal,
// a "no", and a missing TTY without --yes all stop before it, so no action can forget. What
// an apply that failed or was interrupted leaves in the journal is decided in apply.ts. Each
// stage is an event (events/events.ts); what is shown and what is journaled is a subscriber's
// business — this module imports no UI.
import type { ActionContext, ApplyResult, Plan, Resource, UndoSpec } from '../capabilities/action.js';
import { PartialApplyError } from '../capabilities/action.js';
import { getAction } from '../capabilities/actions.js';
import { classifyError } from '../capabilities/aws.js';
import type { Ports } from '../capabilities/ports.js';
import { failureReason } from '../capabilities/reasons.js';
import { VerifyTimeout } from '../capabilities/wait.js';
import type { Config } from '../core/config.js';
import { DeadlineExceeded, spoken, withDeadline } from '../core/deadline.js';
import { MangaopsError, NeedsHumanError } from '../core/errors.js';
import { printable } from '../core/printable.js';
import type { Io } from '../core/io.js';
import type { ActionStep } from '../runbook/schema.js';
import { undoRecord, type Events, type RunMode, type StepEvent, type StepFields, type StepStatus } from '../events/events.js';
import { applyStage, GRACE_MS, type Failed, type FailFields, type LostReply } from './apply.js';
import { deadlinesFor, type Deadlines } from './deadlines.js';
import { planRecord, validateParams } from './params.js';

export { validateParams };
export type { LostReply };

/** What happened to one action, for `act --json`, `undo`, and the walk. */
export interface RunOutcome {
  incident: string;
  step: number;
  action: string;
  status: StepStatus;
  plan?: Plan;
  applied?: ApplyResult;
  /** What verify saw when the change took. */
  observed?: string;
  error?: string;
  /** Refused by default (over the cap, a wide pattern): --force allows it. */
  refusal?: string;
  /** Cannot be applied at all. */
  blocked?: string;
  changed?: string[];
  unchanged?: string[];
  undo?: UndoSpec;
  /** Apply's answer was lost: what the re-read found. */
  lostReply?: LostReply;
}

export interface RunContext {
  events: Events;
  incident: string;
  /** The prompter, whether a human is there, the clock, Ctrl-C / SIGTERM / SIGHUP. */
  io: Pick<Io, 'prompter' | 'interactive' | 'now' | 'onInterrupt'>;
  mode: RunMode;
  /** --yes: confirm without asking (automation). */
  yes: boolean;
  force: boolean;
  /** The outcome node the step belongs to, when offered by a walk. */
  node?: string;
  /** The next step number in this incident's journal. */
  nextStep(): number;
  ports: Ports;
  config: Config;
  /** Injected in tests; real timers otherwise. */
  sleep?(ms: number): Promise<void>;
  /** --plan-timeout, --apply-timeout, --verify-timeout; else config `deadlines`; else the defaults. */
  deadlines?: Partial<Deadlines>;
  /** How long verify may wait (deadlines.verifyMs, for callers that set only this). */
  deadlineMs?: number;
  /** How long an interruption waits for the call in flight to answer (default GRACE_MS, 2 s). */
  graceMs?: number;
  /** The team's guard (src/team/): approvals after the plan, a lease around apply. None: as alone. */
  guard?: RunGuard;
}

/** A step as the team guard sees it. */
export interface GuardedStep {
  incident: string;
  step: number;
  node?: string;
  action: string;
  params: Record<string, unknown>;
  plan: Plan;
  resource: Resource;
  /** Plan again (reads only): to see whether what was planned still holds after a wait. */
  replan(): Promise<Plan>;
}

/**
 * What the team layer does around a step, given to the runner so it never imports it. Only a
 * live run reaches either stage: dry-run and drills stop after the plan.
 */
export interface RunGuard {
  /** After the plan, before the confirmation: throws NeedsHumanError while approvals are missing. */
  approve(step: GuardedStep): Promise<void>;
  /** After the confirmation: holds the step's resource until `release`; throws when someone else holds it. */
  lease(step: GuardedStep): Promise<{ release(): Promise<void> }>;
}

export interface RunOptions {
  /** The journal's text for the step (a runbook step's text; "undo step 3: …"). */
  text?: string;
  /** How a refusal names parameters: `--desired-count` for act, `desiredCount` for runbooks. */
  paramStyle?: 'flag' | 'name';
  /** This run undoes that step (recorded, so `undo` does not offer it twice). */
  undoOf?: number;
}

const PLAN_HINTS: Partial<Record<ReturnType<typeof classifyError>, string>> = {
  credentials: 'pass --profile NAME or set AWS_PROFILE (aws sso login --profile NAME for SSO); check with aws sts get-caller-identity',
  denied: 'mangaops iam-policy lists the permissions each action needs',
  'not found': 'check the names (mangaops act --list shows the defaults from the config)',
  throttled: 'AWS is throttling: wait a moment and run it again',
  timeout: 'the service did not answer: check that it is reachable, or give it longer with --plan-timeout MS',
};

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Our own errors speak for themselves (escaped: they may quote a service); a service's error is said as what happened. */
function message(e: unknown): string {
  const own = e instanceof MangaopsError || e instanceof PartialApplyError || e instanceof VerifyTimeout || e instanceof DeadlineExceeded;
  return own ? printable((e as Error).message) : failureReason(e);
}

function planHint(e: unknown): string {
  const kind = e instanceof DeadlineExceeded ? 'timeout' : classifyError(e);
  return `nothing was changed; ${PLAN_HINTS[kind] ?? 'run again with --debug for the stack trace'}`;
}

/**
 * Run one action through plan → confirm → apply → verify, each stage an event under one step
 * number. Returns the outcome; throws UsageError for bad parameters (nothing recorded),
 * NeedsHumanError without a TTY and --yes, and the prompt's own error on Ctrl-C.
 */
export async function runAction(name: string, params: Record<string, unknown>, ctx: RunContext, options: RunOptions = {}): Promise<RunOutcome> {
  // The team guard's lease is released here, on every way out of the stages — a signal too:
  // its handlers run before the process ends (cli/process-io.ts), where a finally would not.
  let lease: { release(): Promise<void> } | undefined;
  let released: Promise<void> | undefined;
  const release = () => (released ??= lease?.release() ?? Promise.resolve());
  const stopListening = ctx.io.onInterrupt?.(() => (lease ? release() : undefined));
  try {
    return await runStages(name, params, ctx, options, (held) => (lease = held));
  } finally {
    stopListening?.();
    if (lease) await release();
  }
}

async function runStages(name: string, params: Record<string, unknown>, ctx: RunContext, options: RunOptions, held: (lease: { release(): Promise<void> }) => void): Promise<RunOutcome> {
  const action = getAction(name);
  const valid = validateParams(action, params, options.paramStyle);
  const { io, events } = ctx;
  const deadlines = deadlinesFor(ctx.config, { ...ctx.deadlines, verifyMs: ctx.deadlines?.verifyMs ?? ctx.deadlineMs });
  const step = ctx.nextStep();
  const started = io.now();
  const actx: ActionContext = {
    ports: ctx.ports,
    force: ctx.force,
    config: ctx.config,
    now: () => io.now(),
    sleep: ctx.sleep ?? realSleep,
    deadlineMs: deadlines.verifyMs,
    progress: (m) => events.emit({ type: 'step.progress', step, message: m, elapsedMs: io.now() - started }),
  };
  // Secrets (ecs.set-env's values) never reach the journal or the screen.
  const base = { step, node: ctx.node, action: action.name, params: action.redact ? action.redact(valid, ctx.config) : valid };
  let text = options.text ?? action.name;
  const emit = (status: Exclude<StepStatus, 'planned' | 'failed'>, extra: Partial<StepFields> = {}) =>
    events.emit({ ...base, text, ms: io.now() - started, ...extra, type: `step.${status}` } as StepEvent);
  const fail = (phase: Extract<StepEvent, { type: 'step.failed' }>['phase'], { undo, ...extra }: FailFields) =>
    events.emit({ ...base, text, ms: io.now() - started, ...extra, undo: undoRecord(undo), type: 'step.failed', phase });
  const outcome = (status: StepStatus, extra: Partial<RunOutcome> = {}): RunOutcome => ({ incident: ctx.incident, step, action: action.name, status, ...extra });
  // Each stage under its deadline, saying now and then what it is still waiting for.
  const stage = <T>(what: string, ms: number, work: () => Promise<T>) =>
    withDeadline({ name: what, ms, everyMs: Math.min(5000, Math.max(100, Math.floor(ms / 3))), onWait: (calls, elapsed) => actx.progress(`${what}: waiting for ${calls.join(', ')} (${spoken(elapsed)} of ${spoken(ms)})`) }, work);

  // ── plan: reads only ──────────────────────────────────────────────────────────────
  let plan: Plan<Record<string, unknown>>;
  try {
    plan = await stage('planning', deadlines.planMs, () => action.plan(valid, actx));
  } catch (e) {
    fail('plan', { error: `planning failed: ${message(e)}`, changed: [], unchanged: ['everything: planning failed before any change'] });
    if (e instanceof MangaopsError) throw e;
    throw new MangaopsError(`${action.name}: ${e instanceof DeadlineExceeded ? message(e) : `planning failed: ${message(e)}`}`, 1, planHint(e));
  }
  text = options.text ?? plan.summary;
  const live = ctx.mode === 'live';
  events.emit({
    ...base,
    type: 'step.planned',
    text,
    ms: io.now() - started,
    plan: planRecord(plan),
    detail: { before: plan.before, ...(options.undoOf ? { undoOf: options.undoOf } : {}) },
    undo: undoRecord(plan.undo),
    shown: plan,
    force: ctx.force,
    live,
    incident: ctx.incident,
  });

  // ── stops before apply, all of them here ──────────────────────────────────────────
  if (ctx.mode === 'dry-run' || ctx.mode === 'drill') {
    events.emit({ type: 'step.held', step, mode: ctx.mode });
    return outcome('planned', { plan });
  }
  if (plan.blocked) {
    emit('declined', { error: `cannot apply: ${plan.blocked}` });
    return outcome('declined', { plan, blocked: plan.blocked });
  }
  if (plan.noop) {
    emit('skipped', { detail: { reason: 'already in the wanted state' } });
    return outcome('skipped', { plan });
  }
  if (plan.refusal && !ctx.force) {
    emit('declined', { error: `refused: ${plan.refusal} (--force allows it)` });
    return outcome('declined', { plan, refusal: plan.refusal });
  }

  // ── the team guard, 1: approvals (the step stays planned until they are in) ──────────
  const { guard } = ctx;
  const guarded: GuardedStep | undefined = guard && { incident: ctx.incident, step, node: ctx.node, action: action.name, params: valid, plan, resource: action.resource(plan), replan: () => stage('planning again', deadlines.planMs, () => action.plan(valid, actx)) };
  if (guard && guarded) await guard.approve(guarded);

  // ── confirm: default No; --yes for automation; never without a TTY ────────────────
  if (!ctx.yes && !io.interactive) {
    emit('declined', { error: 'no terminal to confirm on, and no --yes' });
    throw new NeedsHumanError(`${action.name} was not applied: there is no terminal to confirm it on`, 'pass --yes to apply without asking, or --dry-run to only see the plan');
  }
  if (!ctx.yes) {
    let yes: boolean;
    try {
      yes = await io.prompter.confirm({ id: `apply:${action.name}`, message: `Apply: ${plan.summary}?`, defaultValue: false });
    } catch (e) {
      emit('declined', { error: 'interrupted at the confirmation' });
      throw e;
    }
    if (!yes) {
      emit('declined');
      return outcome('declined', { plan });
    }
  }
  emit('confirmed', { detail: { by: ctx.yes ? '--yes' : 'prompt' } });

  // ── the team guard, 2: a lease on the resource, held through verify (released by runAction) ──
  if (guard && guarded) {
    try {
      held(await guard.lease(guarded));
    } catch (e) {
      emit('declined', { error: `not applied: ${message(e)}` });
      throw e;
    }
  }

  // ── apply: refused, lost reply re-read, or interrupted — apply.ts says which ──────
  const result = await applyStage({ action, plan, actx, io, rereadMs: deadlines.planMs, applyMs: deadlines.applyMs, graceMs: ctx.graceMs ?? GRACE_MS, stage, fail, message });
  if (result.kind === 'interrupted') return failedOutcome(result.stage);
  if (result.kind === 'failed') {
    fail('apply', { error: result.error, changed: result.changed, unchanged: result.unchanged, detail: { before: plan.before, ...(result.lostReply && { lostReply: result.lostReply }) }, undo: result.undo });
    return failedOutcome(result);
  }
  const { applied, lostReply } = result;
  const undo = applied.undo ?? plan.undo;
  emit('applied', { detail: { before: plan.before, calls: applied.calls, result: applied.detail, ...(lostReply && { lostReply }) }, changed: applied.changed, undo: undoRecord(undo) });

  // ── verify, under the deadline ────────────────────────────────────────────────────
  if (!action.verify) return outcome('applied', { plan, applied, changed: applied.changed, undo, lostReply });
  events.emit({ type: 'step.verifying', step, deadlineMs: actx.deadlineMs });
  try {
    // Verify's own loop gives up at verifyMs with what it saw last; the stage's deadline is there for a read that never answers.
    const observed = await stage('verifying', deadlines.verifyMs + deadlines.planMs, () => action.verify!(plan, actx, applied));
    emit('verified', { detail: { observed }, undo: undoRecord(undo) });
    return outcome('verified', { plan, applied, observed, changed: applied.changed, undo, lostReply });
  } catch (e) {
    const error = `applied, but not verified: ${message(e)}`;
    fail('verify', { error, changed: applied.changed, unchanged: [], undo });
    return outcome('failed', { plan, applied, error, changed: applied.changed, unchanged: [], undo, lostReply });
  }

  function failedOutcome(r: Failed): RunOutcome {
    return outcome('failed', { plan, error: r.error, changed: r.changed, unchanged: r.unchanged, undo: r.undo, lostReply: r.lostReply });
  }
}

/**
 * An action's parameters as they may be shown, printed or journaled: its secrets masked (the
 * action's redact); names only when they cannot be read (an unknown action, invalid values).
 */
export function redactedParams(name: string, params: Record<string, unknown>, config: Config): Record<string, unknown> {
  try {
    const action = getAction(name);
    return action.redact ? action.redact(params as never, config) : params;
  } catch {
    return Object.fromEntries(Object.keys(params).map((k) => [k, '(not shown)']));
  }
}

/**
 * A runbook step at a walk's outcome: its action and params (placeholders already resolved)
 * through the same runner. A step the runner cannot run is recorded as failed and the walk
 * goes on; no TTY without --yes and Ctrl-C stop the walk.
 */
export async function runStep(step: ActionStep, ctx: RunContext): Promise<StepStatus> {
  if (!step.action) {
    ctx.events.emit({ type: 'step.offered', step: ctx.nextStep(), node: ctx.node, text: step.text });
    return 'offered';
  }
  try {
    validateParams(getAction(step.action), step.params);
  } catch (e) {
    const error = (e as Error).message;
    ctx.events.emit({ type: 'step.failed', phase: 'params', step: ctx.nextStep(), node: ctx.node, text: step.text, action: step.action, params: redactedParams(step.action, step.params, ctx.config), error, changed: [], unchanged: [] });
    return 'failed';
  }
  try {
    return (await runAction(step.action, step.params, ctx, { text: step.text })).status;
  } catch (e) {
    if (e instanceof NeedsHumanError || !(e instanceof MangaopsError)) throw e;
    ctx.events.emit({ type: 'step.refused', message: e.message, hint: e.hint });
    return 'failed';
  }
}
