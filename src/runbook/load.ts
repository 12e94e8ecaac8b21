// Load a runbook file: YAML with positions → zod schema → placeholders resolved. Problems
// come back as findings with file:line, never as a thrown stack.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../core/config.js';
import { pathString, type Finding } from '../core/findings.js';
import { displayPath } from '../core/paths.js';
import { parseYaml, type YamlSource } from '../core/yaml.js';
import { substitute } from './placeholders.js';
import { DrillCase, Runbook } from './schema.js';

export interface LoadedRunbook {
  file: string;
  source: YamlSource;
  /** As written, placeholders intact (lint reads this). */
  written: Runbook;
  /** Placeholders resolved from the config: what the walk uses. */
  runbook: Runbook;
  /** sha256 of the file's text: the journal records it, resume refuses on a change. */
  hash: string;
  /** Drill cases kept in their own files (`<casesDir>/<id>/*.yaml`, incidents made tests): appended to drills, at these indexes. */
  cases?: { index: number; file: string; source: YamlSource }[];
  /** Case files that did not load: lint reports them, with their own file and line. */
  caseFindings?: Finding[];
  /** Where this runbook's case files are looked for. */
  casesDir?: string;
}

export type LoadResult = { ok: true; loaded: LoadedRunbook } | { ok: false; findings: Finding[] };

function parseRunbook(file: string, text: string, config: Config): LoadResult {
  const source = parseYaml(file, text);
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
  const hash = createHash('sha256').update(text).digest('hex');
  return { ok: true, loaded: { file, source, written: parsed.data, runbook: substitute(parsed.data, config), hash } };
}

/** Where a runbook's case files live: the config's casesDir (--cases-dir), else cases/ beside the runbook; then its id. */
export function casesDirFor(runbookPath: string, config: Config): string {
  return config.casesDir ? resolve(config.casesDir) : join(dirname(resolve(runbookPath)), 'cases');
}

/** The case files of one runbook, appended to its drills; a case that does not load is a finding, not a broken runbook. */
function loadCases(loaded: LoadedRunbook, root: string, config: Config): void {
  const dir = join(root, loaded.runbook.id);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    return;
  }
  loaded.cases = [];
  loaded.caseFindings = [];
  for (const name of names) {
    const file = displayPath(join(dir, name));
    const source = parseYaml(file, readFileSync(join(dir, name), 'utf8'));
    if (source.errors.length) {
      loaded.caseFindings.push(...source.errors);
      continue;
    }
    const parsed = DrillCase.safeParse(source.data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) loaded.caseFindings.push({ file, line: source.lineOf(issue.path), path: pathString(issue.path), message: issue.message });
      continue;
    }
    loaded.cases.push({ index: loaded.runbook.drills.length, file, source });
    loaded.written.drills.push(parsed.data);
    loaded.runbook.drills.push(substitute(parsed.data, config));
  }
}

export async function loadRunbookFile(path: string, config: Config): Promise<LoadResult> {
  const file = displayPath(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return { ok: false, findings: [{ file, path: '', message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` }] };
  }
  const result = parseRunbook(file, text, config);
  if (result.ok) {
    result.loaded.casesDir = casesDirFor(path, config);
    loadCases(result.loaded, result.loaded.casesDir, config);
  }
  return result;
}
