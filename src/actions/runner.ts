// The one runner every action goes through, from `act`, `undo` and a walk's outcome:
//   validate → plan (reads only) → show the plan → [dry-run / drill: stop] → confirm
//   → apply → verify under a deadline → record.
// Whether apply is ever reached is decided here and nowhere else: dry-run, drills, a refusal,
// a "no", and a missing TTY without --yes all stop before it, so no action can forget.
import { classifyError } from '../aws/clients.js';
import { MangaopsError, NeedsHumanError, UsageError } from '../errors.js';
import type { StepRecord, StepStatus } from '../journal/records.js';
import { loadConfig } from '../runbook/config.js';
import type { ActionStep } from '../runbook/schema.js';
import { renderPlan } from '../ui/plan-view.js';
import { style } from '../ui/style.js';
import { getAction } from './catalogue/index.js';
import { kebab } from './param-spec.js';
import { actionParams, type ActionName } from './params.js';
import { PartialApplyError, type ActionContext, type ApplyResult, type Plan, type RunContext, type UndoSpec } from './types.js';
import { seconds, VerifyTimeout } from './wait.js';

/** What happened to one action, for `act --json`, `undo`, and the walk. */
export interface RunOutcome {
  incident: string;
  step: number;
  action: ActionName;
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
export const DEFAULT_DEADLINE_MS = 10 * 60_000;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Validate against the action's zod schema; a refusal names what to pass. */
export function validateParams(name: ActionName, params: Record<string, unknown>, paramStyle: 'flag' | 'name' = 'name'): Record<string, unknown> {
  const parsed = actionParams[name].safeParse(params);
  if (parsed.success) return parsed.data as Record<string, unknown>;
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
  const spec = Object.keys((actionParams[name] as unknown as { shape: object }).shape)
    .map((k) => label(k))
    .join(', ');
  throw new UsageError(`${name}: ${problems.join('; ')}`, `${name} takes ${spec} (mangaops act --list)`);
}

async function configOf(ctx: RunContext): Promise<Record<string, unknown>> {
  return ctx.config ?? (await loadConfig({ env: ctx.io.env }));
}

function actionContext(ctx: RunContext, config: Record<string, unknown>): ActionContext {
  const c = style(ctx.io.color);
  let last = '';
  return {
    ports: ctx.ports,
    force: ctx.force,
    config,
    now: () => ctx.io.now(),
    sleep: ctx.sleep ?? realSleep,
    deadlineMs: ctx.deadlineMs ?? DEFAULT_DEADLINE_MS,
    progress(message) {
      if (message === last) return;
      last = message;
      ctx.io.stderr.write(c.dim(`    … ${message}\n`));
    },
  };
}

/** The plan as the journal keeps it: everything the engineer was shown. */
function planRecord(plan: Plan) {
  const { action: _a, params: _p, before: _b, ...shown } = plan;
  return shown;
}

function undoRecord(u: UndoSpec | undefined): StepRecord['undo'] {
  if (!u) return undefined;
  const record = { action: u.action, params: u.params, text: u.text };
  return record;
}

/** An SDK error keeps its name (AccessDeniedException: …); our own errors speak for themselves. */
function message(e: unknown): string {
  const err = e as Error;
  const own = err instanceof MangaopsError || err instanceof PartialApplyError || err instanceof VerifyTimeout;
  return err?.name && err.name !== 'Error' && !own ? `${err.name}: ${err.message}` : String(err?.message ?? e);
}

/**
 * Run one action through plan → confirm → apply → verify, journaling each stage under one
 * step number. Returns the outcome; throws UsageError for bad parameters (nothing journaled),
 * NeedsHumanError without a TTY and --yes, and the prompt's own error on Ctrl-C.
 */
export async function runAction(name: string, params: Record<string, unknown>, ctx: RunContext, options: RunOptions = {}): Promise<RunOutcome> {
  const action = getAction(name);
  const valid = validateParams(action.name, params, options.paramStyle);
  const config = await configOf(ctx);
  const actx = actionContext(ctx, config);
  const { io, journal } = ctx;
  const c = style(io.color);
  const step = ctx.nextStep();
  const started = io.now();
  const text = options.text;
  const base = { type: 'step' as const, step, node: ctx.node, action: action.name, params: valid };
  const record = (status: StepStatus, extra: Partial<Omit<StepRecord, 'type' | 'at' | 'incident'>> = {}) =>
    journal.append({ ...base, text: text ?? extra.text ?? action.name, status, ms: io.now() - started, ...extra });
  const outcome = (status: StepStatus, extra: Partial<RunOutcome> = {}): RunOutcome => ({ incident: journal.incident, step, action: action.name, status, ...extra });

  // ── plan: reads only ──────────────────────────────────────────────────────────────
  let plan: Plan;
  try {
    plan = await action.plan(valid, actx);
  } catch (e) {
    record('failed', { error: `planning failed: ${message(e)}`, changed: [], unchanged: ['everything: planning failed before any change'] });
    if (e instanceof MangaopsError) throw e;
    throw new MangaopsError(`${action.name}: planning failed: ${message(e)}`, 1, `nothing was changed; ${PLAN_HINTS[classifyError(e)] ?? 'run again with --debug for the stack trace'}`);
  }
  const summaryText = text ?? plan.summary;
  const recordP = (status: StepStatus, extra: Partial<Omit<StepRecord, 'type' | 'at' | 'incident'>> = {}) => record(status, { text: summaryText, ...extra });
  const live = ctx.mode === 'live';
  io.stderr.write(renderPlan(plan, { color: io.color, columns: io.columns, force: ctx.force, step: live ? step : undefined, incident: live ? journal.incident : undefined }));
  recordP('planned', { plan: planRecord(plan), detail: { before: plan.before, ...(options.undoOf ? { undoOf: options.undoOf } : {}) }, undo: undoRecord(plan.undo) });

  // ── stops before apply, all of them here ──────────────────────────────────────────
  if (ctx.mode === 'dry-run' || ctx.mode === 'drill') {
    io.stderr.write(c.dim(`  ${ctx.mode === 'drill' ? 'Drill' : 'Dry run'}: planned only, nothing was changed.\n`));
    return outcome('planned', { plan });
  }
  if (plan.blocked) {
    recordP('declined', { error: `cannot apply: ${plan.blocked}` });
    return outcome('declined', { plan, blocked: plan.blocked });
  }
  if (plan.noop) {
    recordP('skipped', { detail: { reason: 'already in the wanted state' } });
    return outcome('skipped', { plan });
  }
  if (plan.refusal && !ctx.force) {
    recordP('declined', { error: `refused: ${plan.refusal} (--force allows it)` });
    return outcome('declined', { plan, refusal: plan.refusal });
  }

  // ── confirm: default No; --yes for automation; never without a TTY ────────────────
  if (ctx.yes) {
    io.stderr.write(c.dim('  Confirmed by --yes.\n'));
  } else if (!io.interactive) {
    recordP('declined', { error: 'no terminal to confirm on, and no --yes' });
    throw new NeedsHumanError(`${action.name} was not applied: there is no terminal to confirm it on`, 'pass --yes to apply without asking, or --dry-run to only see the plan');
  } else {
    let yes: boolean;
    try {
      yes = await io.prompter.confirm({ id: `apply:${action.name}`, message: `Apply: ${plan.summary}?`, defaultValue: false });
    } catch (e) {
      recordP('declined', { error: 'interrupted at the confirmation' });
      throw e;
    }
    if (!yes) {
      recordP('declined');
      io.stderr.write('  Not applied: nothing was changed.\n');
      return outcome('declined', { plan });
    }
  }
  recordP('confirmed', { detail: { by: ctx.yes ? '--yes' : 'prompt' } });

  // ── apply ─────────────────────────────────────────────────────────────────────────
  let applied: ApplyResult;
  // Ctrl-C mid-apply: the journal says the change was under way, how far it had got (the last
  // progress line) and that what is left is untouched; the undo stays on record.
  let lastProgress = '';
  const report = actx.progress;
  actx.progress = (m) => ((lastProgress = m), report(m));
  const stopListening = io.onInterrupt?.(() =>
    recordP('failed', {
      error: 'interrupted (Ctrl-C) while applying',
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
    recordP('failed', { error, changed, unchanged, detail: { before: plan.before }, undo: changed.length ? undoRecord(plan.undo) : undefined });
    io.stderr.write(c.red(`  ✗ ${action.name} failed: ${error}\n`));
    for (const line of changed) io.stderr.write(`    changed:     ${line}\n`);
    for (const line of unchanged) io.stderr.write(`    not changed: ${line}\n`);
    return outcome('failed', { plan, error, changed, unchanged, undo: changed.length ? plan.undo : undefined });
  }
  const undo = applied.undo ?? plan.undo;
  recordP('applied', { detail: { before: plan.before, calls: applied.calls, result: applied.detail }, changed: applied.changed, undo: undoRecord(undo) });
  io.stderr.write(c.green(`  ✓ applied\n`));
  for (const line of applied.changed) io.stderr.write(`    ${line}\n`);

  // ── verify, under the deadline ────────────────────────────────────────────────────
  if (!action.verify) return outcome('applied', { plan, applied, changed: applied.changed, undo });
  io.stderr.write(c.dim(`  verifying (up to ${seconds(actx.deadlineMs)})…\n`));
  try {
    const observed = await action.verify(plan, actx, applied);
    recordP('verified', { detail: { observed }, undo: undoRecord(undo) });
    io.stderr.write(c.green(`  ✓ verified: ${observed}\n`));
    if (undo) io.stderr.write(c.dim(`  undo: mangaops undo ${journal.incident} ${step}\n`));
    return outcome('verified', { plan, applied, observed, changed: applied.changed, undo });
  } catch (e) {
    const error = `applied, but not verified: ${message(e)}`;
    recordP('failed', { error, changed: applied.changed, unchanged: [], undo: undoRecord(undo) });
    io.stderr.write(c.red(`  ✗ ${error}\n`));
    if (undo) io.stderr.write(`  undo: mangaops undo ${journal.incident} ${step}\n`);
    return outcome('failed', { plan, applied, error, changed: applied.changed, unchanged: [], undo });
  }
}

/**
 * A runbook step at a walk's outcome: its action and params (placeholders already resolved)
 * through the same runner. A step the runner cannot run is journaled as failed and the walk
 * goes on; no TTY without --yes and Ctrl-C stop the walk.
 */
export async function runStep(step: ActionStep, ctx: RunContext): Promise<StepStatus> {
  if (!step.action) {
    ctx.journal.append({ type: 'step', step: ctx.nextStep(), node: ctx.node, text: step.text, status: 'offered' });
    return 'offered';
  }
  try {
    validateParams(getAction(step.action).name, step.params);
  } catch (e) {
    const error = (e as Error).message;
    ctx.journal.append({ type: 'step', step: ctx.nextStep(), node: ctx.node, text: step.text, action: step.action, params: step.params, status: 'failed', error, changed: [], unchanged: [] });
    ctx.io.stderr.write(style(ctx.io.color).red(`    ✗ ${error}\n`));
    return 'failed';
  }
  try {
    return (await runAction(step.action, step.params, ctx, { text: step.text })).status;
  } catch (e) {
    if (e instanceof NeedsHumanError || !(e instanceof MangaopsError)) throw e;
    ctx.io.stderr.write(style(ctx.io.color).red(`    ✗ ${e.message}\n`) + (e.hint ? `      ${e.hint}\n` : ''));
    return 'failed';
  }
}
