// The cache answers only for exactly the key and build it was written with, and only with the
// body it was written with; anything else is a miss. It never fails a command.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDir, openCache } from '../../src/core/cache.js';
import { stateDir } from '../helpers/cli.js';

const value = { id: 'first-token', nodes: { alarm: { type: 'step', next: 'check' } }, list: [1, 2.5, 'x', null, true] };

function fresh(build = 'build-a') {
  const home = stateDir();
  return { home, cache: openCache({ XDG_CACHE_HOME: home }, build)! };
}

describe('the cache', () => {
  it('gives back what was written for the same name, key and build', () => {
    const { cache } = fresh();
    cache.write('runbook-x', 'sha-1', value);
    expect(cache.read('runbook-x', 'sha-1')?.value).toEqual(value);
    expect(cache.read('runbook-x', 'sha-1')?.detail()).toBeUndefined();
  });

  it('keeps a detail beside the value, under the same checksum', () => {
    const { home, cache } = fresh();
    cache.write('runbook-x', 'sha-1', value, { lines: [1, { a: [2] }] });
    expect(cache.read('runbook-x', 'sha-1')?.detail()).toEqual({ lines: [1, { a: [2] }] });
    const file = join(home, 'mangaops', 'runbook-x.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('[2]', '[3]'));
    expect(cache.read('runbook-x', 'sha-1')).toBeUndefined();
  });

  it('misses for another key, another build, another name', () => {
    const { home, cache } = fresh();
    cache.write('runbook-x', 'sha-1', value);
    expect(cache.read('runbook-x', 'sha-2')).toBeUndefined();
    expect(openCache({ XDG_CACHE_HOME: home }, 'build-b')!.read('runbook-x', 'sha-1')).toBeUndefined();
    expect(cache.read('runbook-y', 'sha-1')).toBeUndefined();
  });

  it('misses when the body on disk is not the one written, or the entry is not JSON', () => {
    const { home, cache } = fresh();
    cache.write('runbook-x', 'sha-1', value);
    const file = join(home, 'mangaops', 'runbook-x.json');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('first-token', 'first-tokem'));
    expect(cache.read('runbook-x', 'sha-1')).toBeUndefined();
    writeFileSync(file, text.slice(0, text.length - 10));
    expect(cache.read('runbook-x', 'sha-1')).toBeUndefined();
    writeFileSync(file, 'not json at all');
    expect(cache.read('runbook-x', 'sha-1')).toBeUndefined();
  });

  it('stores nothing that JSON would change (a missing key, a non-finite number, -0, a Date, a hole)', () => {
    const { home, cache } = fresh();
    cache.write('a', 'k', { kept: 1, dropped: undefined });
    cache.write('b', 'k', { value: Infinity });
    cache.write('c', 'k', [1, -0]);
    cache.write('d', 'k', { at: new Date(0) });
    // eslint-disable-next-line no-sparse-arrays
    cache.write('e', 'k', [1, , 3]);
    for (const name of ['c', 'd', 'e']) expect(cache.read(name, 'k'), name).toBeUndefined();
    expect(existsSync(join(home, 'mangaops', 'a.json')) || existsSync(join(home, 'mangaops', 'b.json'))).toBe(false);
    expect(cache.read('a', 'k')).toBeUndefined();
  });

  it('is best effort: an unwritable place costs nothing but the entry', () => {
    const cache = openCache({ XDG_CACHE_HOME: '/proc/x' }, 'build-a')!;
    expect(() => cache.write('runbook-x', 'sha-1', value)).not.toThrow();
    expect(cache.read('runbook-x', 'sha-1')).toBeUndefined();
  });

  it('lives in XDG_CACHE_HOME, else ~/.cache; a relative XDG_CACHE_HOME is ignored (XDG); none without a build', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/c', HOME: '/h' })).toBe('/c/mangaops');
    expect(cacheDir({ XDG_CACHE_HOME: 'rel', HOME: '/h' })).toBe('/h/.cache/mangaops');
    expect(cacheDir({})).toBeUndefined();
    expect(openCache({ XDG_CACHE_HOME: '/c' }, undefined)).toBeUndefined();
  });
});
