// The shipped runbooks, by id and alias. One that does not load is reported with its file and
// line; it never stops the others from listing, drilling or validating.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../core/config.js';
import { MangaopsError, UsageError } from '../core/errors.js';
import { formatFinding, type Finding } from '../core/findings.js';
import { runbooksDir } from '../core/paths.js';
import { didYouMean } from '../core/suggest.js';
import { loadRunbookFile, type LoadedRunbook, type LoadResult } from './load.js';

export function runbookFiles(dir = runbooksDir): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && !/^config\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

export interface Catalog {
  loaded: LoadedRunbook[];
  /** The first finding of each runbook that does not load (mangaops validate lists them all). */
  broken: Finding[];
}

function catalogOf(results: LoadResult[]): Catalog {
  return {
    loaded: results.flatMap((r) => (r.ok ? [r.loaded] : [])),
    broken: results.flatMap((r) => (r.ok ? [] : r.findings.slice(0, 1))),
  };
}

/** Every shipped runbook: those that load, and the first finding of each that does not. */
export async function loadCatalog(config: Config): Promise<Catalog> {
  return catalogOf(await Promise.all(runbookFiles().map((f) => loadRunbookFile(f, config))));
}

/** Every shipped runbook that loads; a broken one is a validate finding, reported there. */
export async function loadAll(config: Config): Promise<LoadedRunbook[]> {
  return (await loadCatalog(config)).loaded;
}

/** Find a runbook by id or alias; unknown → usage error listing the ids and the closest. */
export async function findRunbook(idOrAlias: string, config: Config): Promise<LoadedRunbook> {
  const files = runbookFiles();
  const results = await Promise.all(files.map((f) => loadRunbookFile(f, config)));
  const { loaded } = catalogOf(results);
  const match = loaded.find((l) => l.runbook.id === idOrAlias || l.runbook.aliases.includes(idOrAlias));
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
