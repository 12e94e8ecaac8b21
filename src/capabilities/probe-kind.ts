// The contract every probe kind meets, and what a read gets. A probe kind is one registered
// object (capabilities/probes.ts): its schema in the runbooks, how its source reads on a card,
// the IAM reads it needs, how a drill case's value becomes its evidence, and the reader that
// fetches it live through its capability's port. Kinds that share a call share a reader: every
// metric and regress probe of a tree go out in one GetMetricData.
import { z } from 'zod';
import { deferred } from '../core/deferred.js';
import type { Evidence } from '../core/evidence.js';
import { durationMs, fmtTime } from '../core/time.js';
import type { IamReads } from './iam.js';
import type { Ports } from './ports.js';

/** A drill case's value for one probe: a series (`reduce` applies), a single value, no data, or before/after samples. */
export const SimulatedEvidence = deferred(() => z.union([
  z.number(),
  z.boolean(),
  z.string(),
  z.array(z.number()).min(1),
  z.strictObject({ nodata: z.string() }),
  z.strictObject({ error: z.string() }),
  /** Samples for a regression probe. */
  z.strictObject({ before: z.array(z.number()).min(1), after: z.array(z.number()).min(1) }),
]));
export type SimulatedEvidence = z.infer<typeof SimulatedEvidence>;

export interface ProbeRequest<P = unknown> {
  id: string;
  probe: P;
  timeoutMs: number;
}

/** Evidence promises keyed by probe id: what a reader hands the gather. */
export type Pending = Map<string, Promise<Evidence>>;

export interface ReadContext {
  ports: Ports;
  /** Every window ends here: now, or --at. */
  at: Date;
  /** The wall clock when the gather started (CloudWatch's retention rules count from it). */
  now: Date;
  /** A signal that aborts after `ms`, or sooner when the whole gather is abandoned. */
  signal(ms: number): AbortSignal;
  /** A daylight check of the permissions (`diagnose --preflight`): a read may stop once each call has answered. */
  preflight?: boolean;
}

export interface Reader<P = unknown> {
  /** Start reading every request; each promise settles with that probe's evidence. Never rejects but for credentials. */
  read(requests: ProbeRequest<P>[], ctx: ReadContext): Pending;
}

export interface ProbeKind<S extends z.ZodObject = z.ZodObject> {
  readonly kind: string;
  readonly schema: S;
  /** Where the value comes from, in one line for the card. */
  describe(probe: z.output<S>): string;
  /** The IAM actions the read makes, on the resources the probe names. */
  iamReads(probe: z.output<S>, iam: IamReads): void;
  /** A drill case's value (or its absence) as this kind's evidence. */
  simulate(probe: z.output<S>, sim: SimulatedEvidence | undefined): Evidence;
  /** Reads this kind live; probes whose kinds share a reader are read together. */
  readonly reader: Reader<z.output<S>>;
  /**
   * For `diagnose --preflight`: the probe as preflight reads it (CloudWatch looks back a day,
   * so a quiet metric is not mistaken for a typo) and what its evidence says beyond the calls
   * that answered (no datapoints in a day: "not found").
   */
  preflight?: { widen?(probe: z.output<S>): z.output<S>; judge?(evidence: Evidence): { status: 'not found'; detail: string } | undefined };
}

/** Declares a probe kind with its probe type inferred from the schema. */
export function defineProbeKind<S extends z.ZodObject>(kind: ProbeKind<S>): ProbeKind<S> {
  return kind;
}

/** Common to every probe in a runbook. */
export const probeCommon = {
  /** Human name shown on the evidence card. */
  label: deferred(() => z.string().optional()),
  /** Per-probe timeout; the walk default is 3 s. */
  timeoutMs: deferred(() => z.number().int().positive().optional()),
  unit: deferred(() => z.string().optional()),
  /**
   * Where the value is healthy, e.g. "<= 5": marks the card ✓ / ✗. Without it, a rule that
   * compares the probe is read as naming the problem (`> 1500` → healthy ≤ 1500).
   */
  healthy: deferred(() => z
    .string()
    .regex(/^\s*(<=|>=|<|>|==|!=)\s*\S.*$/, 'a comparison such as "<= 5" or "== true"')
    .optional()),
};

/** A duration such as 30s, 10m, 2h, 7d. */
export const duration = deferred(() => z.string().regex(/^\d+[smhd]$/, 'a duration like 90s, 10m, 2h or 7d'));

/** A drill value for a kind whose value is one number, boolean or string. */
export function simulateScalar(sim: SimulatedEvidence | undefined): Evidence {
  if (sim === undefined) return { status: 'nodata', reason: 'the drill case gives no value' };
  if (typeof sim === 'number' || typeof sim === 'boolean' || typeof sim === 'string') return { status: 'ok', value: sim };
  if (Array.isArray(sim)) return { status: 'ok', value: sim[sim.length - 1]!, datapoints: sim.map((v) => ({ v })) };
  if ('nodata' in sim) return { status: 'nodata', reason: sim.nodata };
  if ('error' in sim) return { status: 'error', reason: sim.error };
  return { status: 'error', reason: 'before/after samples only fit a regress probe' };
}

// ── windows ─────────────────────────────────────────────────────────────────────────

/** More than this before now, --at is a replay: state read "now" is not the state "then". */
const REPLAY_SLACK_MS = 5 * 60_000;

export function isReplay(ctx: Pick<ReadContext, 'at' | 'now'>): boolean {
  return ctx.now.getTime() - ctx.at.getTime() > REPLAY_SLACK_MS;
}

export function windowStart(ctx: Pick<ReadContext, 'at'>, window: string): Date {
  return new Date(ctx.at.getTime() - durationMs(window));
}

/** "in the last 10m", or "in the 10m before 2026-03-04T11:15:00Z" for a replay. */
export function windowText(ctx: Pick<ReadContext, 'at' | 'now'>, window: string): string {
  return isReplay(ctx) ? `in the ${window} before ${fmtTime(ctx.at)}` : `in the last ${window}`;
}
