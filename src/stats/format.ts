// How regress and gate print figures: the seed's own style ("+33%", "p = 0.003", "p < 0.001").

/** A measured value: whole units from 100 up, otherwise three significant figures. */
export function formatValue(v: number, unit = ''): string {
  const abs = Math.abs(v);
  const text = abs >= 100 || v === 0 ? String(Math.round(v)) : abs >= 10 ? v.toFixed(1) : String(Number(v.toPrecision(3)));
  return unit ? `${text} ${unit}` : text;
}

/** A relative change as a signed percentage: 0.332 → "+33.2%"; null (no ratio) → "n/a". */
export function formatChange(change: number | null): string {
  if (change === null) return 'n/a';
  const pct = Math.round(change * 1000) / 10;
  return `${pct > 0 ? '+' : pct === 0 ? '±' : ''}${pct.toFixed(1)}%`;
}

/**
 * A p-value as the seed writes it: two significant figures, or "p < 0.001" below that — with
 * as many more digits as it takes to stay on its side of α: 0.0501 is not "p = 0.05".
 */
export function formatP(p: number, alpha?: number): string {
  if (p < 0.001) return 'p < 0.001';
  let digits = 2;
  const shown = () => Number(p.toPrecision(digits));
  while (alpha !== undefined && digits < 6 && p !== alpha && (shown() === alpha || shown() < alpha !== p < alpha)) digits++;
  return `p = ${shown()}`;
}

/** A fraction as a whole or one-decimal percentage without sign: 0.15 → "15%". */
export function formatFraction(f: number): string {
  return `${Number((f * 100).toFixed(1))}%`;
}

/** Columns padded to their widest cell, two spaces apart. */
export function renderTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}
