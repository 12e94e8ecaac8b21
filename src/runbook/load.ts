// A runbook as the commands get it. Its checked form (CompiledRunbook: the validated runbook,
// its placeholders, its lines) comes from compile.ts — or from the cache (catalog.ts), which
// keeps exactly that form for the exact bytes it was made from — and is resolved against the
// config here. No YAML reader and no zod in this module.
import { sha256 } from '../core/cache.js';
import type { Config } from '../core/config.js';
import type { Finding } from '../core/findings.js';
import { displayPath } from '../core/paths.js';
import { readSourceFile } from '../core/source-file.js';
import { lineInTree } from '../core/yaml-positions.js';
import { attachCases, type CaseFile } from './cases.js';
import type { CompiledRunbook, Lines, Placeholder } from './compiled.js';
import { substituteAt } from './placeholders.js';
import type { Runbook } from './schema.js';

export type { CaseFile, CompiledRunbook, Lines, Placeholder };

export interface LoadedRunbook {
  file: string;
  /** Placeholders resolved from the config: what the walk uses. */
  runbook: Runbook;
  /** sha256 of the file's text: the journal records it, resume refuses on a change. */
  hash: string;
  /** Drill cases kept in their own files (`<casesDir>/<id>/*.yaml`, incidents made tests): appended to drills, at these indexes. */
  cases?: CaseFile[];
  /** Case files that did not load: lint reports them, with their own file and line. */
  caseFindings?: Finding[];
  /** Where this runbook's case files are looked for. */
  casesDir?: string;
}

/** A runbook with what lint needs: the form as written, and the line of any path in it. */
export interface ParsedRunbook extends LoadedRunbook {
  written: Runbook;
  placeholders: Placeholder[];
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

export type LoadResult<L extends LoadedRunbook = ParsedRunbook> = { ok: true; loaded: L } | { ok: false; findings: Finding[] };

export function parsedFrom(file: string, hash: string, compiled: CompiledRunbook, lines: Lines, config: Config): ParsedRunbook {
  let tree: ReturnType<Lines> | null = null;
  return {
    file,
    hash,
    written: compiled.written,
    runbook: substituteAt(compiled.written, compiled.resolve, config),
    placeholders: compiled.placeholders,
    lineOf: (path) => lineInTree((tree ??= lines()), path),
  };
}

/** Read and check a runbook from its source, never from the cache. */
export async function loadRunbookFile(path: string, config: Config): Promise<LoadResult> {
  const file = displayPath(path);
  const read = await readSourceFile(path, file);
  if ('error' in read) return { ok: false, findings: [read.error] };
  const { compileRunbook } = await import('./compile.js');
  const result = await compileRunbook(file, read.text);
  if (!result.ok) return result;
  return { ok: true, loaded: await attachCases(parsedFrom(file, sha256(read.text), result.compiled, result.lines, config), path, config) };
}
