import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import {
  chooseMethod,
  exactSf,
  mannWhitneyU,
  minAttainablePValue,
  normalSf,
  rankSums,
  type Alternative,
  type Method,
} from '../../src/stats/mannwhitney.js';
import { lognormalSample, mulberry32 } from '../helpers/random.js';

interface Reference {
  scipy: string;
  cases: {
    name: string;
    autoMethod: 'exact' | 'asymptotic';
    after: number[];
    before: number[];
    results: { alternative: Alternative; method: Method; statistic: number; pvalue: number }[];
  }[];
}

const reference = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'data', 'scipy', 'cases.json'), 'utf8')) as Reference;

const relErr = (got: number, want: number) => (want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want));

describe('agreement with scipy.stats.mannwhitneyu(after, before, alternative, method)', () => {
  it(`has the reference cases of SciPy ${reference.scipy}`, () => {
    expect(reference.cases.length).toBeGreaterThanOrEqual(12);
  });

  for (const c of reference.cases) {
    it(`${c.name} (${c.after.length} vs ${c.before.length}): U exactly, p to 1e-6 relative, auto picks ${c.autoMethod}`, () => {
      for (const r of c.results) {
        const got = mannWhitneyU(c.after, c.before, { alternative: r.alternative, method: r.method });
        expect(got.u, `${r.alternative}/${r.method} U`).toBe(r.statistic);
        expect(relErr(got.pValue, r.pvalue), `${r.alternative}/${r.method} p ${got.pValue} vs ${r.pvalue}`).toBeLessThan(1e-6);
        if (r.method === 'auto') expect(got.method).toBe(c.autoMethod);
      }
    });
  }
});

describe('method auto follows SciPy (_mwu_choose_method)', () => {
  it('GIVEN both samples larger than 8 THEN asymptotic, whatever the ties', () => {
    expect(chooseMethod(9, 9, false)).toBe('asymptotic');
    expect(chooseMethod(9, 3000, false)).toBe('asymptotic');
  });
  it('GIVEN one sample of 8 or fewer THEN exact without ties, asymptotic with ties', () => {
    expect(chooseMethod(8, 1000, false)).toBe('exact');
    expect(chooseMethod(3, 3000, false)).toBe('exact');
    expect(chooseMethod(8, 1000, true)).toBe('asymptotic');
  });
});

describe('ties', () => {
  it('GIVEN tied values across and within samples THEN U counts a tie as half a win and the tie term sums t³ − t', () => {
    // x = after, y = before. Pairs x > y: 3 > 2, 2 → 2. Ties 2 = 2: 2 × 2 pairs → 2. U = 4.
    const r = rankSums([1, 2, 2, 3], [2, 2, 4]);
    expect(r.u).toBe(4);
    expect(r.tieTerm).toBe(4 ** 3 - 4);
    expect(r.ties).toBe(true);
  });

  it('GIVEN one value everywhere THEN p = 1 (no variance, no evidence), never NaN', () => {
    const r = mannWhitneyU([7, 7, 7, 7, 7, 7, 7, 7, 7, 7], [7, 7, 7, 7, 7, 7, 7, 7, 7, 7], { alternative: 'greater' });
    expect(r.method).toBe('asymptotic');
    expect(r.pValue).toBe(1);
  });

  it('GIVEN ties in tiny samples THEN auto uses the tie-corrected normal approximation', () => {
    const r = mannWhitneyU([3, 5, 5, 7], [2, 3, 5], { alternative: 'greater' });
    expect(r.ties).toBe(true);
    expect(r.method).toBe('asymptotic');
  });
});

describe('tiny samples: the exact distribution', () => {
  it('GIVEN complete separation of 4 vs 4 THEN p = 1/C(8,4) = 1/70 one-sided', () => {
    const r = mannWhitneyU([5, 6, 7, 8], [1, 2, 3, 4], { alternative: 'greater' });
    expect(r.method).toBe('exact');
    expect(r.u).toBe(16);
    expect(r.pValue).toBeCloseTo(1 / 70, 15);
    expect(mannWhitneyU([5, 6, 7, 8], [1, 2, 3, 4], { alternative: 'two-sided' }).pValue).toBeCloseTo(2 / 70, 15);
  });

  it('GIVEN 1 vs 1 THEN the only possible p-values are 1/2 and 1', () => {
    expect(mannWhitneyU([2], [1], { alternative: 'greater' }).pValue).toBe(0.5);
    expect(mannWhitneyU([1], [2], { alternative: 'greater' }).pValue).toBe(1);
  });

  it('matches an independent big-integer count of the null distribution at every U', () => {
    // Mann & Whitney's own recurrence f(m, n, k) = f(m−1, n, k−n) + f(m, n−1, k), exact in BigInt.
    for (const [m, n] of [[2, 5], [3, 300], [8, 60], [12, 40]] as const) {
      let prev: bigint[][] = Array.from({ length: m + 1 }, () => [1n]);
      for (let nn = 1; nn <= n; nn++) {
        const cur: bigint[][] = [];
        for (let mm = 0; mm <= m; mm++) {
          cur.push(Array.from({ length: mm * nn + 1 }, (_, k) => (prev[mm]![k] ?? 0n) + (mm > 0 && k >= nn ? cur[mm - 1]![k - nn] ?? 0n : 0n)));
        }
        prev = cur;
      }
      const f = prev[m]!;
      const total = f.reduce((a, b) => a + b, 0n);
      let tail = 0n;
      let worst = 0;
      for (let k = m * n; k >= 1; k--) {
        tail += f[k]!;
        const want = Number((tail * 10n ** 40n) / total) / 1e40;
        worst = Math.max(worst, relErr(exactSf(k, m, n), want));
      }
      expect(worst, `${m} vs ${n}`).toBeLessThan(1e-12);
    }
  });

  it('GIVEN sizes whose exact distribution is too big THEN a UsageError suggests asymptotic', () => {
    expect(() => mannWhitneyU(new Array(3000).fill(0).map((_, i) => i), new Array(3000).fill(0).map((_, i) => i + 0.5), { method: 'exact' })).toThrow(
      UsageError,
    );
  });
});

describe('extreme imbalance', () => {
  it('GIVEN 3 very slow after samples vs 3000 before THEN auto uses the exact test and finds it significant', () => {
    const rand = mulberry32(3);
    const before = lognormalSample(rand, 3000, 1180, 2410);
    const after = [9000, 9500, 12000];
    const r = mannWhitneyU(after, before, { alternative: 'greater' });
    expect(r.method).toBe('exact');
    expect(r.u).toBe(9000);
    expect(r.pValue).toBeCloseTo(1 / ((3003 * 3002 * 3001) / 6), 20);
  });

  it('GIVEN 3 vs 3000 from the same distribution THEN not significant', () => {
    const rand = mulberry32(4);
    const r = mannWhitneyU(lognormalSample(rand, 3, 1180, 2410), lognormalSample(rand, 3000, 1180, 2410), { alternative: 'greater' });
    expect(r.pValue).toBeGreaterThan(0.05);
  });

  it('GIVEN 3000 vs 3 THEN the same p-value as its mirror image', () => {
    const rand = mulberry32(5);
    const big = lognormalSample(rand, 3000, 1180, 2410);
    const small = lognormalSample(rand, 3, 1500, 3000);
    const a = mannWhitneyU(small, big, { alternative: 'greater' });
    const b = mannWhitneyU(big, small, { alternative: 'less' });
    expect(b.pValue).toBeCloseTo(a.pValue, 14);
    expect(a.u + b.u).toBe(9000);
  });
});

describe('false positives on identical distributions', () => {
  it('GIVEN 1000 seeded draws of 40 vs 40 from one log-normal (whole ms, so with ties) THEN at most 6 % have p < 0.05', () => {
    const rand = mulberry32(20261127);
    let flagged = 0;
    for (let i = 0; i < 1000; i++) {
      const before = lognormalSample(rand, 40, 1180, 2410).map(Math.round);
      const after = lognormalSample(rand, 40, 1180, 2410).map(Math.round);
      if (mannWhitneyU(after, before, { alternative: 'greater' }).pValue < 0.05) flagged++;
    }
    expect(flagged / 1000).toBeLessThanOrEqual(0.06);
    // …and the test is not blind either: near the nominal 5 %.
    expect(flagged / 1000).toBeGreaterThanOrEqual(0.03);
  });

  it('GIVEN 1000 seeded draws of 6 vs 7 (the exact test) THEN at most 6 % as well (the exact test is conservative)', () => {
    const rand = mulberry32(7);
    let flagged = 0;
    for (let i = 0; i < 1000; i++) {
      if (mannWhitneyU(lognormalSample(rand, 6, 1180, 2410), lognormalSample(rand, 7, 1180, 2410), { alternative: 'greater' }).pValue < 0.05) flagged++;
    }
    expect(flagged / 1000).toBeLessThanOrEqual(0.06);
  });
});

describe('normal tail', () => {
  it('keeps its relative precision far into the tail', () => {
    // Φ̄(10) = 7.6198530241605260660e-24 (the tabulated value; SciPy's norm.sf gives …047e-24).
    expect(relErr(normalSf(10), 7.619853024160527e-24)).toBeLessThan(1e-13);
    expect(normalSf(0)).toBe(0.5);
    expect(relErr(normalSf(1.959963984540054), 0.025)).toBeLessThan(1e-14);
  });
});

describe('too few to decide', () => {
  it('knows the smallest p-value a sample size can reach', () => {
    expect(minAttainablePValue(3, 3, 'greater')).toBeCloseTo(1 / 20, 15);
    expect(minAttainablePValue(4, 4, 'greater')).toBeCloseTo(1 / 70, 15);
    expect(minAttainablePValue(4, 4, 'two-sided')).toBeCloseTo(2 / 70, 15);
  });
});

describe('bad input', () => {
  it('GIVEN an empty sample THEN a UsageError, not NaN', () => {
    expect(() => mannWhitneyU([], [1, 2])).toThrow(/at least one x sample/);
  });
  it('GIVEN NaN THEN a UsageError naming the sample', () => {
    expect(() => mannWhitneyU([1, NaN], [1, 2])).toThrow(UsageError);
  });
});
