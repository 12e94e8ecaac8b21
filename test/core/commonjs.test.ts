// A CommonJS library's exports, whether Node (named exports) or the bundle (default only) loaded it.
import { describe, expect, it } from 'vitest';
import { commonJs } from '../../src/core/commonjs.js';

describe('commonJs', () => {
  it('GIVEN Node\'s own import() of a CommonJS library (named exports beside default) THEN the named exports', async () => {
    const mod = await import('ioredis');
    expect(typeof commonJs(mod).Cluster).toBe('function');
    expect(commonJs(mod)).toBe(mod);
  });

  it('GIVEN a bundle chunk that exports only default (module.exports) THEN module.exports, where the names are', () => {
    const exportsObject = { parseDocument: () => 'doc' };
    const chunk = { default: exportsObject } as unknown as typeof exportsObject;
    expect(commonJs(chunk).parseDocument()).toBe('doc');
  });
});
