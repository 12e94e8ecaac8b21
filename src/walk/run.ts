// One walk from start to end record, shared by diagnose, drill and resume: the
// non-interactive policy, the journal's start/evidence/end, Ctrl-C, the --json result.
import type { Io } from '../cli/io.js';
import { NeedsHumanError, UsageError } from '../errors.js';
import type { EvidenceMap } from '../engine/evidence.js';
import type { Answers } from '../engine/walk.js';
import { Journal, newIncidentId, whoAmI } from '../journal/journal.js';
import type { EndRecord, StartRecord } from '../journal/records.js';
import type { LoadedRunbook } from '../runbook/load.js';
import type { ActionStep, Runbook } from '../runbook/schema.js';
import { didYouMean } from '../util/suggest.js';
import type { Config } from '../runbook/placeholders.js';
import type { RunMode } from '../actions/types.js';
import type { LazyPorts } from './ports.js';
import { walkInteractive, type WalkOutput, type WalkSession } from './walker.js';

export interface WalkFlags {
  auto?: boolean;
  json?: boolean;
  answer?: string[];
  journal?: string;
  dryRun?: boolean;
  yes?: boolean;
}

/** --answer node=choice (repeatable; a node given twice gets one answer per visit). */
export function parseAnswers(list: string[] = []): Answers {
  const answers: Record<string, string[]> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--answer takes node=choice, got "${item}"`, 'e.g. --answer check-pool="No - pings failing" (the node id is in [brackets] on its card)');
    const node = item.slice(0, eq).trim();
    (answers[node] ??= []).push(item.slice(eq + 1).trim());
  }
  return Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));
}

/** Written once: without a terminal the walk never prompts, so it must be told so. */
export function assertCanWalk(io: Io, flags: WalkFlags, runbook?: Runbook): { auto: boolean } {
  const auto = Boolean(flags.auto || flags.json);
  // A bad --answer is a usage error before any evidence is gathered or journaled.
  const answers = parseAnswers(flags.answer);
  if (runbook) {
    const questions = Object.keys(runbook.nodes).filter((id) => runbook.nodes[id]!.type === 'decision');
    for (const node of Object.keys(answers)) {
      if (!questions.includes(node)) throw new UsageError(`--answer ${node}=…: ${runbook.id} has no question '${node}'${didYouMean(node, questions)}`, `mangaops graph ${runbook.id} --format text shows the node ids in {braces}`);
    }
  }
  if (!io.interactive && !auto) {
    throw new UsageError('no terminal to ask questions on', 'pass --auto to follow the evidence (and --answer node=choice for human questions), or --json for a machine result');
  }
  return { auto };
}

export function runModeFor(kind: 'drill' | 'diagnose', flags: WalkFlags, auto: boolean): RunMode {
  if (kind === 'drill') return 'drill';
  // A walk that may not prompt never applies a fix unless --yes says so.
  return flags.dryRun || (auto && !flags.yes) ? 'dry-run' : 'live';
}

export interface WalkRequest {
  io: Io;
  loaded: LoadedRunbook;
  kind: 'drill' | 'diagnose';
  flags: WalkFlags;
  evidence: EvidenceMap;
  evidenceMs: number;
  sourceName: string;
  ports: LazyPorts;
  drillCase?: string;
  /** For resume: an open journal and what it recorded. */
  resume?: { journal: Journal; replay: NonNullable<WalkSession['replay']>; stepsSoFar: number; startedAt: number };
  /** The environment config (the runner's caps, names). */
  config: Config;
  /** Options recorded in the start record. */
  recorded?: Record<string, unknown>;
  /** Answers standing in for the human when the walk may not prompt (a drill case's). */
  defaultAnswers?: Answers;
  /** Extra fields for the end record (a drill's score). */
  finish?: (output: WalkOutput) => Partial<EndRecord>;
}

export interface WalkResult {
  incident: string;
  journalFile: string;
  output: WalkOutput;
  startedAt: number;
  end: EndRecord['status'];
}

export function startJournal(req: WalkRequest): Journal {
  const { io, loaded, kind, flags } = req;
  const incident = newIncidentId(io.now(), loaded.runbook.id);
  const journal = Journal.create({ incident, file: flags.journal, env: io.env, now: io.now });
  const start: Omit<StartRecord, 'at' | 'incident'> = {
    type: 'start',
    mode: kind,
    runbook: loaded.runbook.id,
    runbookFile: loaded.file,
    runbookHash: loaded.hash,
    ...whoAmI(io.env),
    source: req.sourceName,
    options: req.recorded ?? {},
  };
  if (req.drillCase) start.drillCase = req.drillCase;
  journal.append(start);
  journal.append({ type: 'evidence', evidence: req.evidence, ms: req.evidenceMs });
  return journal;
}

/** Walk, journaling the end whatever happens; returns the output or throws a typed error. */
export async function runWalk(req: WalkRequest, journal: Journal, startedAt: number): Promise<WalkResult> {
  const { io, loaded, flags } = req;
  const { auto } = assertCanWalk(io, flags);
  const mode = runModeFor(req.kind, flags, auto);
  let step = req.resume?.stepsSoFar ?? 0;
  const nextStep = () => ++step;
  const { runStep } = await import('../actions/runner.js');
  const session: WalkSession = {
    runbook: loaded.runbook,
    evidence: req.evidence,
    journal,
    io,
    auto,
    answers: parseAnswers(flags.answer),
    caseAnswers: auto ? req.defaultAnswers : undefined,
    nextStep,
    replay: req.resume?.replay,
    runStep: async (s: ActionStep, node: string) => {
      const status = await runStep(s, { io, journal, mode, yes: Boolean(flags.yes), force: false, node, nextStep, ports: await req.ports.get(), config: req.config });
      // A drill at a terminal asks what the engineer would do, for the score; nothing runs.
      if (mode !== 'drill' || auto || status !== 'planned') return status;
      const chosen = await io.prompter.confirm({ id: `choose:${node}`, message: 'Would you apply this now? (drill: nothing is applied)', defaultValue: false });
      if (!chosen) return status;
      journal.append({ type: 'step', step, node, text: s.text, action: s.action, status: 'confirmed', detail: { drill: 'chosen by the engineer; not applied' } });
      return 'confirmed';
    },
  };
  const end = (status: EndRecord['status'], output: WalkOutput | undefined, message?: string) => {
    const outcome = output?.outcome;
    const title = outcome ? (loaded.runbook.nodes[outcome] as { title?: string }).title : undefined;
    const extra = output && req.finish ? req.finish(output) : {};
    journal.append({ type: 'end', status, outcome, outcomeTitle: title, message, ms: io.now() - startedAt, ...extra });
  };

  // Ctrl-C while evidence is shown or a fix runs (not at a prompt): the journal still ends
  // cleanly and says how to go on.
  const stopListening = io.onInterrupt?.(() => {
    end('aborted', undefined, 'interrupted (Ctrl-C)');
    io.stderr.write(`\nInterrupted. The journal is consistent; continue with:\n  mangaops resume ${journal.incident}\n`);
  });
  let output: WalkOutput;
  try {
    output = await walkInteractive(session);
  } catch (error) {
    stopListening?.();
    await req.ports.close().catch(() => undefined);
    if ((error as Error)?.name === 'ExitPromptError') {
      end('aborted', undefined, 'interrupted at a prompt');
      io.stderr.write(`\nInterrupted. The journal is consistent; continue with:\n  mangaops resume ${journal.incident}\n`);
      return { incident: journal.incident, journalFile: journal.file, output: { path: [], outcomes: [], steps: [] }, startedAt, end: 'aborted' };
    }
    end('failed', undefined, (error as Error)?.message);
    throw error;
  }

  stopListening?.();
  await req.ports.close().catch(() => undefined);
  if (output.stop?.reason === 'needs-human') {
    end('needs-human', output, output.stop.message);
    return { incident: journal.incident, journalFile: journal.file, output, startedAt, end: 'needs-human' };
  }
  const status: EndRecord['status'] = output.stop ? 'stopped' : 'resolved';
  end(status, output, output.stop?.message);
  return { incident: journal.incident, journalFile: journal.file, output, startedAt, end: status };
}

/** After the result is printed: a walk that stopped at a human question exits 3, saying how to go on. */
export function needsHumanError(result: WalkResult): NeedsHumanError | undefined {
  const stop = result.output.stop;
  if (result.end !== 'needs-human' || !stop) return undefined;
  const choices = stop.choices.map((c) => `"${c}"`).join(', ');
  return new NeedsHumanError(
    `${stop.message}; choices: ${choices}`,
    `continue with: mangaops resume ${result.incident} --auto --answer ${stop.node}="<choice>"`,
  );
}

/** The --json result: one object on stdout. */
export function resultObject(req: WalkRequest, result: WalkResult, extra: Record<string, unknown> = {}) {
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
    ...extra,
  };
}
