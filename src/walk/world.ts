// A drill's world that reacts: the case's evidence, moved by the effects of the fixes confirmed
// in it, on a simulated clock. Nothing here calls anything: the runner still stops a drill's fix
// after its plan, and it is the world — told that the fix was confirmed — that moves the probes
// the case says it moves. A probe's series grows by one point per period of simulated time
// (a 60 s metric a point a minute, an hourly one an hour) and keeps its length, as a window
// sliding forward would; each kind's own `simulate` turns it into evidence, as at the start.
import { kindOf, type Probe } from '../capabilities/probes.js';
import type { EvidenceMap } from '../core/evidence.js';
import { durationMs } from '../core/time.js';
import type { DrillCase, Effect, Move, Runbook, SimulatedEvidence } from '../runbook/schema.js';
import type { Clock } from './recovery.js';

const MINUTE = 60_000;

/** A clock that only moves when slept on: simulated minutes pass in no time. */
export class SimClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.t += ms;
  }
}

interface Segment {
  step: number;
  start: number;
  /** The value when it started; undefined for a probe that had no data. */
  from?: number;
  move: Move;
}

/** Whether the fix's parameters include everything the effect asks for (objects key by key). */
export function paramsMatch(wanted: unknown, given: unknown): boolean {
  if (wanted !== null && typeof wanted === 'object' && !Array.isArray(wanted)) {
    if (given === null || typeof given !== 'object') return false;
    return Object.entries(wanted).every(([k, v]) => paramsMatch(v, (given as Record<string, unknown>)[k]));
  }
  if (Array.isArray(wanted)) return Array.isArray(given) && wanted.length === given.length && wanted.every((v, i) => paramsMatch(v, given[i]));
  // "10" and 10 are the same setting in an env var or a YAML param.
  return String(wanted) === String(given);
}

function spanOf(move: Move): number {
  return 'to' in move ? durationMs(move.over) : move.series.length * MINUTE;
}

/** Where a segment has taken its probe by `t`. */
function valueOn(seg: Segment, t: number): number | undefined {
  const dt = t - seg.start;
  if ('series' in seg.move) return seg.move.series[Math.min(Math.floor(dt / MINUTE), seg.move.series.length - 1)];
  const over = durationMs(seg.move.over);
  if (seg.from === undefined) return dt >= over ? seg.move.to : undefined;
  return seg.from + (seg.move.to - seg.from) * Math.min(1, over === 0 ? 1 : dt / over);
}

export class DrillWorld {
  readonly clock: SimClock;
  private readonly start: number;
  private readonly segments = new Map<string, Segment[]>();

  constructor(
    private readonly runbook: Runbook,
    private readonly drill: DrillCase,
    start: number,
  ) {
    this.start = start;
    this.clock = new SimClock(start);
  }

  /** The case's value for a probe before any fix: the last of its series, or its scalar. */
  private base(probe: string): number | undefined {
    const sim = this.drill.evidence[probe];
    if (typeof sim === 'number') return sim;
    if (Array.isArray(sim)) return sim[sim.length - 1];
    return undefined;
  }

  private valueAt(probe: string, t: number): number | undefined {
    const segs = (this.segments.get(probe) ?? []).filter((s) => s.start <= t);
    const seg = segs[segs.length - 1];
    return seg ? valueOn(seg, t) : this.base(probe);
  }

  /** The effects the case declares for this fix. */
  effectsOf(action: string, params: Record<string, unknown>): Effect[] {
    return this.drill.effects.filter((e) => e.action === action && (!e.params || paramsMatch(e.params, params)));
  }

  /** A fix confirmed now (or at `at`): each of its effects starts moving its probes. */
  apply(step: number, action: string, params: Record<string, unknown>, at?: number): Effect[] {
    const now = at ?? this.clock.now();
    const effects = this.effectsOf(action, params);
    for (const effect of effects) {
      for (const [probe, move] of Object.entries(effect.moves)) {
        const segs = this.segments.get(probe) ?? [];
        segs.push({ step, start: now, from: this.valueAt(probe, now), move });
        this.segments.set(probe, segs);
      }
    }
    return effects;
  }

  /** The fix of `step` undone now: each probe it moved goes back to where it was, as fast as it moved. */
  undo(step: number): void {
    const now = this.clock.now();
    for (const [probe, segs] of this.segments) {
      const moved = segs.find((s) => s.step === step);
      if (!moved || moved.from === undefined) continue;
      segs.push({ step, start: now, from: this.valueAt(probe, now), move: { to: moved.from, over: `${Math.max(1, Math.round(spanOf(moved.move) / 1000))}s` } });
    }
  }

  /** The probes as the case's evidence would read them now. */
  read(ids: string[]): EvidenceMap {
    const now = this.clock.now();
    return Object.fromEntries(ids.map((id) => [id, this.evidence(id, now)]));
  }

  private evidence(id: string, now: number) {
    const probe = this.runbook.probes[id]! as Probe;
    const sim = this.drill.evidence[id];
    const moved = this.segments.has(id);
    const kind = kindOf(probe);
    if (!moved) return kind.simulate(probe, sim);
    if (Array.isArray(sim) || probe.kind === 'metric') {
      const series = Array.isArray(sim) ? sim : [];
      const period = ('period' in probe && typeof probe.period === 'number' ? probe.period : 60) * 1000;
      const grown: number[] = [...series];
      for (let t = this.start + period; t <= now; t += period) {
        const v = this.valueAt(id, t);
        if (v !== undefined) grown.push(v);
      }
      if (grown.length === 0) return kind.simulate(probe, sim);
      return kind.simulate(probe, grown.slice(-Math.max(1, series.length)) as SimulatedEvidence);
    }
    const v = this.valueAt(id, now);
    return kind.simulate(probe, v ?? sim);
  }
}
