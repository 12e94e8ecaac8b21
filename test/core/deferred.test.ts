// A schema built at its first use (src/core/deferred.ts) behaves as the schema itself: inside
// other schemas, in discriminated unions, with its methods and checks.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deferred } from '../../src/core/deferred.js';

describe('deferred', () => {
  it('GIVEN a deferred schema THEN nothing is built until it is used, and it is built once', () => {
    let built = 0;
    const A = deferred(() => (built++, z.strictObject({ kind: z.literal('a'), n: z.number().default(1) })));
    expect(built).toBe(0);
    expect(A.parse({ kind: 'a' })).toEqual({ kind: 'a', n: 1 });
    expect(A.safeParse({ kind: 'a', n: 'x' }).success).toBe(false);
    expect(built).toBe(1);
  });

  it('GIVEN deferred schemas inside a discriminated union, an object, .optional() and .default() THEN they parse and refuse as the real ones', () => {
    const A = deferred(() => z.strictObject({ kind: z.literal('a'), n: z.number() }));
    const B = deferred(() => z.strictObject({ kind: z.literal('b'), s: z.string() }));
    const label = deferred(() => z.string().optional());
    const Union = deferred(() => z.discriminatedUnion('kind', [A, B]));
    const Outer = z.strictObject({ probes: z.record(z.string(), Union), label, window: deferred(() => z.string()).default('10m') });
    expect(Outer.parse({ probes: { x: { kind: 'a', n: 2 }, y: { kind: 'b', s: 's' } } })).toEqual({ probes: { x: { kind: 'a', n: 2 }, y: { kind: 'b', s: 's' } }, window: '10m' });
    const bad = Outer.safeParse({ probes: { x: { kind: 'c' } } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['probes', 'x', 'kind']);
    expect(A instanceof z.ZodObject).toBe(true);
    expect(Object.keys(A.shape)).toEqual(['kind', 'n']);
  });
});
