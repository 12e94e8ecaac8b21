import type { Io } from '../core/io.js';
import { findJournal, listJournals, readJournal } from '../journal/journal.js';
import { renderMarkdown, renderText } from '../journal/render.js';
import { screenOf } from '../ui/screen.js';
import { style } from '../ui/style.js';
import { wrap } from '../ui/wrap.js';
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
      /** A drill touched nothing real; diagnose and act did. */
      kind: start?.type === 'start' ? (start.mode === 'drill' ? 'drill' : 'live') : null,
      started: start?.at ?? null,
      status: end?.type === 'end' ? end.status : 'open',
      outcome: end?.type === 'end' ? end.outcomeTitle ?? null : null,
    };
  });
  if (options.json) {
    io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  if (rows.length === 0) {
    io.stderr.write('no incidents recorded yet\n');
    return 0;
  }
  const cells = rows.map((r) => [r.incident, r.kind ?? '?', (r.started ?? '').replace(/\.\d{3}Z$/, 'Z'), r.status, r.outcome ?? (r.mode === 'act' ? r.runbook ?? '' : '')]);
  const head = ['INCIDENT', 'KIND', 'STARTED (UTC)', 'STATUS', 'OUTCOME'];
  const widths = head.slice(0, -1).map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const left = widths.reduce((n, w) => n + w + 2, 0);
  const line = (row: string[]) => wrap(row.map((cell, i) => (i < widths.length ? cell.padEnd(widths[i]!) : cell)).join('  '), io.columns, '', ' '.repeat(left));
  io.stdout.write(style(screenOf(io).color).bold(line(head)) + '\n');
  for (const row of cells) io.stdout.write(line(row) + '\n');
  return 0;
}

export async function journalShow(options: CommonOptions & { incident: string; format: 'text' | 'json' | 'markdown' }, io: Io): Promise<number> {
  const records = readJournal(findJournal(options.incident, io.env));
  const format = options.json ? 'json' : options.format;
  io.stdout.write(format === 'json' ? JSON.stringify(records, null, 2) + '\n' : format === 'markdown' ? renderMarkdown(records) : renderText(records));
  return 0;
}
