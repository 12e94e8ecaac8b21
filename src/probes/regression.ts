// A regress probe's value from two sample sets: the Mann-Whitney p-value or the p95 change.
import type { Evidence } from '../engine/evidence.js';
import type { RegressionProbe } from '../runbook/schema.js';
import type { z } from 'zod';

export function regressionEvidence(probe: z.infer<typeof RegressionProbe>, before: number[], after: number[]): Evidence {
  return { status: 'error', reason: `regression samples (${before.length} vs ${after.length}) need the stats module (${probe.report})` };
}
