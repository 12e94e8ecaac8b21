// `mangaops journal to-case <incident> [--name NAME]`: a recorded incident — its evidence and
// the answers humans gave — becomes a drill case of its runbook, in
// <casesDir>/<runbook>/<name>.yaml (default runbooks/cases/ beside the runbook; --cases-dir or
// config casesDir), loaded with the runbook from then on: `validate` walks it, `drill --case`
// replays it.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MangaopsError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { displayPath } from '../core/paths.js';
import { findJournal, readJournal, whoAmI } from '../journal/journal.js';
import type { StartRecord } from '../journal/records.js';
import { caseFromIncident, caseYaml } from '../journal/to-case.js';
import { findRunbook } from '../runbook/catalog.js';
import { casesDirFor } from '../runbook/cases.js';
import { loadRunbookFile, type LoadedRunbook } from '../runbook/load.js';
import type { Config } from '../core/config.js';
import { wrap } from '../ui/wrap.js';
import { cacheFor, configFor, type CommonOptions } from './context.js';
import { makeDirs } from '../core/dirs.js';

export interface ToCaseOptions extends CommonOptions {
  incident: string;
  name?: string;
  force?: boolean;
}

/** The runbook the incident walked: the file it recorded when that is still there with that id, else the shipped one. */
async function runbookOf(start: StartRecord, config: Config, io: Pick<Io, 'env'>): Promise<LoadedRunbook> {
  const recorded = resolve(start.runbookFile);
  if (existsSync(recorded)) {
    const r = await loadRunbookFile(recorded, config);
    if (r.ok && r.loaded.runbook.id === start.runbook) return r.loaded;
  }
  return findRunbook(start.runbook, config, cacheFor(io));
}

export async function toCase(options: ToCaseOptions, io: Io): Promise<number> {
  const config = await configFor(options, io);
  const records = readJournal(findJournal(options.incident, io.env));
  const start = records.find((r): r is StartRecord => r.type === 'start');
  if (!start) throw new MangaopsError(`the journal of ${options.incident} has no start record`);
  const loaded = await runbookOf(start, config, io);
  // The runbook as written: its cases are data, placeholders and all.
  const made = caseFromIncident(records, loaded.runbook, { name: options.name, convertedBy: whoAmI(io.env).who, convertedAt: new Date(io.now()).toISOString() });
  // A case of the runbook's own file is never replaced; a case file only with --force.
  const fromFiles = new Set((loaded.cases ?? []).map((c) => c.index));
  const taken = loaded.runbook.drills.findIndex((d) => d.name === made.drill.name);
  if (taken >= 0 && (!fromFiles.has(taken) || !options.force)) {
    throw new MangaopsError(`${loaded.runbook.id} already has a drill case named '${made.drill.name}'`, 1, fromFiles.has(taken) ? 'pass --name to choose another, or --force to replace that case file' : 'pass --name to choose another');
  }
  const dir = join(loaded.casesDir ?? casesDirFor(loaded.file, config), loaded.runbook.id);
  const file = join(dir, `${made.drill.name}.yaml`);
  if (existsSync(file) && !options.force) throw new MangaopsError(`${displayPath(file)} exists`, 1, 'pass --name to choose another, or --force to replace it');
  try {
    makeDirs(dir);
    writeFileSync(file, caseYaml(made));
  } catch (e) {
    throw new MangaopsError(`cannot write the case to ${displayPath(dir)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 1, 'pass --cases-dir a folder you can write to');
  }
  for (const note of made.notes) io.stderr.write(`note: ${note}\n`);
  if (options.json) {
    io.stdout.write(JSON.stringify({ file: displayPath(file), runbook: loaded.runbook.id, case: made.drill }, null, 2) + '\n');
    return 0;
  }
  const answers = Object.keys(made.drill.answers).length;
  io.stdout.write(wrap(`wrote ${displayPath(file)}: case '${made.drill.name}' of ${loaded.runbook.id} expects ${made.drill.expect} along ${made.drill.path!.join(' → ')} (${Object.keys(made.drill.evidence).length} probes, ${answers} human answer${answers === 1 ? '' : 's'})`, io.columns, '', '  ') + '\n');
  io.stderr.write(`validate walks it from now on; replay it: mangaops drill ${loaded.runbook.id} --case ${made.drill.name}${options.casesDir ? ` --cases-dir ${options.casesDir}` : ''}\n`);
  return 0;
}
