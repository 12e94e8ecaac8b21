// The recovery watch of one applied fix of an incident, outside a walk: `mangaops watch`
// re-attaches to it, `act --journal <incident>` starts it after its fix. The journal says which
// fix (the last one applied or verified that is not itself an undo), which outcome it belongs
// to, when it was applied and what the probes read then; the watch goes on from there until the
// outcome's window after the fix ends, then offers the undo and the outcome's next fix.
import type { Ports } from '../capabilities/ports.js';
import type { Value } from '../core/evidence.js';
import { MangaopsError, UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { Events, RecoveryResult } from '../events/events.js';
import type { JournalRecord, NodeRecord, RecoveryRecord, StartRecord, StepRecord } from '../journal/records.js';
import { recoveryOf } from '../runbook/recovery.js';
import type { OutcomeNode } from '../runbook/schema.js';
import { runAction, type RunContext } from '../runner/runner.js';
import { nextFixAfter, offerAfterWatch, type UndoRecord } from '../walk/recovery-guard.js';
import { DEFAULT_WATCH_INTERVAL_MS, realClock, sourceReader, watchRecovery } from '../walk/recovery.js';
import type { EvidenceSource } from '../walk/sources.js';
import type { Config } from '../core/config.js';
import { runbookFor, type CommonOptions } from './context.js';
import { fixContext, type FixFlags } from './fix-context.js';
import type { Team } from '../team/team.js';

export interface WatchFixOptions extends CommonOptions, FixFlags {
  json?: boolean;
  watchInterval?: number;
  probeTimeout?: number;
  redisUrl?: string;
}

/** Test seams: the evidence source, the clock's sleep, verify's deadline. The CLI passes none. */
export interface WatchDeps {
  source?: EvidenceSource;
  ports?: Ports;
  sleep?: (ms: number) => Promise<void>;
  deadlineMs?: number;
}

/** The fix a watch is about: the last applied one that is not an undo, with its outcome. */
export interface WatchedFix {
  step: number;
  action: string;
  outcome: string;
  /** Its key in the outcome (`<outcome>#<tier>.<index>`), when a walk applied it. */
  key?: string;
  fixAt: number;
  undo?: UndoRecord;
  /** What the journal's watch recorded at the fix. */
  atFix?: Record<string, Value | undefined>;
}

export function watchedFix(records: JournalRecord[], incident: string): WatchedFix {
  const steps = records.filter((r): r is StepRecord => r.type === 'step');
  const undoOf = (r: StepRecord) => (r.detail as { undoOf?: number } | undefined)?.undoOf;
  const applied = steps.filter((r) => r.action && (r.status === 'applied' || r.status === 'verified') && undoOf(r) === undefined);
  const last = applied.at(-1);
  if (!last) throw new UsageError(`incident ${incident} has no applied fix to watch`, `mangaops journal show ${incident} lists its steps`);
  const undoneBy = steps.find((r) => undoOf(r) === last.step && (r.status === 'applied' || r.status === 'verified'));
  if (undoneBy) throw new UsageError(`step ${last.step} (${last.action}) of ${incident} was undone by step ${undoneBy.step}: nothing to watch`, `mangaops journal show ${incident} lists its steps`);
  const outcomes = records.filter((r): r is NodeRecord => r.type === 'node' && r.nodeType === 'outcome');
  const outcome = last.node?.split('#')[0] ?? outcomes.at(-1)?.node;
  if (!outcome) throw new UsageError(`step ${last.step} (${last.action}) of ${incident} belongs to no diagnosis: nothing says what recovered means`, 'an act run alone has no outcome; act --journal <incident> continues a diagnosed one');
  const watching = records.filter((r): r is RecoveryRecord => r.type === 'recovery' && r.step === last.step && r.status === 'watching').at(-1);
  const undo = [...steps].reverse().find((r) => r.step === last.step && r.undo)?.undo;
  return {
    step: last.step,
    action: last.action!,
    outcome,
    ...(last.node && { key: last.node }),
    // In place once verified (or applied, for a fix with nothing to verify), as in a walk.
    fixAt: Date.parse(last.at),
    ...(undo && { undo }),
    ...(watching && { atFix: Object.fromEntries(watching.probes.map((p) => [p.probe, p.atFix])) }),
  };
}

/** Where an action run alone (`act --journal`) sits among its outcome's fixes: the first step with that action. */
function keyOf(node: OutcomeNode | undefined, outcome: string, action: string): string | undefined {
  for (const [t, tier] of (node?.resolution ?? []).entries()) {
    const i = tier.steps.findIndex((s) => s.action === action);
    if (i >= 0) return `${outcome}#${t}.${i}`;
  }
  return undefined;
}

/**
 * Watch one fix of an incident and offer what follows, on the journal's own event stream: the
 * command `watch` and `act --journal` share it.
 */
export async function watchFix(
  args: { fix: WatchedFix; start: StartRecord; events: Events; nextStep: () => number; ports: () => Ports; team: Team | undefined; config: Config },
  options: WatchFixOptions,
  io: Io,
  deps: WatchDeps = {},
): Promise<RecoveryResult> {
  const { config, loaded } = await runbookFor(args.start.runbook, options, io, args.config);
  const rb = loaded.runbook;
  const spec = recoveryOf(rb, args.fix.outcome);
  if (!spec.ok) throw new MangaopsError(`cannot watch step ${args.fix.step}: ${spec.why}`, 1, `give ${args.fix.outcome} a recovery: in ${loaded.file}`);
  let source = deps.source;
  if (!source) {
    const { createLiveSource } = await import('../walk/live-source.js');
    source = createLiveSource({ config, region: options.region, profile: options.profile, defaultTimeoutMs: options.probeTimeout, env: io.env, now: io.now, redisUrl: options.redisUrl });
  }
  const result = await watchRecovery({
    runbook: rb,
    spec: spec.value,
    fix: { step: args.fix.step, action: args.fix.action, outcome: args.fix.outcome, fixAt: args.fix.fixAt },
    read: sourceReader(rb, source, options.probeTimeout),
    clock: realClock(io.now, deps.sleep ?? io.sleep),
    intervalMs: options.watchInterval ?? DEFAULT_WATCH_INTERVAL_MS,
    events: args.events,
    simulated: false,
    atFix: args.fix.atFix,
  });
  const node = rb.nodes[args.fix.outcome] as OutcomeNode | undefined;
  const auto = !io.interactive || Boolean(options.json);
  // The undo offered at the end goes through the runner like any fix, with the team's lease.
  const ctx = (): RunContext =>
    fixContext({ journal: args, incident: args.start.incident, ports: args.ports(), config, flags: options, io, seams: { sleep: deps.sleep, deadlineMs: deps.deadlineMs }, team: args.team });
  await offerAfterWatch(
    {
      runbook: rb,
      events: args.events,
      io,
      auto,
      mode: 'live',
      config,
      incident: args.start.incident,
      runUndo: (u, of, yes) => runAction(u.action, u.params, { ...ctx(), yes }, { text: `undo step ${of}: ${u.text ?? u.action}`, undoOf: of }),
    },
    result,
    args.fix.undo,
    nextFixAfter(node, args.fix.key ?? keyOf(node, args.fix.outcome, args.fix.action)),
  );
  return result;
}

