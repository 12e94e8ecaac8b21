// Thousands grouped as toLocaleString('en-US') groups them, without its cost.
import { describe, expect, it } from 'vitest';
import { formatNumber, groupThousands } from '../../src/core/number.js';

describe('groupThousands', () => {
  it.each([0, -0.4, 7, 999, 1000, 2499.5, 2500.5, 1234567.4, -98765.5, 123456789012, 9.99e20, 1e21, -3e22])('%d reads as toLocaleString("en-US") writes it', (v) => {
    expect(groupThousands(v)).toBe(Math.round(v).toLocaleString('en-US'));
  });

  it('is what formatNumber shows from 1000 up', () => {
    expect(formatNumber(1820)).toBe('1,820');
    expect(formatNumber(402.44)).toBe('402.4');
  });
});
