// The incident journal's records: one JSON object per line, appended as things happen, and
// read back through this schema, so a hand-edited or foreign line is named, not trusted.
import { z } from 'zod';
import '../core/zod-jitless.js';

const at = z.string();
const base = { at, incident: z.string() };
const by = z.enum(['evidence', 'human', 'override']);
const stepStatus = z.enum(['offered', 'planned', 'declined', 'confirmed', 'applied', 'verified', 'failed', 'skipped']);
const evidence = z.record(
  z.string(),
  z.union([
    z.object({
      status: z.literal('ok'),
      value: z.union([z.number(), z.boolean(), z.string()]),
      datapoints: z.array(z.object({ t: z.number().optional(), v: z.number() })).optional(),
      partial: z.boolean().optional(),
      detail: z.string().optional(),
    }),
    z.object({ status: z.enum(['nodata', 'error']), reason: z.string() }),
  ]),
);

export const StartRecord = z.object({
  ...base,
  type: z.literal('start'),
  mode: z.enum(['diagnose', 'drill', 'act']),
  runbook: z.string(),
  runbookFile: z.string(),
  /** sha256 of the runbook file: resume refuses when it changed. */
  runbookHash: z.string(),
  who: z.string(),
  host: z.string(),
  /** The evidence source: "AWS ap-northeast-1 (profile prod)", "drill case cold-connections". */
  source: z.string(),
  drillCase: z.string().optional(),
  options: z.record(z.string(), z.unknown()),
});

export const EvidenceRecord = z.object({ ...base, type: z.literal('evidence'), evidence, ms: z.number() });

const NodeRecord = z.object({
  ...base,
  type: z.literal('node'),
  node: z.string(),
  nodeType: z.enum(['step', 'decision', 'outcome']),
  text: z.string(),
  /** For decisions: the branch taken and who chose it. */
  answer: z.string().optional(),
  by: by.optional(),
  /** The branch the evidence picked, when the human overruled it. */
  suggested: z.string().optional(),
  /** In a drill run with --auto, the case's own answer stood in for the human. */
  answeredBy: z.enum(['drill case', '--answer']).optional(),
  reason: z.string().optional(),
});

export const StepRecord = z.object({
  ...base,
  type: z.literal('step'),
  /** Sequence number within the incident, 1-based: `mangaops undo <incident> <step>`. */
  step: z.number().int().positive(),
  node: z.string().optional(),
  text: z.string(),
  action: z.string().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  status: stepStatus,
  /** What the plan said: changes, calls, equivalent CLI, undo. */
  plan: z.unknown().optional(),
  /** The before-snapshot, calls made, result. */
  detail: z.unknown().optional(),
  /** How to undo what was applied: an action and its params. */
  undo: z.object({ action: z.string(), params: z.record(z.string(), z.unknown()), text: z.string().optional() }).optional(),
  error: z.string().optional(),
  changed: z.array(z.string()).optional(),
  unchanged: z.array(z.string()).optional(),
  ms: z.number().optional(),
});

const EndRecord = z.object({
  ...base,
  type: z.literal('end'),
  status: z.enum(['resolved', 'stopped', 'aborted', 'needs-human', 'failed']),
  outcome: z.string().optional(),
  outcomeTitle: z.string().optional(),
  message: z.string().optional(),
  /** Drills: the score. */
  score: z.unknown().optional(),
  ms: z.number(),
});

const value = z.union([z.number(), z.boolean(), z.string()]);

/** The recovery watch after a fix: `watching` from its first poll, then how it ended. */
export const RecoveryRecord = z.object({
  ...base,
  type: z.literal('recovery'),
  /** The fix watched. */
  step: z.number().int().positive(),
  action: z.string(),
  outcome: z.string(),
  status: z.enum(['watching', 'recovered', 'not-recovered', 'worse']),
  /** Seconds after the fix (ended records). */
  after: z.number().optional(),
  /** The window, seconds. */
  within: z.number(),
  interval: z.number().optional(),
  polls: z.number().optional(),
  simulated: z.boolean().optional(),
  /** When the fix was applied, on the watch's clock. */
  fixAt: z.string().optional(),
  probes: z.array(
    z.object({
      probe: z.string(),
      label: z.string().optional(),
      unit: z.string().optional(),
      op: z.enum(['>', '>=', '<', '<=', '==', '!=']),
      value,
      atFix: value.optional(),
      last: value.optional(),
      values: z.array(z.number()).optional(),
    }),
  ),
});

const ResumeRecord = z.object({
  ...base,
  type: z.literal('resume'),
  who: z.string(),
  host: z.string(),
  /** Taken over from a live driver (--take): the reason given and who drove. */
  take: z.object({ reason: z.string(), from: z.string() }).optional(),
});

// The team's records (src/team/): leases on what a step changes, approvals, handovers.
const holder = z.object({ holder: z.string(), incident: z.string(), step: z.number(), action: z.string(), since: z.string(), until: z.string() });

export const LeaseRecord = z.object({
  ...base,
  type: z.literal('lease'),
  status: z.enum(['taken', 'waiting', 'refused', 'released', 'lost', 'unlocked']),
  step: z.number().int().positive(),
  action: z.string(),
  /** The lease key (`ecs:<cluster>/<service>`) and its human name. */
  resource: z.string(),
  name: z.string(),
  by: z.string(),
  until: z.string().optional(),
  heldBy: holder.optional(),
  message: z.string().optional(),
});

const approval = z.object({ by: z.string(), at: z.string(), step: z.number(), note: z.string().optional() });

export const ApprovalRecord = z.object({
  ...base,
  type: z.literal('approval'),
  /** requested: the step waits (exit 3); approved: one engineer approved it; granted: it goes on. */
  status: z.enum(['requested', 'approved', 'granted']),
  step: z.number().int().positive(),
  action: z.string(),
  needed: z.number().int().nonnegative(),
  /** Who planned it (requested), approved it (approved), or applies it (granted). */
  by: z.string(),
  approvals: z.array(approval),
  note: z.string().optional(),
  message: z.string().optional(),
});

export const HandoverRecord = z.object({ ...base, type: z.literal('handover'), from: z.string(), to: z.string(), note: z.string().optional() });

export const JournalRecord = z.discriminatedUnion('type', [StartRecord, EvidenceRecord, NodeRecord, StepRecord, EndRecord, ResumeRecord, LeaseRecord, ApprovalRecord, HandoverRecord, RecoveryRecord]);

export type StartRecord = z.infer<typeof StartRecord>;
export type EvidenceRecord = z.infer<typeof EvidenceRecord>;
export type NodeRecord = z.infer<typeof NodeRecord>;
export type StepRecord = z.infer<typeof StepRecord>;
export type EndRecord = z.infer<typeof EndRecord>;
export type ResumeRecord = z.infer<typeof ResumeRecord>;
export type LeaseRecord = z.infer<typeof LeaseRecord>;
export type ApprovalRecord = z.infer<typeof ApprovalRecord>;
export type HandoverRecord = z.infer<typeof HandoverRecord>;
export type RecoveryRecord = z.infer<typeof RecoveryRecord>;
export type JournalRecord = z.infer<typeof JournalRecord>;
/** What a writer appends: the journal stamps `at` and `incident`. */
export type NewRecord = JournalRecord extends infer R ? (R extends JournalRecord ? Omit<R, 'at' | 'incident'> : never) : never;

/** One line of a journal, checked against the record schema (journal.ts loads this module only then). */
export function parseRecord(json: unknown): ReturnType<typeof JournalRecord.safeParse> {
  return JournalRecord.safeParse(json);
}
