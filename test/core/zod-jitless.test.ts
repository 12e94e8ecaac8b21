// The schema modules turn off zod's generated parsers: each run would compile them anew (the
// code cache cannot keep code made by new Function), for parses that happen a few times.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

describe('zod without generated parsers', () => {
  it('GIVEN the schema modules loaded THEN zod parses without new Function, and still parses', async () => {
    const { SimulatedEvidence } = await import('../../src/capabilities/probe-kind.js');
    await import('../../src/runbook/schema.js');
    expect(z.config().jitless).toBe(true);
    const made: unknown[] = [];
    const original = globalThis.Function;
    globalThis.Function = new Proxy(original, { construct: (target, args) => (made.push(args), Reflect.construct(target, args)) });
    try {
      const Schema = z.strictObject({ a: z.number(), b: z.string().optional() });
      expect(Schema.parse({ a: 1 })).toEqual({ a: 1 });
      expect(SimulatedEvidence.parse({ before: [1], after: [2] })).toEqual({ before: [1], after: [2] });
      expect(Schema.safeParse({ a: 'x' }).success).toBe(false);
    } finally {
      globalThis.Function = original;
    }
    expect(made).toEqual([]);
  });
});
