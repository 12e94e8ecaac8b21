// p-values near α keep the digits that say which side they are on.
import { describe, expect, it } from 'vitest';
import { formatP } from '../../src/stats/format.js';

describe('formatP', () => {
  it.each([
    [0.0501, 'p = 0.0501'],
    [0.0499, 'p = 0.0499'],
    [0.05001, 'p = 0.05001'],
    [0.05, 'p = 0.05'],
    [0.003, 'p = 0.003'],
    [0.47, 'p = 0.47'],
    [0.0004, 'p < 0.001'],
  ])('GIVEN p = %s and α = 0.05 THEN it reads "%s"', (p, text) => {
    expect(formatP(p, 0.05)).toBe(text);
  });

  it('GIVEN no α THEN two significant figures, as the scenario writes them', () => {
    expect(formatP(0.0501)).toBe('p = 0.05');
  });
});
