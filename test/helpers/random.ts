// Seeded randomness for tests: the same numbers on every run and machine, never Math.random.

/** mulberry32 (Tommy Ettinger's 32-bit generator): uniform in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box-Muller from a uniform generator. */
export function normal(rand: () => number): () => number {
  return () => {
    const u = 1 - rand(); // (0, 1]: log(0) never happens
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
}

const Z95 = 1.6448536269514722;

/**
 * n log-normal latencies shaped by their median and p95, as a benchmark run reports them:
 * median = e^μ, p95 = e^(μ + 1.645σ).
 */
export function lognormalSample(rand: () => number, n: number, median: number, p95: number): number[] {
  const sigma = Math.log(p95 / median) / Z95;
  const z = normal(rand);
  return Array.from({ length: n }, () => median * Math.exp(sigma * z()));
}
