// A runbook's text checked into the form the cache keeps: YAML with positions → zod schema.
// Problems come back as findings with file:line, never as a thrown stack. This module holds
// the YAML reader and the schema (zod): it is imported only when a runbook is not cached.
import { pathString, type Finding } from '../core/findings.js';
import { parseYaml } from '../core/yaml.js';
import type { CompiledRunbook, Lines } from './compiled.js';
import { placeholderPaths, placeholders } from './placeholders.js';
import { Runbook } from './schema.js';

export async function compileRunbook(file: string, text: string): Promise<{ ok: true; compiled: CompiledRunbook; lines: Lines } | { ok: false; findings: Finding[] }> {
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
  return { ok: true, compiled: { written: parsed.data, placeholders: placeholders(source.data), resolve: placeholderPaths(parsed.data) }, lines: source.lineTree };
}
