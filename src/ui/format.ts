// Numbers and probes as a tired human reads them.
import { kindOf, type Probe } from '../capabilities/probes.js';
import type { Evidence } from '../core/evidence.js';
import { formatNumber } from '../core/number.js';

export { formatNumber };

export function formatValue(v: number | boolean | string, unit?: string): string {
  if (typeof v !== 'number') return String(v);
  return unit ? `${formatNumber(v)} ${unit}` : formatNumber(v);
}

/** Where a probe's value comes from, in one line: its kind says. */
export function describeProbe(p: Probe): string {
  return kindOf(p).describe(p);
}

export function evidenceValue(e: Evidence | undefined, unit?: string): string {
  if (!e) return 'not gathered';
  if (e.status === 'ok') return formatValue(e.value, unit) + (e.partial ? ' (partial data)' : '');
  return `no data — ${e.reason}`;
}

/** Where the journal is, as a command to paste: on its own line when the terminal is narrow. */
export function journalLine(incident: string, columns: number): string {
  const line = `journal: mangaops journal show ${incident}`;
  return (line.length <= columns ? line : `journal:\n  mangaops journal show ${incident}`) + '\n';
}
