// The built bundle (dist/, scripts/build.mjs) splits each lazily loaded library into a chunk.
// A CommonJS library's chunk exports only `default`: the names the code takes from it must be
// found there through commonJs(), or the built CLI fails where the tests on src/ pass.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeLoader } from '../../src/cli/boot.js';
import { commonJs } from '../../src/core/commonjs.js';
import { root } from '../helpers/cli.js';

const map = JSON.parse(readFileSync(join(root, 'dist', 'bundle-map.json'), 'utf8')) as Record<string, string[]>;
/** A file of the bundle as the CLI loads it (bin/mangaops.cjs → src/cli/boot.ts), without the code cache. */
const loader = codeLoader(join(root, 'dist'), undefined);
const loadChunk = (file: string) => loader.load(join(root, 'dist', file)) as Record<string, unknown>;

/**
 * The chunk import('pkg') loads in the bundle: one that carries `pkg` and nothing of ours, or
 * an entry chunk with no code of its own that re-exports a shared one.
 */
async function chunkOf(pkg: string, marker: string): Promise<Record<string, unknown>> {
  const candidates = Object.entries(map).filter(([, parts]) => (parts.includes(pkg) || parts.length === 0) && !parts.some((p) => p.startsWith('src/')));
  for (const [file] of candidates) {
    const mod = loadChunk(file);
    if (marker in commonJs(mod)) return commonJs(mod);
  }
  throw new Error(`no chunk of ${pkg} exports ${marker}`);
}

describe('lazy CommonJS libraries in the bundle', () => {
  it.each([
    ['ioredis', 'Cluster'],
    ['ioredis', 'Redis'],
    ['yaml', 'parseDocument'],
    ['@opensearch-project/opensearch', 'AwsSigv4Signer'],
  ])('%s gives %s', async (pkg, name) => {
    expect(typeof (await chunkOf(pkg, name))[name]).toBe('function');
  });
});

describe('every lazy import of a library in src/', () => {
  const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const sites = files.flatMap((f) =>
    [...readFileSync(join(root, 'src', f), 'utf8').matchAll(/(commonJs\()?await import\('((?!node:)[^.'][^']*)'\)(?:\)?\s*;?\s*)/g)].map((m) => ({ file: f, pkg: m[2]!, wrapped: Boolean(m[1]) })),
  );

  it('finds the lazy library imports (ioredis, yaml, opensearch, inquirer)', () => {
    expect(new Set(sites.map((s) => s.pkg))).toEqual(new Set(['ioredis', 'yaml', '@opensearch-project/opensearch', '@opensearch-project/opensearch/aws', '@inquirer/prompts']));
  });

  it('GIVEN a library whose bundle chunk exports only default THEN every import() of it goes through commonJs()', async () => {
    const bare = sites.filter((s) => !s.wrapped);
    for (const site of bare) {
      const name = site.pkg.split('/').slice(0, site.pkg.startsWith('@') ? 2 : 1).join('/');
      const chunks = Object.entries(map).filter(([, parts]) => parts.includes(name) && !parts.some((p) => p.startsWith('src/')));
      for (const [file] of chunks) {
        const mod = loadChunk(file);
        const onlyDefault = Object.keys(mod).every((k) => k === 'default');
        expect(onlyDefault, `${site.file}: import('${site.pkg}') reads names from ${file}, which exports only default: wrap it in commonJs()`).toBe(false);
      }
    }
  });
});
