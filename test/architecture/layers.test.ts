// The shape of the code, checked over the import graph of src/ (static, dynamic and type-only
// imports alike): no cycles, and no layer importing one above it. The order is the README's.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', '..', 'src');

/** Lowest first: a file may import its own layer and those before it. */
export const LAYERS = ['core', 'stats', 'capabilities', 'runbook', 'engine', 'events', 'runner', 'walk', 'journal', 'team', 'ui', 'alarm', 'commands', 'cli', 'lambda'] as const;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => resolve(dirname(file), (m[1] ?? m[2])!).replace(/\.js$/, '.ts'));
}

const graph = new Map(files(src).map((f) => [f, importsOf(f)]));
const name = (f: string) => relative(src, f);
const layerOf = (f: string) => LAYERS.indexOf(name(f).split('/')[0] as (typeof LAYERS)[number]);

describe('the import graph of src/', () => {
  it('every file is in a named layer and every import resolves', () => {
    expect([...graph.keys()].filter((f) => layerOf(f) < 0).map(name)).toEqual([]);
    expect([...graph].flatMap(([f, deps]) => deps.filter((d) => !graph.has(d)).map((d) => `${name(f)} → ${name(d)}`))).toEqual([]);
  });

  it('no layer imports one above it (the core imports no ui/ or cli/)', () => {
    const upward = [...graph].flatMap(([f, deps]) => deps.filter((d) => layerOf(d) > layerOf(f)).map((d) => `${name(f)} → ${name(d)}`));
    expect(upward).toEqual([]);
  });

  it('has no import cycle, type-only imports included', () => {
    // Tarjan's strongly connected components: any component of more than one file is a cycle.
    let index = 0;
    const stack: string[] = [];
    const on = new Set<string>();
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const cycles: string[][] = [];
    const visit = (v: string) => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      on.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!idx.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          on.delete(w);
          scc.push(name(w));
        } while (w !== v);
        if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(scc.sort());
      }
    };
    for (const v of graph.keys()) if (!idx.has(v)) visit(v);
    expect(cycles).toEqual([]);
  });
});
