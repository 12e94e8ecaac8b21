// The Mann-Whitney U test, written to give what `scipy.stats.mannwhitneyu(x, y, alternative,
// method)` gives (use_continuity=True), with x = the "after" sample and y = "before": U is
// x's statistic, "greater" means x is stochastically larger (after is slower).
//
// Cost: one sort of each sample (which describe.ts needs anyway for its percentiles) and one
// merge pass over the two sorted arrays; the merge is the rank step of one sort of the pooled
// samples, done in O(n) because its halves are already sorted. O(n log n) overall.
import erfc from '@stdlib/math-base-special-erfc';
import { UsageError } from '../core/errors.js';

export const alternatives = ['two-sided', 'greater', 'less'] as const;
export type Alternative = (typeof alternatives)[number];
export const methods = ['auto', 'exact', 'asymptotic'] as const;
export type Method = (typeof methods)[number];

export interface MannWhitneyOptions {
  /** Default 'two-sided', as in SciPy; the commands default to 'greater'. */
  alternative?: Alternative;
  /** Default 'auto': SciPy's rule, see chooseMethod(). */
  method?: Method;
  /** The ±0.5 continuity correction of the normal approximation; default true, as in SciPy. */
  continuity?: boolean;
}

export interface MannWhitneyResult {
  /** U of x: pairs (x, y) with x > y, plus half the pairs with x = y. SciPy's `statistic`. */
  u: number;
  pValue: number;
  /** The method actually used (auto resolved). */
  method: 'exact' | 'asymptotic';
  alternative: Alternative;
  n1: number;
  n2: number;
  /** Any value occurring more than once in the pooled samples. */
  ties: boolean;
  /** The standardised statistic, continuity-corrected; asymptotic only. */
  z?: number;
}

/** Rank statistics of two sorted samples from one merge pass. */
export interface RankSums {
  u: number;
  /** Σ (t³ − t) over groups of t equal values in the pooled samples. */
  tieTerm: number;
  ties: boolean;
}

/**
 * U of x and the tie term, from x and y each sorted ascending (no NaN). U counts pairs
 * directly (x above y, halves for equal values) instead of summing average ranks, so it is
 * exact in floating point: every term is an integer or a half.
 */
export function rankSums(xs: ArrayLike<number>, ys: ArrayLike<number>): RankSums {
  const n1 = xs.length;
  const n2 = ys.length;
  let i = 0;
  let j = 0;
  let u = 0;
  let tieTerm = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && xs[i]! <= ys[j]!) ? xs[i]! : ys[j]!;
    let a = 0;
    while (i < n1 && xs[i] === v) { a++; i++; }
    let b = 0;
    while (j < n2 && ys[j] === v) { b++; j++; }
    // j − b values of y lie strictly below v.
    u += a * (j - b) + 0.5 * a * b;
    const t = a + b;
    if (t > 1) tieTerm += t * t * t - t;
  }
  return { u, tieTerm, ties: tieTerm > 0 };
}

/**
 * SciPy's `method='auto'` rule, as in scipy/stats/_mannwhitneyu.py `_mwu_choose_method`
 * (unchanged from SciPy 1.7, where `method` was introduced, to the current release):
 *   if n1 > 8 and n2 > 8: asymptotic;  elif any ties in the pooled data: asymptotic;  else exact.
 * (The 1.7–1.10 docstring says "less than 8"; the code, and later docstrings, say "<= 8".)
 */
export function chooseMethod(n1: number, n2: number, ties: boolean): 'exact' | 'asymptotic' {
  if (n1 > 8 && n2 > 8) return 'asymptotic';
  return ties ? 'asymptotic' : 'exact';
}

/**
 * Upper tail of the standard normal, P(Z ≥ z) = erfc(z/√2)/2. erfc comes from stdlib-js
 * (@stdlib/math-base-special-erfc, a port of FreeBSD's msun erfc, accurate to about 1 ulp and
 * maintained): computing it as 1 − Φ(z) would lose every digit of a p-value below 1e-16.
 */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** P-value by the tie-corrected normal approximation with continuity correction (SciPy's). */
function asymptoticP(u1: number, n1: number, n2: number, tieTerm: number, alternative: Alternative, continuity: boolean) {
  const n = n1 + n2;
  const mu = (n1 * n2) / 2;
  const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  // One value repeated across both samples: no variance, no evidence either way.
  if (!(s > 0)) return { pValue: 1, z: 0 };
  const u2 = n1 * n2 - u1;
  const u = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2);
  // Subtracting 0.5 always moves the statistic towards the mean: the survival function then
  // includes the rest of the probability mass at U, as the discrete distribution does.
  const z = (u - mu - (continuity ? 0.5 : 0)) / s;
  const factor = alternative === 'two-sided' ? 2 : 1;
  return { pValue: Math.min(1, factor * normalSf(z)), z };
}

/** Largest exact null distribution we build: about 2e8 additions and a 160 MB array. */
const EXACT_MAX_WORK = 2e8;
const EXACT_MAX_HALF = 2e7;

/**
 * Counts of the exact null distribution of U for sizes m ≤ n, for U = 0…⌊mn/2⌋ (the other
 * half is its mirror image), scaled by a common factor. Written here because no maintained npm
 * package computes it (jStat and simple-statistics have no Mann-Whitney exact distribution).
 *
 * The generating function of U is the Gaussian binomial coefficient
 *   [m+n choose m]_q = Π_{i=1..m} (1 − q^(n+i)) / (1 − q^i)
 * (Mann & Whitney 1947; the multiply-then-divide update is Harding's, Applied Statistics
 * 33:1, 1984, "An efficient, minimal-storage procedure for calculating the Mann-Whitney U,
 * generalized Wilcoxon and related distributions"). After step i the array holds
 * [n+i choose i]_q, so every intermediate is a true distribution: O(m · mn) time, O(mn)
 * memory, against SciPy's O((mn)²) recurrence. Doubles, rescaled when they grow past 1e250,
 * so sizes whose C(m+n, m) overflows still work.
 */
function exactCounts(m: number, n: number): Float64Array {
  const half = Math.floor((m * n) / 2);
  const c = new Float64Array(half + 1);
  c[0] = 1;
  for (let i = 1; i <= m; i++) {
    const shift = n + i;
    for (let k = half; k >= shift; k--) c[k]! -= c[k - shift]!;
    let max = 0;
    for (let k = i; k <= half; k++) {
      c[k]! += c[k - i]!;
      if (c[k]! > max) max = c[k]!;
    }
    if (max > 1e250) for (let k = 0; k <= half; k++) c[k]! *= 1e-250;
  }
  return c;
}

/** P(U ≥ u) under the null, from the exact distribution (no tie correction, as SciPy). */
export function exactSf(u: number, n1: number, n2: number): number {
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  const mn = m * n;
  const half = Math.floor(mn / 2);
  if (m * half > EXACT_MAX_WORK || half > EXACT_MAX_HALF) {
    throw new UsageError(
      `the exact Mann-Whitney distribution for ${n1} × ${n2} samples is too large to compute here`,
      'use --method asymptotic (or auto) for samples this large',
    );
  }
  // SciPy casts U to an integer (truncation) for the exact test; U has a half only with ties.
  const k = Math.trunc(u);
  if (k <= 0) return 1;
  if (k > mn) return 0;
  const c = exactCounts(m, n);
  let total = 0;
  for (let j = 0; j <= half; j++) total += c[j]!;
  // Mirror: counts above the middle repeat those below it.
  total = 2 * total - (mn % 2 === 0 ? c[half]! : 0);
  let tail = 0;
  if (mn - k < k) {
    // P(U ≥ k) = P(U ≤ mn − k): sum the short lower tail directly.
    for (let j = 0; j <= mn - k; j++) tail += c[j]!;
    return tail / total;
  }
  // k is at or below the middle: P(U ≥ k) = 1 − P(U ≤ k − 1).
  for (let j = 0; j <= k - 1; j++) tail += c[j]!;
  return 1 - tail / total;
}

/**
 * The smallest p-value any outcome could give with these sizes: the exact probability of the
 * most extreme arrangement, 1/C(n1+n2, n1), doubled when two-sided. When it is not below α,
 * no data of this size could ever show a difference: too few samples to decide.
 */
export function minAttainablePValue(n1: number, n2: number, alternative: Alternative): number {
  const m = Math.min(n1, n2);
  let c = 1;
  for (let i = 1; i <= m && c < 1e300; i++) c = (c * (Math.max(n1, n2) + i)) / i;
  return Math.min(1, (alternative === 'two-sided' ? 2 : 1) / c);
}

function checkSample(name: string, values: ArrayLike<number>) {
  if (values.length === 0) throw new UsageError(`Mann-Whitney U needs at least one ${name} sample`);
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) throw new UsageError(`${name} sample ${i + 1} is NaN`);
  }
}

/** The test on samples already sorted ascending (as describe.ts's sortedCopy() gives them). */
export function mannWhitneyUSorted(xs: ArrayLike<number>, ys: ArrayLike<number>, options: MannWhitneyOptions = {}): MannWhitneyResult {
  checkSample('x', xs);
  checkSample('y', ys);
  const alternative = options.alternative ?? 'two-sided';
  const n1 = xs.length;
  const n2 = ys.length;
  const { u, tieTerm, ties } = rankSums(xs, ys);
  const requested = options.method ?? 'auto';
  const method = requested === 'auto' ? chooseMethod(n1, n2, ties) : requested;
  if (method === 'exact') {
    const u2 = n1 * n2 - u;
    const stat = alternative === 'greater' ? u : alternative === 'less' ? u2 : Math.max(u, u2);
    const factor = alternative === 'two-sided' ? 2 : 1;
    return { u, pValue: Math.min(1, factor * exactSf(stat, n1, n2)), method, alternative, n1, n2, ties };
  }
  const { pValue, z } = asymptoticP(u, n1, n2, tieTerm, alternative, options.continuity ?? true);
  return { u, pValue, method, alternative, n1, n2, ties, z };
}

/** The test on unsorted samples: x is tested against y (x = after, y = before). */
export function mannWhitneyU(x: ArrayLike<number>, y: ArrayLike<number>, options: MannWhitneyOptions = {}): MannWhitneyResult {
  return mannWhitneyUSorted(Float64Array.from(x).sort(), Float64Array.from(y).sort(), options);
}
