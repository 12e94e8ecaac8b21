// Option values as commander hands them to a command: checked here, so a bad one is a usage
// error (exit 2) naming the flag, before anything runs.
import { InvalidArgumentError } from '@commander-js/extra-typings';

/** A fraction: 0.15 or 15%. A bare number above 1 is refused — "15" would mean 1500 %. */
export function fraction(value: string): number {
  const text = value.trim();
  const pct = /^([0-9]*\.?[0-9]+)\s*%$/.exec(text);
  const n = pct ? Number(pct[1]) / 100 : Number(text);
  if (text === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('a fraction such as 0.15, or a percentage such as 15%');
  if (!pct && n > 1) throw new InvalidArgumentError(`write ${text}% or ${n / 100}`);
  return n;
}

/** Milliseconds, bounded: a deadline past what a timer can hold (24.8 days) would fire at once. */
function milliseconds(max: number, most: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0 || n > max) throw new InvalidArgumentError(`a positive whole number of milliseconds, at most ${max} (${most})`);
    return n;
  };
}

export const probeMs = milliseconds(600_000, '10 minutes');
export const stageMs = milliseconds(3_600_000, 'an hour');
export const verifyMs = milliseconds(86_400_000, 'a day');

/** `--wait` alone: five minutes for a lease someone else holds. */
export const DEFAULT_WAIT_SECONDS = 300;

/** Seconds to wait: a positive number, at most an hour (a lease is renewed, not waited out for days). */
export function waitSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a number of seconds, e.g. --wait 120 (--wait alone: 300)');
  if (n > 3600) throw new InvalidArgumentError('at most 3600 (an hour)');
  return n;
}

/** Seconds between two polls: at least 0.2, at most a minute. */
export function pollSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0.2 || n > 60) throw new InvalidArgumentError('seconds between 0.2 and 60');
  return n;
}

/** --watch-interval: 30s, 2m, or a bare number of seconds; from 1 s to an hour. */
export function interval(value: string): number {
  const text = value.trim();
  const m = /^(\d+)(s|m)?$/.exec(text);
  const ms = m ? Number(m[1]) * (m[2] === 'm' ? 60_000 : 1000) : NaN;
  if (!Number.isInteger(ms) || ms < 1000 || ms > 3_600_000) throw new InvalidArgumentError('a duration from 1s to 60m, such as 30s or 2m (a bare number is seconds)');
  return ms;
}
