import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliffsDelta, deltaMagnitude, quantileSorted, relativeChange, sortedCopy, summarize } from '../../src/stats/describe.js';
import { mannWhitneyU } from '../../src/stats/mannwhitney.js';

interface Reference {
  cases: { name: string; after: number[]; before: number[]; percentiles: Record<'after' | 'before', { p50: number; p95: number; p99: number }> }[];
}
const reference = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'data', 'scipy', 'cases.json'), 'utf8')) as Reference;

describe('percentiles', () => {
  it("interpolate linearly between closest ranks, as numpy's default does", () => {
    const s = sortedCopy([4, 1, 3, 2]);
    expect(quantileSorted(s, 0.5)).toBe(2.5);
    expect(quantileSorted(s, 0.95)).toBeCloseTo(3.85, 12);
    expect(quantileSorted(s, 0)).toBe(1);
    expect(quantileSorted(s, 1)).toBe(4);
    expect(quantileSorted([42], 0.99)).toBe(42);
  });

  it('match numpy.percentile on every reference sample', () => {
    for (const c of reference.cases) {
      for (const side of ['after', 'before'] as const) {
        const s = summarize(sortedCopy(c[side]));
        for (const k of ['p50', 'p95', 'p99'] as const) {
          expect(Math.abs(s[k] - c.percentiles[side][k]), `${c.name} ${side} ${k}`).toBeLessThanOrEqual(Math.abs(c.percentiles[side][k]) * 1e-12);
        }
      }
    }
  });

  it('refuse an empty sample instead of returning NaN', () => {
    expect(() => quantileSorted([], 0.5)).toThrow(RangeError);
  });
});

describe('relative change', () => {
  it('is (after − before) / before: the seed\'s 2410 → 3210 ms is +33 %', () => {
    expect(relativeChange(2410, 3210)).toBeCloseTo(0.332, 3);
    expect(relativeChange(100, 80)).toBeCloseTo(-0.2, 12);
  });
  it('has no ratio from zero', () => {
    expect(relativeChange(0, 5)).toBeNull();
    expect(relativeChange(0, 0)).toBe(0);
  });
});

describe("Cliff's delta", () => {
  it('is +1 when every after sample is slower, −1 when every one is faster, 0 when balanced', () => {
    const slower = mannWhitneyU([5, 6, 7], [1, 2]);
    expect(cliffsDelta(slower.u, 3, 2)).toBe(1);
    const faster = mannWhitneyU([1, 2], [5, 6, 7]);
    expect(cliffsDelta(faster.u, 2, 3)).toBe(-1);
    expect(cliffsDelta(2, 2, 2)).toBe(0);
  });
  it("names its magnitude by Romano's thresholds", () => {
    expect(deltaMagnitude(0.1)).toBe('negligible');
    expect(deltaMagnitude(-0.2)).toBe('small');
    expect(deltaMagnitude(0.4)).toBe('medium');
    expect(deltaMagnitude(0.5)).toBe('large');
  });
});
