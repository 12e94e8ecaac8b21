// Times as the CLI and the runbooks write them: durations (10m, 2h), and `--at <ISO time | -2h>`,
// the moment a live walk is evaluated as of (every probe's window then ends there instead of
// now). No SDK, no I/O: the CLI parses the flag before it decides to load anything.
import { UsageError } from './errors.js';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** CloudWatch keeps 1-hour datapoints for 455 days; nothing older can be replayed. */
const MAX_AGE_MS = 455 * UNIT_MS.d;

const OFFSET = /^-((?:\d+[smhd])+)$/;
const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Milliseconds of a duration like 90s, 10m, 2h, 7d, or a sum like 1h30m. */
export function durationMs(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([smhd])/g)) total += Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return total;
}

const HINT = 'give an ISO time such as 2026-03-04T20:15:00+09:00 (no zone = local time), or an offset from now such as -2h, -90m, -1d12h';

/** The moment `--at` names; a UsageError (exit 2) for anything else, the future, or beyond CloudWatch's 455 days. */
export function parseAt(text: string, now: Date): Date {
  const t = text.trim();
  let at: Date;
  const offset = OFFSET.exec(t);
  if (t === 'now') at = new Date(now.getTime());
  else if (offset) at = new Date(now.getTime() - durationMs(offset[1]!));
  else if (ISO.test(t) && !Number.isNaN(Date.parse(t.replace(' ', 'T')))) at = new Date(Date.parse(t.replace(' ', 'T')));
  else throw new UsageError(`--at "${text}" is not a time`, HINT);
  if (at.getTime() > now.getTime() + 60_000) {
    throw new UsageError(`--at ${at.toISOString()} is in the future`, 'replay a past moment, or leave --at out to evaluate now');
  }
  if (now.getTime() - at.getTime() > MAX_AGE_MS) {
    throw new UsageError(`--at ${at.toISOString()} is older than CloudWatch keeps metrics (455 days)`, HINT);
  }
  return at;
}

/** An instant as UTC ISO without milliseconds: 2026-03-04T11:15:00Z; '?' when unknown. */
export function fmtTime(t: Date | number | undefined): string {
  if (t === undefined) return '?';
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A span as an engineer says it: 45 min, 6 h, 5.5 h, 3 d. */
export function fmtSpan(ms: number): string {
  const minutes = ms / UNIT_MS.m;
  if (minutes < 90) return `${Math.max(0, Math.round(minutes))} min`;
  const hours = ms / UNIT_MS.h;
  if (hours < 48) return `${Number(hours.toFixed(hours < 10 ? 1 : 0))} h`;
  return `${Math.round(ms / UNIT_MS.d)} d`;
}

/** Milliseconds as hours, to a tenth: the value an age probe hands a rule. */
export function hoursOf(ms: number): number {
  return Math.round((ms / UNIT_MS.h) * 10) / 10;
}
