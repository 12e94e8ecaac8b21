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

/** Milliseconds a wait may take: a whole number, at most a day (a longer "timeout" is a typo). */
export function positiveMs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('a positive whole number of milliseconds');
  if (n > 86_400_000) throw new InvalidArgumentError('at most 86400000 (a day)');
  return n;
}

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
