// Numbers as a tired human reads them: 3 significant figures, thousands separated.

/**
 * 1234567 → "1,234,567" (rounded to a whole number), as toLocaleString('en-US') writes it —
 * without ICU: its first use costs a walk 10 ms, every later call a new formatter.
 */
export function groupThousands(v: number): string {
  const n = Math.round(v);
  // Past 1e21 String() writes an exponent; nothing mangaops counts gets there.
  if (Math.abs(n) >= 1e21) return n.toLocaleString('en-US');
  return (Object.is(n, -0) ? '-0' : String(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && abs < 0.001) return v.toExponential(1);
  if (abs < 10) return String(Math.round(v * 1000) / 1000);
  if (abs < 1000) return String(Math.round(v * 10) / 10);
  return groupThousands(v);
}
