// Drill cases kept in files of their own — `journal to-case` turns a real incident into one —
// under <casesDir>/<runbook id>/*.yaml, appended to the runbook's drills so validate walks them
// and drill --case replays them. Read from source each time (there are few, and none by
// default): the YAML reader and the schema load only when such a folder has files.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../core/config.js';
import { pathString, type Finding } from '../core/findings.js';
import { displayPath } from '../core/paths.js';
import { substitute } from './placeholders.js';
import type { Runbook } from './schema.js';

export interface CaseFile {
  /** Its place in the runbook's drills. */
  index: number;
  file: string;
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** Where a runbook's case files live: the config's casesDir (--cases-dir), else cases/ beside the runbook; then its id. */
export function casesDirFor(runbookPath: string, config: Config): string {
  return config.casesDir ? resolve(config.casesDir) : join(dirname(resolve(runbookPath)), 'cases');
}

function caseFileNames(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    return [];
  }
}

/**
 * The runbook with its case files appended to its drills (`written` too, when lint has it); a
 * case that does not load is a finding of its own file, never a broken runbook.
 */
export async function attachCases<L extends { runbook: Runbook; written?: Runbook; casesDir?: string; cases?: CaseFile[]; caseFindings?: Finding[] }>(loaded: L, runbookPath: string, config: Config): Promise<L> {
  loaded.casesDir = casesDirFor(runbookPath, config);
  const dir = join(loaded.casesDir, loaded.runbook.id);
  const names = caseFileNames(dir);
  if (!names.length) return loaded;
  const [{ parseYaml }, { DrillCase }] = await Promise.all([import('../core/yaml.js'), import('./schema.js')]);
  loaded.cases = [];
  loaded.caseFindings = [];
  for (const name of names) {
    const file = displayPath(join(dir, name));
    const source = await parseYaml(file, readFileSync(join(dir, name), 'utf8'));
    if (source.errors.length) {
      loaded.caseFindings.push(...source.errors);
      continue;
    }
    const parsed = DrillCase.safeParse(source.data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) loaded.caseFindings.push({ file, line: source.lineOf(issue.path), path: pathString(issue.path), message: issue.message });
      continue;
    }
    loaded.cases.push({ index: loaded.runbook.drills.length, file, lineOf: (path) => source.lineOf(path) });
    // Resolving placeholders may keep the written drills list itself: append once to each list.
    if (loaded.written && loaded.written.drills !== loaded.runbook.drills) loaded.written.drills.push(parsed.data);
    loaded.runbook.drills.push(substitute(parsed.data, config));
  }
  return loaded;
}
