// `mangaops list`: the scenarios, their severity and their alarm, wrapped under the title.
import type { Io } from '../core/io.js';
import { formatFinding } from '../core/findings.js';
import { loadCatalog } from '../runbook/catalog.js';
import { screenOf } from '../ui/screen.js';
import { style } from '../ui/style.js';
import { wrap } from '../ui/wrap.js';
import { cacheFor, configFor, type CommonOptions } from './context.js';

export async function list(options: CommonOptions, io: Io): Promise<number> {
  const cache = cacheFor(io);
  const { loaded, broken } = await loadCatalog(await configFor(options, io, cache), cache);
  // A runbook that does not load is named, with its line; the others are listed all the same.
  for (const f of broken) io.stderr.write(`mangaops: ${formatFinding(f)} (not listed; mangaops validate shows every finding)\n`);
  const rows = loaded.map(({ runbook: r }) => ({
    id: r.id,
    scenario: r.scenario ?? null,
    kind: r.kind,
    title: r.title,
    severity: r.severity ?? null,
    alarm: r.alarm ?? null,
    aliases: r.aliases,
    drills: r.drills.length,
  }));
  if (options.json) {
    io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return broken.length ? 1 : 0;
  }
  const c = style(screenOf(io).color);
  const width = Math.max(...rows.map((r) => r.id.length));
  const under = ' '.repeat(width + 2 + 10);
  for (const r of rows) {
    io.stdout.write(wrap(`${c.bold(r.id.padEnd(width))}  ${(r.severity ?? r.kind).padEnd(9)} ${r.title}`, io.columns, '', under) + '\n');
    if (r.alarm) io.stdout.write(c.dim(wrap(`alarm: ${r.alarm}`, io.columns, under, under + '  ')) + '\n');
  }
  return broken.length ? 1 : 0;
}
