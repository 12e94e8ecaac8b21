// Numbers as a tired human reads them: 3 significant figures, thousands separated.
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && abs < 0.001) return v.toExponential(1);
  if (abs < 10) return String(Math.round(v * 1000) / 1000);
  if (abs < 1000) return String(Math.round(v * 10) / 10);
  return Math.round(v).toLocaleString('en-US');
}
