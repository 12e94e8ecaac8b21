// Descriptive statistics for the comparison table: percentiles as numpy computes them by
// default, the relative change, and Cliff's delta as the effect size.

/** An ascending copy, as a typed array (its numeric sort is much faster than Array#sort). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of an ascending, non-empty sample by linear interpolation
 * between closest ranks: numpy's default (`method='linear'`, Hyndman & Fan type 7), including
 * numpy's two-sided lerp, which keeps the result exact at either end of the interval.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty sample');
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const t = h - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

/** n, mean and p50/p95/p99 of an ascending, non-empty sample. */
export function summarize(sorted: ArrayLike<number>): Summary {
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
  return {
    n: sorted.length,
    mean: sum / sorted.length,
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
  };
}

/** (after − before) / before: 0.33 is +33 %. Null when before is 0 (no meaningful ratio). */
export function relativeChange(before: number, after: number): number | null {
  if (before === 0) return after === 0 ? 0 : null;
  return (after - before) / Math.abs(before);
}

/**
 * Cliff's delta of x over y, P(x > y) − P(x < y), from x's Mann-Whitney U: 2U/(n1·n2) − 1.
 * It equals the rank-biserial correlation. +1: every after sample is slower than every before.
 */
export function cliffsDelta(u: number, n1: number, n2: number): number {
  return (2 * u) / (n1 * n2) - 1;
}

export type Magnitude = 'negligible' | 'small' | 'medium' | 'large';

/** Romano et al. (2006) thresholds for |delta|: 0.147, 0.33, 0.474. */
export function deltaMagnitude(delta: number): Magnitude {
  const d = Math.abs(delta);
  if (d < 0.147) return 'negligible';
  if (d < 0.33) return 'small';
  if (d < 0.474) return 'medium';
  return 'large';
}
