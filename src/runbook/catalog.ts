// The shipped runbooks, by id and alias. One that does not load is reported with its file and
// line; it never stops the others from listing, drilling or validating.
//
// With a cache (core/cache.ts), a runbook whose text and build match a stored entry is the
// stored, already validated runbook: one hash and one JSON.parse, and neither the YAML reader
// nor the schema (zod) is loaded. `mangaops validate` never reads the cache.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sha256, type Cache } from '../core/cache.js';
import type { Config } from '../core/config.js';
import { MangaopsError, UsageError } from '../core/errors.js';
import { formatFinding, type Finding } from '../core/findings.js';
import { displayPath, runbooksDir } from '../core/paths.js';
import { didYouMean } from '../core/suggest.js';
import { readSourceFile } from '../core/source-file.js';
import type { LoadedRunbook, LoadResult } from './load.js';
import type { Runbook } from './schema.js';

export function runbookFiles(dir = runbooksDir): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && !/^config\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

type Load = (path: string) => Promise<LoadResult<LoadedRunbook>>;

/**
 * Loads shipped runbooks: each from the cache when its text (and the config its placeholders
 * were resolved from) is the one cached, else parsed, checked and cached.
 */
function shippedLoader(config: Config, cache?: Cache): Load {
  const configKey = cache && sha256(JSON.stringify(config));
  return async (path) => {
    const file = displayPath(path);
    const read = await readSourceFile(path, file);
    if ('error' in read) return { ok: false, findings: [read.error] };
    const hash = sha256(read.text);
    const name = `runbook-${sha256(path).slice(0, 16)}`;
    const key = `${hash}:${configKey}`;
    const runbook = cache?.read(name, key) as Runbook | undefined;
    if (runbook) return { ok: true, loaded: { file, runbook, hash } };
    const { parseRunbook } = await import('./load.js');
    const result = await parseRunbook(file, read.text, config);
    if (result.ok) cache?.write(name, key, result.loaded.runbook);
    return result;
  };
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
  return catalogOf(await Promise.all(runbookFiles().map(shippedLoader(config, cache))));
}

/** Every shipped runbook that loads; a broken one is a validate finding, reported there. */
export async function loadAll(config: Config, cache?: Cache): Promise<LoadedRunbook[]> {
  return (await loadCatalog(config, cache)).loaded;
}

const named = (l: LoadedRunbook, idOrAlias: string) => l.runbook.id === idOrAlias || l.runbook.aliases.includes(idOrAlias);

/** Find a runbook by id or alias; unknown → usage error listing the ids and the closest. */
export async function findRunbook(idOrAlias: string, config: Config, cache?: Cache): Promise<LoadedRunbook> {
  const files = runbookFiles();
  const load = shippedLoader(config, cache);
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
