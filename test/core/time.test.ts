import { describe, expect, it } from 'vitest';
import { parseAt } from '../../src/core/time.js';
import { UsageError } from '../../src/core/errors.js';

const now = new Date('2026-03-04T12:00:00Z');

describe('parseAt (--at)', () => {
  it.each([
    ['-2h', '2026-03-04T10:00:00.000Z'],
    ['-90m', '2026-03-04T10:30:00.000Z'],
    ['-1d12h', '2026-03-03T00:00:00.000Z'],
    ['-30s', '2026-03-04T11:59:30.000Z'],
    ['now', '2026-03-04T12:00:00.000Z'],
    ['2026-03-04T20:15:00+09:00', '2026-03-04T11:15:00.000Z'],
    ['2026-03-04T11:15Z', '2026-03-04T11:15:00.000Z'],
    ['2026-03-04 11:15:00Z', '2026-03-04T11:15:00.000Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseAt(text, now).toISOString()).toBe(iso);
  });

  it.each(['yesterday', '2h', '-2x', '2026-03-04', '2026-13-40T99:00Z', ''])('%j is a usage error naming both forms', (text) => {
    expect(() => parseAt(text, now)).toThrow(UsageError);
    try {
      parseAt(text, now);
    } catch (e) {
      expect((e as UsageError).exitCode).toBe(2);
      expect((e as UsageError).hint).toMatch(/ISO time .* or an offset from now such as -2h/);
    }
  });

  it('refuses the future and anything older than CloudWatch keeps (455 days)', () => {
    expect(() => parseAt('2026-03-05T00:00Z', now)).toThrow(/in the future/);
    expect(() => parseAt('-500d', now)).toThrow(/older than CloudWatch keeps metrics \(455 days\)/);
  });
});
