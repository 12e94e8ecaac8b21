// Load a runbook file: YAML with positions → zod schema → placeholders resolved. Problems
// come back as findings with file:line, never as a thrown stack. This module holds the schema
// (and zod): the catalog imports it only when a runbook is not in the cache.
import type { Config } from '../core/config.js';
import { sha256 } from '../core/cache.js';
import { pathString, type Finding } from '../core/findings.js';
import { displayPath } from '../core/paths.js';
import { readSourceFile } from '../core/source-file.js';
import { parseYaml, type YamlSource } from '../core/yaml.js';
import { substitute } from './placeholders.js';
import { Runbook } from './schema.js';

export interface LoadedRunbook {
  file: string;
  /** Placeholders resolved from the config: what the walk uses. */
  runbook: Runbook;
  /** sha256 of the file's text: the journal records it, resume refuses on a change. */
  hash: string;
}

/** A runbook read from its source just now, with the positions its findings name. */
export interface ParsedRunbook extends LoadedRunbook {
  source: YamlSource;
  /** As written, placeholders intact (lint reads this). */
  written: Runbook;
}

export type LoadResult<L extends LoadedRunbook = ParsedRunbook> = { ok: true; loaded: L } | { ok: false; findings: Finding[] };

export async function parseRunbook(file: string, text: string, config: Config): Promise<LoadResult> {
  const source = await parseYaml(file, text);
  if (source.errors.length) return { ok: false, findings: source.errors };
  const parsed = Runbook.safeParse(source.data);
  if (!parsed.success) {
    const findings = parsed.error.issues.map((issue) => ({
      file,
      line: source.lineOf(issue.path),
      path: pathString(issue.path),
      message: issue.code === 'invalid_type' && /received undefined/.test(issue.message) ? `required: ${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')}` : issue.message,
    }));
    return { ok: false, findings };
  }
  return { ok: true, loaded: { file, source, written: parsed.data, runbook: substitute(parsed.data, config), hash: sha256(text) } };
}

/** Read and check a runbook from its source, never from the cache (validate, tests). */
export async function loadRunbookFile(path: string, config: Config): Promise<LoadResult> {
  const file = displayPath(path);
  const read = await readSourceFile(path, file);
  if ('error' in read) return { ok: false, findings: [read.error] };
  return parseRunbook(file, read.text, config);
}
