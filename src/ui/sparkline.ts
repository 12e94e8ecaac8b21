// Unicode block sparkline: eight levels are enough to see a climb at a glance.
const BLOCKS = '▁▂▃▄▅▆▇█';

export function sparkline(values: readonly number[], width = 24): string {
  if (values.length === 0) return '';
  // More points than room: keep the most recent ones, which are what the alarm is about.
  const shown = values.slice(-width);
  const min = Math.min(...shown);
  const max = Math.max(...shown);
  const span = max - min;
  return shown.map((v) => BLOCKS[span === 0 ? 3 : Math.round(((v - min) / span) * (BLOCKS.length - 1))]).join('');
}

/** ↑ rising, ↓ falling, → flat: last third against first third, 10 % either way. */
export function trend(values: readonly number[]): '↑' | '↓' | '→' {
  if (values.length < 2) return '→';
  const third = Math.max(1, Math.floor(values.length / 3));
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = mean(values.slice(0, third));
  const last = mean(values.slice(-third));
  const scale = Math.max(Math.abs(first), 1e-9);
  if ((last - first) / scale > 0.1) return '↑';
  if ((first - last) / scale > 0.1) return '↓';
  return '→';
}
