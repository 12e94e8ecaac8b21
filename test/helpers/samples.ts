// Seeded synthetic benchmark runs for the regress and gate tests, written to a temp folder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quantileSorted, sortedCopy } from '../../src/stats/describe.js';
import { lognormalSample, mulberry32 } from './random.js';

/**
 * n log-normal latencies in ms, rescaled so that their own p95 is exactly `p95`
 * (the seed's figures then appear as they are in the table), from `seed`.
 */
export function benchmarkRun(seed: number, n: number, median: number, p95: number): number[] {
  const raw = lognormalSample(mulberry32(seed), n, median, p95);
  const k = p95 / quantileSorted(sortedCopy(raw), 0.95);
  return raw.map((v) => v * k);
}

/** A temp folder with `write(name, values | text)` returning the path. */
export function sampleDir() {
  const dir = mkdtempSync(join(tmpdir(), 'mangaops-regress-'));
  return {
    dir,
    write(name: string, content: number[] | string): string {
      const file = join(dir, name);
      writeFileSync(file, typeof content === 'string' ? content : content.join('\n') + '\n');
      return file;
    },
  };
}
