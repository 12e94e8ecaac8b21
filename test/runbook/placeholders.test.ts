// Resolving a runbook's placeholders walks only where they stand (substituteAt): the result is
// the one walking the whole runbook gives (substitute), for every shipped runbook and config.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { runbookFiles } from '../../src/runbook/catalog.js';
import { compileRunbook } from '../../src/runbook/compile.js';
import { placeholderPaths, substitute, substituteAt } from '../../src/runbook/placeholders.js';

describe('substituteAt', () => {
  it.each(runbookFiles())('GIVEN %s THEN it resolves exactly what substitute resolves, and copies only the paths that hold one', async (file) => {
    const config = await loadConfig();
    const result = await compileRunbook(file, readFileSync(file, 'utf8'));
    if (!result.ok) throw new Error(JSON.stringify(result.findings));
    const { written, resolve } = result.compiled;
    const resolved = substituteAt(written, resolve, config);
    expect(resolved).toEqual(substitute(written, config));
    expect(resolve.length).toBeGreaterThan(0);
    // What holds no placeholder is the written value itself, not a copy.
    const untouched = Object.keys(written.nodes).filter((id) => !resolve.some((p) => p[0] === 'nodes' && p[1] === id));
    for (const id of untouched) expect(resolved.nodes[id]).toBe(written.nodes[id]);
  });

  it('GIVEN a string with two placeholders, an exact one that keeps its type, and an unknown key THEN each resolves once, as substitute does', () => {
    const value = { a: { b: ['x ${n} ${s}', '${n}', '${missing}'] }, c: { d: 'plain' } };
    const config = { n: 3, s: '${n}' };
    const out = substituteAt(value, placeholderPaths(value), config);
    expect(out).toEqual({ a: { b: ['x 3 ${n}', 3, '${missing}'] }, c: { d: 'plain' } });
    expect(out).toEqual(substitute(value, config));
    expect(out.c).toBe(value.c);
    expect(value.a.b[0]).toBe('x ${n} ${s}');
  });
});
