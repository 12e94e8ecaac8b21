// A regress probe's value from two sample sets (drill samples, or two CloudWatch windows):
// the Mann-Whitney p-value or the relative change of p95, through the same comparison
// `mangaops regress` prints.
import type { z } from 'zod';
import type { Evidence } from '../engine/evidence.js';
import { MangaopsError } from '../errors.js';
import type { RegressionProbe } from '../runbook/schema.js';
import { assertDecidable, compareSamples } from '../stats/compare.js';

export function regressionEvidence(probe: z.infer<typeof RegressionProbe>, before: number[], after: number[]): Evidence {
  try {
    assertDecidable(before.length, after.length, probe.alternative, 0.05);
  } catch (e) {
    if (e instanceof MangaopsError) return { status: 'nodata', reason: e.message };
    throw e;
  }
  const c = compareSamples(before, after, { alternative: probe.alternative });
  const pct = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)} %`);
  const detail = `p = ${c.test.pValue.toPrecision(2)} (${c.test.method}, ${probe.alternative}); p95 ${Math.round(c.before.p95)} → ${Math.round(c.after.p95)} (${pct(c.p95Change)}); n = ${before.length} vs ${after.length}`;
  // Before then after, so the card's sparkline shows the step the test is about.
  const series = [...before, ...after].map((v) => ({ v }));
  if (probe.report === 'pValue') return { status: 'ok', value: c.test.pValue, datapoints: series, detail };
  if (c.p95Change === null) return { status: 'nodata', reason: 'the before p95 is 0: no relative change' };
  return { status: 'ok', value: c.p95Change, datapoints: series, detail };
}
