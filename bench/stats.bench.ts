// `npx tsx bench/index.ts stats`: the Mann-Whitney U test at 1k, 10k, 100k and 1M samples per
// side (before and after, log-normal latencies in whole ms, so with ties), beside a naive rank
// computation that compares every pair (O(n·m)), timed where it finishes and extrapolated
// beyond. The O(n log n) test should grow about tenfold per row; the naive one a hundredfold.
// Figures, not assertions.
import { compareSamples } from '../src/stats/compare.js';
import { mannWhitneyU } from '../src/stats/mannwhitney.js';
import { lognormalSample, mulberry32 } from '../test/helpers/random.js';

const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(f: () => unknown, runs = RUNS): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

/** U by comparing every pair: the textbook definition, O(n·m). */
function naiveU(x: number[], y: number[]): number {
  let u = 0;
  for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0;
  return u;
}

const fmt = (ms: number) =>
  ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;

export async function run(): Promise<void> {
  const rand = mulberry32(20261127);
  const rows: string[][] = [['n per side', 'U test (sort + merge)', 'regress (+ percentiles)', 'naive O(n·m) U']];
  let naivePerPair = 0;
  for (const n of [1_000, 10_000, 100_000, 1_000_000]) {
    const before = lognormalSample(rand, n, 1180, 2410).map(Math.round);
    const after = lognormalSample(rand, n, 1620, 3210).map(Math.round);
    const runs = n >= 1_000_000 ? 3 : RUNS;
    const test = time(() => mannWhitneyU(after, before, { alternative: 'greater' }), runs);
    const full = time(() => compareSamples(before, after), runs);
    let naive: string;
    if (n <= 10_000) {
      const ms = time(() => naiveU(after, before), n <= 1_000 ? RUNS : 1);
      naivePerPair = ms / (n * n);
      naive = fmt(ms);
    } else {
      naive = `~${fmt(naivePerPair * n * n)} (extrapolated)`;
    }
    rows.push([n.toLocaleString('en-US'), fmt(test), fmt(full), naive]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());

  // The exact distribution as auto picks it for a small side without ties: O(m · mn).
  const small = lognormalSample(rand, 8, 1620, 3210);
  const big = lognormalSample(rand, 100_000, 1180, 2410);
  console.log(`exact p-value, 8 vs 100,000 (no ties): ${fmt(time(() => mannWhitneyU(small, big, { alternative: 'greater' })))}`);
  console.log(`median of ${RUNS} runs (3 at 1M); Node ${process.version}`);
}
