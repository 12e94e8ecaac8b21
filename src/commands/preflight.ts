// `mangaops diagnose <id> --preflight`: every read of the tree called once, in daylight.
import type { Io } from '../core/io.js';
import type { LiveSourceOptions } from '../walk/live-source.js';
import type { LoadedRunbook } from '../runbook/load.js';
import { style } from '../ui/style.js';
import type { CommonOptions } from './context.js';

export async function runPreflight(loaded: LoadedRunbook, source: LiveSourceOptions, options: CommonOptions, io: Io): Promise<number> {
  const { preflight } = await import('../walk/preflight.js');
  io.stderr.write(`preflight of ${loaded.runbook.id}: calling each read once with the current credentials\n`);
  const rows = await preflight(loaded.runbook, { config: source.config, region: source.region, profile: source.profile, env: source.env });
  const bad = rows.filter((r) => r.status !== 'ok');
  if (options.json) {
    io.stdout.write(JSON.stringify({ scenario: loaded.runbook.id, ok: bad.length === 0, probes: rows }, null, 2) + '\n');
    return bad.length ? 1 : 0;
  }
  const c = style(io.color);
  const mark = { ok: c.green('ok'), denied: c.red('denied'), 'not found': c.yellow('not found'), error: c.red('error') } as const;
  const width = Math.max(...rows.map((r) => r.probe.length), 5);
  for (const r of rows) io.stdout.write(`${r.probe.padEnd(width)}  ${mark[r.status].padEnd(9)}  ${r.call}${r.detail ? c.dim(` — ${r.detail}`) : ''}\n`);
  io.stdout.write(bad.length ? `${bad.length} of ${rows.length} reads would fail during an incident\n` : `all ${rows.length} reads work with these credentials\n`);
  return bad.length ? 1 : 0;
}
