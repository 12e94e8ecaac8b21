import type { Io } from '../core/io.js';
import { formatFinding } from '../core/findings.js';
import { loadCatalog } from '../runbook/catalog.js';
import { style } from '../ui/style.js';
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
  const c = style(io.color);
  const width = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) {
    io.stdout.write(`${c.bold(r.id.padEnd(width))}  ${(r.severity ?? r.kind).padEnd(9)} ${r.title}\n`);
    if (r.alarm) io.stdout.write(`${' '.repeat(width)}  ${' '.repeat(9)} ${c.dim('alarm: ' + r.alarm)}\n`);
  }
  return broken.length ? 1 : 0;
}
