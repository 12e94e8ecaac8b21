// Load a runbook file: YAML with positions → zod schema → placeholders resolved. Problems
// come back as findings with file:line, never as a thrown stack.
import { createHash } from 'node:crypto';
import type { Config } from '../core/config.js';
import { pathString, type Finding } from '../core/findings.js';
import { displayPath } from '../core/paths.js';
import { parseYaml, readYamlFile, type YamlSource } from '../core/yaml.js';
import { substitute } from './placeholders.js';
import { Runbook } from './schema.js';

export interface LoadedRunbook {
  file: string;
  source: YamlSource;
  /** As written, placeholders intact (lint reads this). */
  written: Runbook;
  /** Placeholders resolved from the config: what the walk uses. */
  runbook: Runbook;
  /** sha256 of the file's text: the journal records it, resume refuses on a change. */
  hash: string;
}

export type LoadResult = { ok: true; loaded: LoadedRunbook } | { ok: false; findings: Finding[] };

async function parseRunbook(file: string, text: string, config: Config): Promise<LoadResult> {
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
  const hash = createHash('sha256').update(text).digest('hex');
  return { ok: true, loaded: { file, source, written: parsed.data, runbook: substitute(parsed.data, config), hash } };
}

export async function loadRunbookFile(path: string, config: Config): Promise<LoadResult> {
  const file = displayPath(path);
  const read = await readYamlFile(path, file);
  if ('error' in read) return { ok: false, findings: [read.error] };
  return parseRunbook(file, read.text, config);
}
