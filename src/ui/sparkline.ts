// Unicode block sparkline: eight levels are enough to see a climb at a glance.
const BLOCKS = '▁▂▃▄▅▆▇█';

export interface Scale {
  min: number;
  max: number;
}

/**
 * The scale a series is drawn on: its own range, stretched to take in the threshold when
 * there is one — so 58 → 59 % against a threshold of 90 stays flat, and a breach shows as
 * the climb past it that it is.
 */
export function scaleOf(values: readonly number[], threshold?: number): Scale {
  const all = threshold === undefined ? values : [...values, threshold];
  return { min: Math.min(...all), max: Math.max(...all) };
}

export function sparkline(values: readonly number[], width = 24, scale: Scale = scaleOf(values.slice(-width))): string {
  if (values.length === 0) return '';
  // More points than room: keep the most recent ones, which are what the alarm is about.
  const shown = values.slice(-width);
  const span = scale.max - scale.min;
  return shown.map((v) => BLOCKS[span === 0 ? 3 : Math.round(((v - scale.min) / span) * (BLOCKS.length - 1))]).join('');
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
