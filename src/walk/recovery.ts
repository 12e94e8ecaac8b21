// The recovery watch: after a fix is applied, did the symptom come back to its healthy side?
// It re-reads the outcome's recovery probes once per interval — one batched read per poll, so
// every CloudWatch probe of the condition goes out in one GetMetricData — and ends one of three
// ways, within the outcome's window:
//   recovered      every probe on its healthy side at two polls in a row (or at the window's
//                  last poll); `after` is when they came back
//   worse          a probe further from its healthy side than at the fix by more than 10 % of
//                  the value at the fix (or of the threshold, if larger), two polls in a row
//   not-recovered  the window ran out
// The clock and its sleep are injected: a drill's world passes simulated minutes in no time,
// tests pass a fake clock, and every poll is bounded by the window (a frozen clock still ends
// after the window's number of polls).
import type { ProbeRequest } from '../capabilities/probe-kind.js';
import type { EvidenceMap, Value } from '../core/evidence.js';
import type { Events, RecoveryReading, RecoveryResult } from '../events/events.js';
import type { RecoverySpec } from '../runbook/recovery.js';
import { isHealthy } from '../runbook/rules.js';
import type { Probe, Runbook } from '../runbook/schema.js';
import type { EvidenceSource } from './sources.js';

/** The default time between two polls (--watch-interval). */
export const DEFAULT_WATCH_INTERVAL_MS = 60_000;
/** "Worse": this fraction of the value at the fix (or of the threshold, if larger) further from healthy. */
export const WORSE_MARGIN = 0.1;
/** Polls in a row that must agree before the watch says recovered or worse. */
const CONFIRM = 2;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface WatchRequest {
  runbook: Runbook;
  spec: RecoverySpec;
  /** The fix watched, and when it was applied on `clock`. */
  fix: { step: number; action: string; outcome: string; fixAt: number };
  /** One batched read of the given probes. */
  read(ids: string[]): Promise<EvidenceMap>;
  clock: Clock;
  intervalMs: number;
  events: Events;
  simulated: boolean;
  /** The values at the fix, when re-attaching to a watch the journal recorded. */
  atFix?: Record<string, Value | undefined>;
}

/** How much further from healthy `v` is than the threshold (positive: on the unhealthy side). */
function away(r: Pick<RecoveryReading, 'op' | 'value'>, v: number): number {
  const threshold = r.value as number;
  return r.op === '<' || r.op === '<=' ? v - threshold : threshold - v;
}

const ordered = (r: Pick<RecoveryReading, 'op' | 'value'>) => typeof r.value === 'number' && ['<', '<=', '>', '>='].includes(r.op);

/** Further from healthy than at the fix, by more than the margin. */
export function isWorse(r: RecoveryReading): boolean {
  if (r.healthy || !ordered(r) || typeof r.atFix !== 'number' || typeof r.last !== 'number') return false;
  const margin = WORSE_MARGIN * Math.max(Math.abs(r.atFix), Math.abs(r.value as number));
  return away(r, r.last) - away(r, r.atFix) > margin;
}

function readingsOf(rb: Runbook, spec: RecoverySpec): RecoveryReading[] {
  return spec.conditions.map((c) => {
    const p = rb.probes[c.probe] as (Probe & { unit?: string; label?: string }) | undefined;
    return { probe: c.probe, label: p?.label ?? c.probe, ...(p?.unit && { unit: p.unit }), op: c.op, value: c.value, values: [], healthy: false };
  });
}

function update(r: RecoveryReading, evidence: EvidenceMap, atFix: Value | undefined): void {
  const e = evidence[r.probe];
  if (!e || e.status !== 'ok') {
    delete r.last;
    r.reason = e ? e.reason : 'not read';
    r.healthy = false;
    return;
  }
  delete r.reason;
  r.last = e.value;
  r.atFix ??= atFix ?? e.value;
  if (typeof e.value === 'number') r.values.push(e.value);
  r.healthy = isHealthy(e.value, { op: r.op, value: r.value });
}

const copy = (rs: RecoveryReading[]): RecoveryReading[] => rs.map((r) => ({ ...r, values: [...r.values] }));

export async function watchRecovery(w: WatchRequest): Promise<RecoveryResult> {
  const { spec, fix, clock } = w;
  const readings = readingsOf(w.runbook, spec);
  const ids = [...new Set(readings.map((r) => r.probe))];
  const deadline = fix.fixAt + spec.withinMs;
  // A clock that does not move (or moves slower than the sleeps) still ends: no more polls than the window holds.
  const maxPolls = Math.ceil(spec.withinMs / w.intervalMs) + 1;
  let polls = 0;
  let healthyRun = 0;
  let healthySince = 0;
  let worseRun = 0;
  const end = (status: RecoveryResult['status'], afterMs: number): RecoveryResult => ({
    status,
    after: Math.max(0, Math.round(afterMs / 1000)),
    step: fix.step,
    action: fix.action,
    outcome: fix.outcome,
    within: spec.withinMs / 1000,
    polls,
    simulated: w.simulated,
    probes: copy(readings),
    fixAt: fix.fixAt,
  });
  for (;;) {
    const evidence = await w.read(ids);
    polls++;
    const t = clock.now();
    const elapsed = t - fix.fixAt;
    for (const r of readings) update(r, evidence, w.atFix?.[r.probe]);
    if (polls === 1) {
      w.events.emit({ type: 'recovery.started', ...fix, withinMs: spec.withinMs, intervalMs: w.intervalMs, simulated: w.simulated, from: spec.from, probes: copy(readings) });
    }
    const healthy = readings.every((r) => r.healthy);
    w.events.emit({ type: 'recovery.poll', step: fix.step, action: fix.action, elapsedMs: elapsed, probes: copy(readings), healthy });
    if (healthy) {
      if (healthyRun++ === 0) healthySince = elapsed;
    } else healthyRun = 0;
    worseRun = readings.some(isWorse) ? worseRun + 1 : 0;
    const last = t >= deadline || polls >= maxPolls;
    if (healthyRun >= CONFIRM || (healthy && last)) return end('recovered', healthySince);
    if (worseRun >= CONFIRM) return end('worse', elapsed);
    if (last) return end('not-recovered', Math.max(elapsed, spec.withinMs));
    await clock.sleep(Math.max(1, Math.min(w.intervalMs, deadline - t)));
  }
}

/** A live source read as the watch reads it: the given probes of the tree, one gather per poll. */
export function sourceReader(rb: Runbook, source: EvidenceSource, timeoutMs?: number): (ids: string[]) => Promise<EvidenceMap> {
  return (ids) => source.gather(ids.map((id): ProbeRequest<Probe> => ({ id, probe: rb.probes[id]!, timeoutMs: timeoutMs ?? 0 })));
}

/** The process's clock (io.now), and its sleep (io.sleep in tests, a timer otherwise). */
export function realClock(now: () => number, sleep?: (ms: number) => Promise<void>): Clock {
  return { now, sleep: sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms))) };
}
