// The shipped runbooks, by id and alias. One that does not load is reported with its file and
// line; it never stops the others from listing, drilling or validating.
//
// With a cache (core/cache.ts), a runbook whose text and build match a stored entry is the
// stored, already validated runbook: one hash and one JSON.parse, and neither the YAML reader
// nor the schema (zod) is loaded. Every command reads every source it uses again, so an edit is
// seen at once.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sha256, type Cache } from '../core/cache.js';
import type { Config } from '../core/config.js';
import { MangaopsError, UsageError } from '../core/errors.js';
import { formatFinding, type Finding } from '../core/findings.js';
import { displayPath, runbooksDir } from '../core/paths.js';
import { didYouMean } from '../core/suggest.js';
import { readSourceFile } from '../core/source-file.js';
import type { LineTree } from '../core/yaml-positions.js';
import { parsedFrom, type CompiledRunbook, type Lines, type LoadedRunbook, type LoadResult, type ParsedRunbook } from './load.js';
import { attachCases } from './cases.js';
import type { Runbook } from './schema.js';

export function runbookFiles(dir = runbooksDir): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && !/^config\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

type Compiled = { ok: true; compiled: CompiledRunbook; lines: Lines } | { ok: false; findings: Finding[] };

/**
 * Loads runbooks through the cache. Two entries per file: its checked form (`source-…`, keyed
 * by the text's sha256: validate's lint reads it, lines and all) and its form resolved against
 * the config (`runbook-…`, keyed by the text's and the config's sha256: what list, graph and
 * the walks read). A miss at both reads the text with the YAML reader and zod, and fills both.
 */
export function runbookLoader(config: Config, cache?: Cache) {
  const configKey = cache && sha256(JSON.stringify(config));

  async function compiled(name: string, file: string, text: string, hash: string): Promise<Compiled> {
    const hit = cache?.read(`source-${name}`, hash);
    if (hit) return { ok: true, compiled: hit.value as CompiledRunbook, lines: () => hit.detail() as LineTree | undefined };
    const { compileRunbook } = await import('./compile.js');
    const result = await compileRunbook(file, text);
    if (result.ok) cache?.write(`source-${name}`, hash, result.compiled, result.lines());
    return result;
  }

  /** The checked runbook with its lines and placeholders, for lint. */
  async function parsed(path: string): Promise<LoadResult<ParsedRunbook>> {
    const file = displayPath(path);
    const read = await readSourceFile(path, file);
    if ('error' in read) return { ok: false, findings: [read.error] };
    const hash = sha256(read.text);
    const result = await compiled(sha256(path).slice(0, 16), file, read.text, hash);
    return result.ok ? { ok: true, loaded: await attachCases(parsedFrom(file, hash, result.compiled, result.lines, config), path, config) } : result;
  }

  /** The runbook resolved against the config, for the commands that show or walk it. */
  async function resolved(path: string): Promise<LoadResult<LoadedRunbook>> {
    const file = displayPath(path);
    const read = await readSourceFile(path, file);
    if ('error' in read) return { ok: false, findings: [read.error] };
    const hash = sha256(read.text);
    const name = sha256(path).slice(0, 16);
    const key = `${hash}:${configKey}`;
    const hit = cache?.read(`runbook-${name}`, key);
    if (hit) return { ok: true, loaded: await attachCases({ file, runbook: hit.value as Runbook, hash }, path, config) };
    const result = await compiled(name, file, read.text, hash);
    if (!result.ok) return result;
    const loaded = parsedFrom(file, hash, result.compiled, result.lines, config);
    // Cached before its case files are appended: those are read from their own sources every time.
    cache?.write(`runbook-${name}`, key, loaded.runbook);
    return { ok: true, loaded: await attachCases(loaded, path, config) };
  }

  return { parsed, resolved };
}

export interface Catalog {
  loaded: LoadedRunbook[];
  /** The first finding of each runbook that does not load (mangaops validate lists them all). */
  broken: Finding[];
}

function catalogOf(results: LoadResult<LoadedRunbook>[]): Catalog {
  return {
    loaded: results.flatMap((r) => (r.ok ? [r.loaded] : [])),
    broken: results.flatMap((r) => (r.ok ? [] : r.findings.slice(0, 1))),
  };
}

/** Every shipped runbook: those that load, and the first finding of each that does not. */
export async function loadCatalog(config: Config, cache?: Cache): Promise<Catalog> {
  return catalogOf(await Promise.all(runbookFiles().map(runbookLoader(config, cache).resolved)));
}

/** Every shipped runbook that loads; a broken one is a validate finding, reported there. */
export async function loadAll(config: Config, cache?: Cache): Promise<LoadedRunbook[]> {
  return (await loadCatalog(config, cache)).loaded;
}

const named = (l: LoadedRunbook, idOrAlias: string) => l.runbook.id === idOrAlias || l.runbook.aliases.includes(idOrAlias);

/** Find a runbook by id or alias; unknown → usage error listing the ids and the closest. */
export async function findRunbook(idOrAlias: string, config: Config, cache?: Cache): Promise<LoadedRunbook> {
  const files = runbookFiles();
  const load = runbookLoader(config, cache).resolved;
  // A runbook's file is named after its id: read that one first, and the rest only if need be.
  const own = files.find((f) => basename(f).replace(/\.ya?ml$/, '') === idOrAlias);
  if (own) {
    const result = await load(own);
    if (result.ok && named(result.loaded, idOrAlias)) return result.loaded;
  }
  const results = await Promise.all(files.map(load));
  const { loaded } = catalogOf(results);
  const match = loaded.find((l) => named(l, idOrAlias));
  if (match) return match;
  const broken = results.find((r, i) => !r.ok && files[i]!.includes(idOrAlias));
  if (broken && !broken.ok) {
    throw new MangaopsError(`runbook '${idOrAlias}' does not load: ${formatFinding(broken.findings[0]!)}`, 1, `run: mangaops validate`);
  }
  const ids = loaded.map((l) => l.runbook.id);
  const names = loaded.flatMap((l) => [l.runbook.id, ...l.runbook.aliases]);
  throw new UsageError(
    `unknown scenario '${idOrAlias}'${didYouMean(idOrAlias, names)}`,
    `scenarios: ${ids.join(', ')} (mangaops list)`,
  );
}
