// Time windows for `regress --before-window/--after-window`: `FROM..TO`, each end an ISO
// date-time ("2026-11-25T04:00:00Z"), a time relative to now ("-3h", "-90m", "-2d", "-30s"),
// or "now".
import { UsageError } from '../core/errors.js';

export interface Window {
  from: Date;
  to: Date;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

function parseEnd(text: string, now: number, flag: string, whole: string): Date {
  const t = text.trim();
  if (t === 'now') return new Date(now);
  const rel = /^-(\d+(?:\.\d+)?)([smhd])$/.exec(t);
  if (rel) return new Date(now - Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS]);
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$/.test(t)) {
    const ms = Date.parse(t);
    if (!Number.isNaN(ms)) return new Date(ms);
  }
  throw new UsageError(
    `${flag} ${JSON.stringify(whole)}: ${JSON.stringify(t)} is not a time`,
    'each end is an ISO date-time (2026-11-25T04:00:00Z), a time back from now (-3h, -90m, -2d, -30s) or "now"',
  );
}

/** Parse `FROM..TO` against `now` (ms since epoch); `flag` names the option in messages. */
export function parseWindow(text: string, now: number, flag = '--window'): Window {
  const parts = text.split('..');
  if (parts.length !== 2 || !parts[0]!.trim() || !parts[1]!.trim()) {
    throw new UsageError(`${flag} ${JSON.stringify(text)}: a window is FROM..TO`, 'for example -3h..-1h, -1h..now, or 2026-11-25T04:00:00Z..2026-11-25T05:00:00Z');
  }
  const from = parseEnd(parts[0]!, now, flag, text);
  const to = parseEnd(parts[1]!, now, flag, text);
  if (!(from.getTime() < to.getTime())) {
    throw new UsageError(`${flag} ${JSON.stringify(text)}: the window ends (${to.toISOString()}) before it starts (${from.toISOString()})`);
  }
  return { from, to };
}
