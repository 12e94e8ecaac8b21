import type { Io } from '../core/io.js';
import { findJournal, listJournals, readJournal } from '../journal/journal.js';
import { renderMarkdown, renderText } from '../journal/render.js';
import type { CommonOptions } from './context.js';

export async function journalList(options: CommonOptions, io: Io): Promise<number> {
  const rows = listJournals(io.env).map((j) => {
    const records = readJournal(j.file);
    const start = records.find((r) => r.type === 'start');
    const end = [...records].reverse().find((r) => r.type === 'end');
    return {
      incident: j.incident,
      runbook: start?.type === 'start' ? start.runbook : null,
      mode: start?.type === 'start' ? start.mode : null,
      started: start?.at ?? null,
      status: end?.type === 'end' ? end.status : 'open',
      outcome: end?.type === 'end' ? end.outcomeTitle ?? null : null,
    };
  });
  if (options.json) {
    io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  if (rows.length === 0) io.stderr.write('no incidents recorded yet\n');
  for (const r of rows) io.stdout.write(`${r.incident}  ${(r.status ?? '').padEnd(11)} ${r.outcome ?? ''}\n`);
  return 0;
}

export async function journalShow(options: CommonOptions & { incident: string; format: 'text' | 'json' | 'markdown' }, io: Io): Promise<number> {
  const records = readJournal(findJournal(options.incident, io.env));
  const format = options.json ? 'json' : options.format;
  io.stdout.write(format === 'json' ? JSON.stringify(records, null, 2) + '\n' : format === 'markdown' ? renderMarkdown(records) : renderText(records));
  return 0;
}
