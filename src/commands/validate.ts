import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { displayPath } from '../core/paths.js';
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { runbookFiles, runbookLoader } from '../runbook/catalog.js';
import { lint } from '../engine/lint.js';
import { formatFinding, type Finding } from '../core/findings.js';
import { style } from '../ui/style.js';
import { cacheFor, configFor, type CommonOptions } from './context.js';

// Every source is read again; one whose text is the one cached is not parsed again (its checked
// form and lines are in the cache), and every file is linted and every drill case walked.
export async function validate(options: CommonOptions & { files?: string[] }, io: Io): Promise<number> {
  const cache = cacheFor(io);
  const config = await configFor(options, io, cache);
  const load = runbookLoader(config, cache).parsed;
  const files = options.files?.length ? options.files.map((f) => resolve(f)) : runbookFiles();
  // A file that is not there is a mistyped argument, not a finding about a runbook.
  const missing = options.files?.filter((f) => !existsSync(f)) ?? [];
  if (missing.length) throw new UsageError(`no such file: ${missing.join(', ')}`, 'mangaops validate [FILE…]; without files it checks every shipped runbook');
  const findings: Finding[] = [];
  const ids = new Map<string, string>();
  // An alarm two runbooks claim alike would be walked by whichever sorts first: say so.
  const matchers = new Map<string, string>();
  const summary: { file: string; id?: string; nodes?: number; drills?: number; caseFiles?: number; casesDir?: string; findings: number }[] = [];
  for (const file of files) {
    const result = await load(file);
    const own = result.ok ? lint(result.loaded, config) : result.findings;
    if (result.ok) {
      const rb = result.loaded.runbook;
      for (const name of [rb.id, ...rb.aliases]) {
        const other = ids.get(name);
        if (other) own.push({ file: result.loaded.file, line: result.loaded.lineOf(['id']), path: 'id', message: `'${name}' is already used by ${other}` });
        else ids.set(name, result.loaded.file);
      }
      rb.alarms.forEach((m, i) => {
        const key = JSON.stringify([m.name, m.namespace, m.metric, Object.entries(m.dimensions ?? {}).sort()]);
        const other = matchers.get(key);
        if (other) own.push({ file: result.loaded.file, line: result.loaded.lineOf(['alarms', i]), path: `alarms.${i}`, message: `${other} answers the same alarms: say which runbook an alarm picks (a dimension, a name pattern)` });
        else matchers.set(key, rb.id);
      });
      const caseFiles = result.loaded.cases?.length ?? 0;
      summary.push({ file: result.loaded.file, id: rb.id, nodes: Object.keys(rb.nodes).length, drills: rb.drills.length, ...(caseFiles && { caseFiles, casesDir: displayPath(join(result.loaded.casesDir!, rb.id)) }), findings: own.length });
    } else {
      summary.push({ file: own[0]?.file ?? file, findings: own.length });
    }
    findings.push(...own);
  }
  if (options.json) {
    io.stdout.write(JSON.stringify({ ok: findings.length === 0, files: summary, findings }, null, 2) + '\n');
  } else {
    const c = style(io.color);
    for (const f of findings) io.stdout.write(`${c.red('✗')} ${formatFinding(f)}\n`);
    for (const s of summary) {
      const from = s.caseFiles ? ` (${s.caseFiles} from incidents, in ${s.casesDir}/)` : '';
      if (s.findings === 0) io.stdout.write(`${c.green('✓')} ${s.file}: ${s.nodes} nodes, ${s.drills} drill cases reach their outcomes${from}\n`);
    }
    io.stdout.write(findings.length ? `${findings.length} finding(s) in ${summary.filter((s) => s.findings).length} file(s)\n` : `${files.length} runbook(s) valid\n`);
  }
  return findings.length ? 1 : 0;
}
