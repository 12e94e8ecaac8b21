// Before vs after: percentiles, the Mann-Whitney test, the effect size and the seed's severity
// rules, in one place, so `regress`, `gate` and the runbook's regress probe judge alike.
import { UsageError } from '../core/errors.js';
import { cliffsDelta, deltaMagnitude, relativeChange, sortedCopy, summarize, type Magnitude, type Summary } from './describe.js';
import { mannWhitneyUSorted, minAttainablePValue, type Alternative, type MannWhitneyResult, type Method } from './mannwhitney.js';

export interface CompareOptions {
  /** Default 'greater': after is slower (stochastically larger). */
  alternative?: Alternative;
  method?: Method;
  /** Significance level; default 0.05 (the seed's "p-value < 0.05"). */
  alpha?: number;
}

export interface Comparison {
  before: Summary;
  after: Summary;
  /** After tested against before: `test.u` is the after sample's U. */
  test: MannWhitneyResult;
  alpha: number;
  significant: boolean;
  /** Which way the after sample leans: U above n1·n2/2 means after tends to be slower. */
  direction: 'slower' | 'faster' | 'same';
  /** Cliff's delta of after over before (= rank-biserial correlation). */
  effectSize: number;
  magnitude: Magnitude;
  p50Change: number | null;
  p95Change: number | null;
  p99Change: number | null;
  meanChange: number | null;
}

/**
 * Refuse sizes whose every possible outcome has p ≥ α: such a test cannot say anything, and
 * a silent "no regression" would be a lie. `what` names the metric in the message.
 */
export function assertDecidable(nBefore: number, nAfter: number, alternative: Alternative, alpha: number, what = 'samples'): void {
  const floor = minAttainablePValue(nAfter, nBefore, alternative);
  if (floor >= alpha) {
    throw new UsageError(
      `too few ${what} to decide: ${nBefore} before and ${nAfter} after; the smallest p-value any data of this size can give is ${floor.toPrecision(2)}, not below α = ${alpha}`,
      'collect more samples (4 on each side at the least for a one-sided test at 0.05; 20 or more to see anything but a complete separation)',
    );
  }
}

export function compareSamples(before: ArrayLike<number>, after: ArrayLike<number>, options: CompareOptions = {}): Comparison {
  const alternative = options.alternative ?? 'greater';
  const alpha = options.alpha ?? 0.05;
  const b = sortedCopy(before);
  const a = sortedCopy(after);
  const test = mannWhitneyUSorted(a, b, { alternative, ...(options.method && { method: options.method }) });
  const bs = summarize(b);
  const as = summarize(a);
  const mid = (a.length * b.length) / 2;
  const effectSize = cliffsDelta(test.u, a.length, b.length);
  return {
    before: bs,
    after: as,
    test,
    alpha,
    significant: test.pValue < alpha,
    direction: test.u > mid ? 'slower' : test.u < mid ? 'faster' : 'same',
    effectSize,
    magnitude: deltaMagnitude(effectSize),
    p50Change: relativeChange(bs.p50, as.p50),
    p95Change: relativeChange(bs.p95, as.p95),
    p99Change: relativeChange(bs.p99, as.p99),
    meanChange: relativeChange(bs.mean, as.mean),
  };
}

/** The seed's threshold: a significant regression whose p95 rose by more than 25 % is SEV-2. */
export const SEV2_P95_INCREASE = 0.25;

export type Severity = 'SEV-2' | 'SEV-3';

/** A significant result whose after sample leans slower. */
export function isRegression(c: Comparison): boolean {
  return c.significant && c.direction === 'slower';
}

/**
 * Scenario 5's rules: significance first (p < α), then magnitude: p95 up more than 25 % is
 * SEV-2 (page). A significant regression below that is SEV-3 (our choice: the seed gives no
 * lower rung; a ticket for the owning team, not a page). The seed names SEV-1 only for
 * auto-rollback and gives it no threshold, so the test never assigns it.
 */
export function severity(c: Comparison): Severity | null {
  if (!isRegression(c)) return null;
  return c.p95Change !== null && c.p95Change > SEV2_P95_INCREASE ? 'SEV-2' : 'SEV-3';
}
