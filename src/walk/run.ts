// One walk from its start to its end event, shared by diagnose, drill and resume: the
// non-interactive policy, the start and evidence, Ctrl-C, the end whatever happens, and the
// --json result.
import { NeedsHumanError } from '../core/errors.js';
import type { Config } from '../core/config.js';
import type { EvidenceMap } from '../core/evidence.js';
import { interruptedBy, type Io } from '../core/io.js';
import type { Answers, WalkResult } from '../engine/cursor.js';
import type { EndStatus, Events, IncidentEnded, RunMode, StepStatus, Who } from '../events/events.js';
import type { StepCollector } from '../events/result.js';
import type { LoadedRunbook } from '../runbook/load.js';
import type { ActionStep, Runbook } from '../runbook/schema.js';
import type { RunGuard } from '../runner/runner.js';
import type { LazyPorts } from './ports.js';
import { RecoveryGuard, type WatchSetup } from './recovery-guard.js';
import { walkInteractive, type Replay, type WalkOutput, type WalkSession } from './walker.js';
import { assertCanWalk, parseAnswers, type WalkFlags } from './flags.js';

export { assertCanWalk, parseAnswers, type WalkFlags } from './flags.js';

function runModeFor(kind: 'drill' | 'diagnose', flags: WalkFlags, auto: boolean): RunMode {
  if (kind === 'drill') return 'drill';
  // A walk that may not prompt never applies a fix unless --yes says so.
  return flags.dryRun || (auto && !flags.yes) ? 'dry-run' : 'live';
}

export interface WalkRequest {
  io: Io;
  loaded: LoadedRunbook;
  kind: 'drill' | 'diagnose';
  flags: WalkFlags;
  incident: string;
  journalFile: string;
  /** The stream the walk and its runner speak into; its subscribers keep and show it. */
  events: Events;
  /** Follows the fixes offered, for the result (a subscriber of `events`). */
  steps: StepCollector;
  evidence: EvidenceMap;
  evidenceMs: number;
  sourceName: string;
  ports: LazyPorts;
  drillCase?: string;
  /** For resume: what the journal recorded, and where the step numbers stand. */
  resume?: { replay: Replay; stepsSoFar: number };
  /** The environment config (the runner's caps, names). */
  config: Config;
  /** Options recorded in the start event. */
  recorded?: Record<string, unknown>;
  /** Answers standing in for the human when the walk may not prompt (a drill case's). */
  defaultAnswers?: Answers;
  /** What a drill case says the engineer would observe at its questions. */
  observations?: Record<string, string>;
  /** Extra fields for the end event (a drill's score). */
  finish?: (output: WalkOutput) => Partial<IncidentEnded>;
  /**
   * A pre-diagnosis (on-alarm): each fix at an outcome is held for a human — not planned, not
   * journaled, so `resume` offers it — or, where the config's autoApply allows it, applied
   * through the runner as --yes would. A walk that held a fix ends needing a human.
   */
  fixPolicy?: (step: ActionStep, outcome: string) => 'hold' | 'apply';
  /** How long an applied fix's verify may wait (the runner's default otherwise). */
  verifyDeadlineMs?: number;
  /** The team's approvals and leases around each fix (src/team/), when configured. */
  guard?: RunGuard;
  /** How each applied fix's recovery is watched: live reads on the real clock, or the drill's world. */
  watch?: WatchSetup;
}

export interface WalkEnd {
  incident: string;
  journalFile: string;
  output: WalkOutput;
  startedAt: number;
  end: EndStatus;
}

/** A new incident: who, where, which runbook, then the evidence it is walked on. */
export function announceStart(req: WalkRequest, who: Who): void {
  const { loaded, kind } = req;
  req.events.emit({
    type: 'incident.started',
    incident: req.incident,
    mode: kind,
    runbook: loaded.runbook.id,
    runbookFile: loaded.file,
    runbookHash: loaded.hash,
    ...who,
    source: req.sourceName,
    options: req.recorded ?? {},
    ...(req.drillCase && { drillCase: req.drillCase }),
  });
  req.events.emit({ type: 'evidence.gathered', evidence: req.evidence, ms: req.evidenceMs });
}

/** Walk, ending the incident whatever happens; returns the output or throws a typed error. */
export async function runWalk(req: WalkRequest, startedAt: number): Promise<WalkEnd> {
  const { io, loaded, flags, events } = req;
  const { auto } = assertCanWalk(io, flags);
  const mode = runModeFor(req.kind, flags, auto);
  const output = (result: WalkResult): WalkOutput => ({
    ...result,
    steps: req.steps.steps,
    recoveries: req.steps.recoveries,
    ...(req.steps.diagnosedAt !== undefined && { diagnosedAt: req.steps.diagnosedAt }),
  });
  // Once: an interruption's handler may end the journal while the walk itself is still finishing.
  let endedAlready = false;
  const end = (status: EndStatus, out: WalkOutput | undefined, message?: string) => {
    if (endedAlready) return;
    endedAlready = true;
    const outcome = out?.outcome;
    const title = outcome ? (loaded.runbook.nodes[outcome] as { title?: string }).title : undefined;
    const extra = out && req.finish ? req.finish(out) : {};
    events.emit({ type: 'incident.ended', status, outcome, outcomeTitle: title, message, ms: io.now() - startedAt, ...extra });
  };
  const ended = (status: EndStatus, out: WalkOutput): WalkEnd => ({ incident: req.incident, journalFile: req.journalFile, output: out, startedAt, end: status });

  // Ctrl-C while evidence is shown or a fix runs (not at a prompt), or the reader closing the
  // pipe: the journal still ends cleanly and says how to go on. Registered before the first
  // await, so no interruption can fall between the start and the end of the incident.
  const stopListening = io.onInterrupt?.((why) => {
    end('aborted', undefined, interruptedBy(why));
    events.emit({ type: 'incident.interrupted', incident: req.incident });
  });
  let step = req.resume?.stepsSoFar ?? 0;
  const nextStep = () => ++step;
  let held = 0;
  const { redactedParams, runAction, runStep } = await import('../runner/runner.js');
  const deadlines = { planMs: flags.planTimeout, applyMs: flags.applyTimeout, verifyMs: flags.verifyTimeout };
  const runContext = async (node?: string) => ({ events, incident: req.incident, io, mode, yes: Boolean(flags.yes), force: false, node, nextStep, ports: await req.ports.get(), config: req.config, deadlines, sleep: io.sleep, guard: req.guard });
  // The recovery watch after each applied fix (not to be confused with the team's guard, req.guard).
  const recovery =
    req.watch &&
    new RecoveryGuard(
      {
        runbook: loaded.runbook,
        events,
        io,
        auto,
        mode,
        config: req.config,
        incident: req.incident,
        runUndo: async (u, of, yes) => runAction(u.action, u.params, { ...(await runContext()), yes }, { text: `undo step ${of}: ${u.text ?? u.action}`, undoOf: of }),
      },
      req.watch,
    );
  if (recovery) events.subscribe(recovery.handle);
  const session: WalkSession = {
    runbook: loaded.runbook,
    evidence: req.evidence,
    events,
    io,
    auto,
    answers: parseAnswers(flags.answer),
    caseAnswers: auto ? req.defaultAnswers : undefined,
    observations: req.observations,
    nextStep,
    replay: req.resume?.replay,
    shown: (action, params) => redactedParams(action, params, req.config),
    runStep: async (s: ActionStep, node: string) => {
      const policy = s.action ? req.fixPolicy?.(s, node.split('#')[0]!) : undefined;
      if (policy === 'hold') {
        held++;
        return 'offered';
      }
      const apply = policy === 'apply';
      const context = await runContext(node);
      const status = await drillChoice(
        s,
        node,
        await runStep(s, { ...context, mode: apply ? 'live' : mode, yes: apply || context.yes, deadlines: { ...deadlines, verifyMs: (apply && req.verifyDeadlineMs) || flags.verifyTimeout } }),
      );
      await recovery?.afterStep(s, node, status, step);
      return status;
    },
  };
  // A drill's fix stops at its plan; what the engineer would do is asked at a terminal (or
  // --apply says yes to all), and a yes moves the drill's world — never anything real.
  async function drillChoice(s: ActionStep, node: string, status: StepStatus): Promise<StepStatus> {
    if (mode !== 'drill' || status !== 'planned' || (auto && !flags.apply)) return status;
    const chosen = flags.apply || (await io.prompter.confirm({ id: `choose:${node}`, message: "Would you apply this now? (drill: only the drill's world changes)", defaultValue: false }));
    if (!chosen) {
      events.emit({ type: 'step.declined', step, node, text: s.text, action: s.action, detail: { drill: 'not chosen by the engineer' } });
      return 'declined';
    }
    const by = flags.apply ? 'confirmed by --apply' : 'chosen by the engineer';
    events.emit({ type: 'step.confirmed', step, node, text: s.text, action: s.action, detail: { drill: `${by}; applied to the drill's world only` } });
    return 'confirmed';
  }
  let result: WalkResult;
  try {
    result = await walkInteractive(session);
  } catch (error) {
    stopListening?.();
    await req.ports.close().catch(() => undefined);
    if ((error as Error)?.name === 'ExitPromptError') {
      end('aborted', undefined, 'interrupted at a prompt');
      events.emit({ type: 'incident.interrupted', incident: req.incident });
      return ended('aborted', { path: [], outcomes: [], steps: [] });
    }
    // A fix waiting for a human (an approval, a confirmation without a terminal) leaves the incident open.
    end(error instanceof NeedsHumanError ? 'needs-human' : 'failed', undefined, (error as Error)?.message);
    throw error;
  }

  stopListening?.();
  await req.ports.close().catch(() => undefined);
  const out = output(result);
  if (out.stop?.reason === 'needs-human') {
    end('needs-human', out, out.stop.message);
    return ended('needs-human', out);
  }
  if (held && !out.stop) {
    end('needs-human', out, `${held} fix(es) held for a human: mangaops resume ${req.incident}`);
    return ended('needs-human', out);
  }
  const status: EndStatus = out.stop ? 'stopped' : 'resolved';
  end(status, out, out.stop?.message);
  return ended(status, out);
}

/** The exit code of an ended walk: 0 resolved, 130 interrupted (as a shell reports Ctrl-C), else 1. */
export function exitCodeOf(result: Pick<WalkEnd, 'end'>): number {
  return result.end === 'resolved' ? 0 : result.end === 'aborted' ? 130 : 1;
}

/** After the result is printed: a walk that stopped at a human question exits 3, saying how to go on. */
export function needsHumanError(result: WalkEnd, json?: boolean): NeedsHumanError | undefined {
  const stop = result.output.stop;
  if (result.end !== 'needs-human' || !stop) return undefined;
  const choices = stop.choices.map((c) => `"${c}"`).join(', ');
  return new NeedsHumanError(
    `${stop.message}; choices: ${choices}`,
    `continue with: mangaops resume ${result.incident} --auto --answer ${stop.node}="<choice>"`,
    Boolean(json),
  );
}

/** The --json result: one object on stdout. */
export function resultObject(req: Pick<WalkRequest, 'loaded'>, result: WalkEnd, extra: Record<string, unknown> = {}) {
  const rb = req.loaded.runbook;
  const outcome = result.output.outcome;
  return {
    scenario: rb.id,
    incident: result.incident,
    journal: result.journalFile,
    status: result.end,
    outcome: outcome ? { id: outcome, title: (rb.nodes[outcome] as { title: string }).title } : null,
    outcomes: result.output.outcomes,
    stop: result.output.stop ?? null,
    path: result.output.path,
    steps: result.output.steps,
    // The last fix's recovery watch: did the symptom come back (each step carries its own).
    recovery: result.output.recoveries?.at(-1) ?? null,
    ...extra,
  };
}
