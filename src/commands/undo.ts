// mangaops undo <incident> [step]: apply the undo a step recorded, through the same runner
// (plan, confirm, apply, verify, record), as a new step of the same incident.
// Default step: the last one applied that has an undo, is not itself an undo, and has not
// been undone yet. An explicit step number may be any step that was applied.
import { livePorts } from '../capabilities/adapters.js';
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { readJournal } from '../journal/journal.js';
import { trackContinued } from '../team/session.js';
import { localIncident } from '../team/sync-all.js';
import type { StepRecord } from '../journal/records.js';
import { runAction } from '../runner/runner.js';
import { continueJournal, reportOutcome, type ActDeps, type DeadlineFlags } from './act.js';
import { fixContext } from './fix-context.js';
import { configFor, type CommonOptions } from './context.js';
import { openTeamFor, withTeam, type LeaseFlags } from './team-context.js';
import { screenOf } from '../ui/screen.js';

export interface UndoOptions extends CommonOptions, DeadlineFlags, LeaseFlags {
  incident: string;
  step?: string;
  dryRun?: boolean;
  yes?: boolean;
  /** An undo that goes over a cap (scaling back up past 2×) needs it. */
  force?: boolean;
  redisUrl?: string;
}

interface StepHistory {
  step: number;
  records: StepRecord[];
  /** It changed something (applied, verified, or failed part-way). */
  applied: boolean;
  undo?: NonNullable<StepRecord['undo']>;
  /** The step this one undid. */
  undoOf?: number;
  text: string;
  action?: string;
}

function stepHistories(records: ReturnType<typeof readJournal>): StepHistory[] {
  const byStep = new Map<number, StepRecord[]>();
  for (const r of records) if (r.type === 'step') byStep.set(r.step, [...(byStep.get(r.step) ?? []), r]);
  return [...byStep.entries()]
    .sort(([a], [b]) => a - b)
    .map(([step, rs]) => {
      const applied = rs.some((r) => r.status === 'applied' || r.status === 'verified' || (r.status === 'failed' && (r.changed?.length ?? 0) > 0));
      const withUndo = [...rs].reverse().find((r) => r.undo && r.status !== 'planned') ?? [...rs].reverse().find((r) => r.undo);
      const undoOf = rs.map((r) => (r.detail as { undoOf?: number } | undefined)?.undoOf).find((n) => typeof n === 'number');
      return { step, records: rs, applied, undo: withUndo?.undo, undoOf, text: rs.at(-1)!.text, action: rs[0]!.action };
    });
}

function describe(h: StepHistory): string {
  return `${h.step} ${h.action ?? '(manual)'}: ${h.records.at(-1)!.status}${h.undo ? '' : ', no undo'}`;
}

function pickStep(histories: StepHistory[], wanted: string | undefined, incident: string): StepHistory {
  const list = histories.filter((h) => h.action).map(describe).join('; ') || 'none';
  if (wanted !== undefined) {
    const n = Number(wanted);
    const h = histories.find((x) => x.step === n);
    if (!Number.isInteger(n) || !h) throw new UsageError(`incident ${incident} has no step '${wanted}'`, `its steps: ${list}`);
    if (!h.applied) throw new UsageError(`step ${n} (${h.action ?? 'manual'}) was ${h.records.at(-1)!.status}, not applied: there is nothing to undo`, `its steps: ${list}`);
    if (!h.undo) throw new UsageError(`step ${n} (${h.action}) has no undo`, h.records.find((r) => r.plan)?.plan ? 'its plan says why (mangaops journal show)' : undefined);
    return h;
  }
  const undone = new Set(histories.filter((h) => h.applied && h.undoOf !== undefined).map((h) => h.undoOf!));
  const candidates = histories.filter((h) => h.applied && h.undo && h.undoOf === undefined && !undone.has(h.step));
  const last = candidates.at(-1);
  if (!last) throw new UsageError(`incident ${incident} has no applied step left to undo`, `its steps: ${list}; name one: mangaops undo ${incident} <step>`);
  return last;
}

export async function undo(options: UndoOptions, io: Io, deps: ActDeps = {}): Promise<number> {
  const config = await configFor(options, io);
  return withTeam(openTeamFor(options, config, io), async (team) => {
    // An incident walked on another machine is fetched from the team table.
    const local = await localIncident(team, options.incident, io.env, io.now);
    // Locked before it is read: the step to undo and the next step number are read by one writer.
    const opened = await continueJournal(local.file, io, `mangaops undo ${options.incident}`, options.json);
    const ports = deps.ports ?? livePorts({ region: options.region, profile: options.profile, redisUrl: options.redisUrl, env: io.env, config });
    try {
      await trackContinued(team, local, opened.journal);
      const records = readJournal(local.file);
      const incident = records[0]?.incident ?? options.incident;
      const target = pickStep(stepHistories(records), options.step, incident);
      const u = target.undo!;
      const ctx = fixContext({ journal: opened, incident, ports, config, flags: options, io, seams: deps, team });
      screenOf(io, options.json).report.write(`Undoing step ${target.step} of ${incident}: ${target.text}\n`);
      const outcome = await runAction(u.action, u.params, ctx, { text: `undo step ${target.step}: ${u.text ?? target.text}`, undoOf: target.step });
      return reportOutcome(outcome, local.file, options.json, io);
    } finally {
      opened.release();
      await ports.close();
    }
  });
}
