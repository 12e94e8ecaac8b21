// The one runner every action goes through, from `act`, `undo` and a walk's outcome:
//   validate → plan (reads only) → [dry-run / drill: stop] → confirm → apply → verify under a
//   deadline.
// Whether apply is ever reached is decided here and nowhere else: dry-run, drills, a refusal,
// a "no", and a missing TTY without --yes all stop before it, so no action can forget. Each
// stage is an event (events/events.ts); what is shown and what is journaled is a subscriber's
// business — this module imports no UI.
import type { ZodType } from 'zod';
import type { ActionContext, ApplyResult, Plan, Resource, UndoSpec } from '../capabilities/action.js';
import { PartialApplyError } from '../capabilities/action.js';
import { getAction, type AnyAction } from '../capabilities/actions.js';
import { classifyError } from '../capabilities/aws.js';
import { kebab, paramSpecs } from '../capabilities/params.js';
import type { Ports } from '../capabilities/ports.js';
import { VerifyTimeout } from '../capabilities/wait.js';
import type { Config } from '../core/config.js';
import { MangaopsError, NeedsHumanError, UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { ActionStep } from '../runbook/schema.js';
import { undoRecord, type Events, type RunMode, type StepEvent, type StepFields, type StepStatus } from '../events/events.js';

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
}

export interface RunContext {
  events: Events;
  incident: string;
  /** The prompter, whether a human is there, the clock, Ctrl-C. */
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
  /** How long verify may wait (default 10 minutes, as the AWS CLI's services-stable waiter). */
  deadlineMs?: number;
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
};

/** As the AWS CLI's services-stable waiter: 40 × 15 s. */
const DEFAULT_DEADLINE_MS = 10 * 60_000;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Validate against the action's zod schema; a refusal names what to pass. */
export function validateParams(action: Pick<AnyAction, 'name' | 'params'>, params: Record<string, unknown>, paramStyle: 'flag' | 'name' = 'name'): Record<string, unknown> {
  const schema: ZodType<Record<string, unknown>> = action.params;
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data;
  const label = (key: PropertyKey) => (paramStyle === 'flag' ? `--${kebab(String(key))}` : String(key));
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path[0];
    if (issue.code === 'unrecognized_keys') return `unknown parameter ${issue.keys.map(label).join(', ')}`;
    if (key === undefined) return issue.message;
    if (params[String(key)] === undefined) return `missing ${label(key)}`;
    const rest = issue.path.slice(1).map(String).join('.');
    // z.coerce turns "lots" into NaN: say what was typed, not NaN.
    const said = /received NaN$/.test(issue.message) ? `expected a number, got ${JSON.stringify(params[String(key)])}` : issue.message.replace(/^Invalid input: /, '');
    return `${label(key)}${rest ? ` (${rest})` : ''}: ${said}`;
  });
  const spec = paramSpecs(action.params)
    .map((p) => label(p.name))
    .join(', ');
  throw new UsageError(`${action.name}: ${problems.join('; ')}`, `${action.name} takes ${spec} (mangaops act --list)`);
}

/** The plan as the journal keeps it: everything the engineer was shown. */
function planRecord(plan: Plan) {
  const { action: _a, params: _p, before: _b, ...shown } = plan;
  return shown;
}

/** An SDK error keeps its name (AccessDeniedException: …); our own errors speak for themselves. */
function message(e: unknown): string {
  const err = e as Error;
  const own = err instanceof MangaopsError || err instanceof PartialApplyError || err instanceof VerifyTimeout;
  return err?.name && err.name !== 'Error' && !own ? `${err.name}: ${err.message}` : String(err?.message ?? e);
}

/**
 * Run one action through plan → confirm → apply → verify, each stage an event under one step
 * number. Returns the outcome; throws UsageError for bad parameters (nothing recorded),
 * NeedsHumanError without a TTY and --yes, and the prompt's own error on Ctrl-C.
 */
export async function runAction(name: string, params: Record<string, unknown>, ctx: RunContext, options: RunOptions = {}): Promise<RunOutcome> {
  // The team guard's lease is released here, on every way out of the stages.
  let lease: { release(): Promise<void> } | undefined;
  try {
    return await runStages(name, params, ctx, options, (held) => (lease = held));
  } finally {
    await lease?.release();
  }
}

async function runStages(name: string, params: Record<string, unknown>, ctx: RunContext, options: RunOptions, held: (lease: { release(): Promise<void> }) => void): Promise<RunOutcome> {
  const action = getAction(name);
  const valid = validateParams(action, params, options.paramStyle);
  const { io, events } = ctx;
  const step = ctx.nextStep();
  const started = io.now();
  const actx: ActionContext = {
    ports: ctx.ports,
    force: ctx.force,
    config: ctx.config,
    now: () => io.now(),
    sleep: ctx.sleep ?? realSleep,
    deadlineMs: ctx.deadlineMs ?? DEFAULT_DEADLINE_MS,
    progress: (m) => events.emit({ type: 'step.progress', step, message: m, elapsedMs: io.now() - started }),
  };
  const base = { step, node: ctx.node, action: action.name, params: valid };
  let text = options.text ?? action.name;
  const emit = (status: Exclude<StepStatus, 'planned' | 'failed'>, extra: Partial<StepFields> = {}) =>
    events.emit({ ...base, text, ms: io.now() - started, ...extra, type: `step.${status}` } as StepEvent);
  const fail = (phase: Extract<StepEvent, { type: 'step.failed' }>['phase'], extra: Partial<StepFields>) =>
    events.emit({ ...base, text, ms: io.now() - started, ...extra, type: 'step.failed', phase });
  const outcome = (status: StepStatus, extra: Partial<RunOutcome> = {}): RunOutcome => ({ incident: ctx.incident, step, action: action.name, status, ...extra });

  // ── plan: reads only ──────────────────────────────────────────────────────────────
  let plan: Plan<Record<string, unknown>>;
  try {
    plan = await action.plan(valid, actx);
  } catch (e) {
    fail('plan', { error: `planning failed: ${message(e)}`, changed: [], unchanged: ['everything: planning failed before any change'] });
    if (e instanceof MangaopsError) throw e;
    throw new MangaopsError(`${action.name}: planning failed: ${message(e)}`, 1, `nothing was changed; ${PLAN_HINTS[classifyError(e)] ?? 'run again with --debug for the stack trace'}`);
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
  const guarded: GuardedStep | undefined = guard && { incident: ctx.incident, step, node: ctx.node, action: action.name, params: valid, plan, resource: action.resource(plan), replan: () => action.plan(valid, actx) };
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

  // ── apply ─────────────────────────────────────────────────────────────────────────
  let applied: ApplyResult;
  // Ctrl-C mid-apply: the journal says the change was under way, how far it had got (the last
  // progress line) and that what is left is untouched; the undo stays on record.
  let lastProgress = '';
  const report = actx.progress;
  actx.progress = (m) => ((lastProgress = m), report(m));
  const stopListening = io.onInterrupt?.((why = 'Ctrl-C') =>
    fail('interrupted', {
      error: `interrupted (${why}) while applying`,
      changed: [lastProgress ? `in part: ${lastProgress}` : 'possibly in part: interrupted before any progress was reported'],
      unchanged: [`whatever ${action.name} had not reached yet; plan it again to see what is left`],
      detail: { before: plan.before },
      undo: undoRecord(plan.undo),
    }),
  );
  try {
    applied = await action.apply(plan, actx);
    stopListening?.();
  } catch (e) {
    stopListening?.();
    const partial = e instanceof PartialApplyError;
    const changed = partial ? e.changed : [];
    const unchanged = partial ? e.unchanged : plan.changes.map((ch) => ch.what);
    const error = message(e);
    // Something did change: its undo still applies.
    fail('apply', { error, changed, unchanged, detail: { before: plan.before }, undo: changed.length ? undoRecord(plan.undo) : undefined });
    return outcome('failed', { plan, error, changed, unchanged, undo: changed.length ? plan.undo : undefined });
  }
  const undo = applied.undo ?? plan.undo;
  emit('applied', { detail: { before: plan.before, calls: applied.calls, result: applied.detail }, changed: applied.changed, undo: undoRecord(undo) });

  // ── verify, under the deadline ────────────────────────────────────────────────────
  if (!action.verify) return outcome('applied', { plan, applied, changed: applied.changed, undo });
  events.emit({ type: 'step.verifying', step, deadlineMs: actx.deadlineMs });
  try {
    const observed = await action.verify(plan, actx, applied);
    emit('verified', { detail: { observed }, undo: undoRecord(undo) });
    return outcome('verified', { plan, applied, observed, changed: applied.changed, undo });
  } catch (e) {
    const error = `applied, but not verified: ${message(e)}`;
    fail('verify', { error, changed: applied.changed, unchanged: [], undo: undoRecord(undo) });
    return outcome('failed', { plan, applied, error, changed: applied.changed, unchanged: [], undo });
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
    ctx.events.emit({ type: 'step.failed', phase: 'params', step: ctx.nextStep(), node: ctx.node, text: step.text, action: step.action, params: step.params, error, changed: [], unchanged: [] });
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
