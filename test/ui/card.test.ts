// The evidence card as the engineer reads it: each value marked ✗ / ✓ / ? / ○ with its
// healthy side, the value the evidence decided by first, and a trend line that fits.
import { describe, expect, it } from 'vitest';
import type { EvidenceMap } from '../../src/core/evidence.js';
import { loadConfig } from '../../src/core/config.js';
import { suggest } from '../../src/engine/decide.js';
import { findRunbook } from '../../src/runbook/catalog.js';
import type { DecisionNode } from '../../src/runbook/schema.js';
import { renderDecisionCard } from '../../src/ui/card.js';
import { style } from '../../src/ui/style.js';
import { width } from '../../src/ui/wrap.js';

const { runbook } = await findRunbook('first-token', await loadConfig({ env: {} }));
const { runbook: gate } = await findRunbook('prompt-regression', await loadConfig({ env: {} }));
const plain = style(false);

function card(rb: typeof runbook, id: string, evidence: EvidenceMap, columns = 100): string {
  const node = rb.nodes[id] as DecisionNode;
  return renderDecisionCard(rb, id, node, evidence, suggest(node, evidence), plain, columns);
}

const series = (...vs: number[]) => vs.map((v) => ({ v }));

describe('evidence card', () => {
  it('GIVEN Haiku latency over 1500 ms WHEN drawn THEN it is marked ✗ with its healthy side, and the context probe with no threshold ○', () => {
    const out = card(runbook, 'check-bedrock', {
      'bedrock-latency-haiku': { status: 'ok', value: 2400, datapoints: series(400, 900, 1600, 2400) },
      'bedrock-ttft-sonnet': { status: 'ok', value: 900 },
    });
    expect(out).toMatch(/✗ .*: 2,400 ms \(healthy\u00a0≤\u00a01,500\u00a0ms\)/);
    expect(out).toMatch(/○ .*: 900 ms\n/);
    expect(out).toContain('→ evidence picks "Yes"');
  });

  it('GIVEN a value within its threshold WHEN drawn THEN ✓; GIVEN no data THEN ? with the reason', () => {
    const within = card(runbook, 'check-bedrock', { 'bedrock-latency-haiku': { status: 'ok', value: 800 } });
    expect(within).toMatch(/✓ .*: 800 ms/);
    const missing = card(runbook, 'check-bedrock', { 'bedrock-latency-haiku': { status: 'nodata', reason: 'no datapoints in the last 10m' } });
    expect(missing).toMatch(/\? .*no datapoints in the last 10m/);
  });

  it('GIVEN the decisive probe listed second in the runbook WHEN drawn THEN it comes first', () => {
    const out = card(runbook, 'check-throttle', {
      'bedrock-throttles-sonnet': { status: 'ok', value: 0 },
      'bedrock-throttles-haiku': { status: 'ok', value: 12 },
    });
    const lines = out.split('\n').filter((l) => /^ {2}[✗✓?○] /.test(l));
    expect(lines[0]).toMatch(/^ {2}✗ .*12/);
  });

  it('GIVEN 30 datapoints at 60 columns WHEN drawn THEN the trend line fits and keeps its numbers and scale', () => {
    const vs = Array.from({ length: 30 }, (_, i) => 1000 + i * 50);
    const out = card(runbook, 'check-bedrock', { 'bedrock-latency-haiku': { status: 'ok', value: 2450, datapoints: series(...vs) } }, 60);
    const trendLine = out.split('\n').find((l) => l.includes(' → 2,450 '))!;
    expect(width(trendLine)).toBeLessThanOrEqual(60);
    expect(trendLine).toMatch(/1,000 → 2,450 ↑ {2}scale [\d,]+–2,450 ms$/);
  });

  it('GIVEN a metric under its threshold WHEN drawn THEN the scale reaches the threshold, so a flat line stays flat', () => {
    const out = card(runbook, 'check-bedrock', { 'bedrock-latency-haiku': { status: 'ok', value: 610, datapoints: series(600, 605, 610) } });
    expect(out).toContain('scale 600–1,500 ms');
  });

  it("GIVEN a test's p-value over latency samples WHEN drawn THEN the samples keep their own scale (not stretched to p's 0.05)", () => {
    const out = card(gate, 'stats', {
      'rec-latency-pvalue': { status: 'ok', value: 0.003, datapoints: series(2000, 2100, 2600, 2700), inputs: true, detail: 'p = 0.003' },
    });
    expect(out).toContain('scale 2,000–2,700');
  });
});

describe('the healthy side of a probe compared both ways', () => {
  it('GIVEN session at 178 ms where the rules say "<= 500" for RAG-only and "> 500" for DynamoDB-slow WHEN drawn THEN ✓ healthy ≤ 500', async () => {
    const { runbook: rag } = await findRunbook('rag-timeout', await loadConfig({ env: {} }));
    const out = card(rag, 'which-task', {
      'task-rag': { status: 'ok', value: 2001 },
      'task-session': { status: 'ok', value: 178 },
      'task-profile': { status: 'ok', value: 140 },
      'task-cache': { status: 'ok', value: 40 },
    });
    expect(out).toMatch(/✗ .*rag: 2,001 ms \(healthy\u00a0≤\u00a01,000\u00a0ms\)/);
    expect(out).toMatch(/✓ .*session \(DynamoDB\): 178 ms \(healthy\u00a0≤\u00a0500\u00a0ms\)/);
    expect(out).toMatch(/✓ .*cache \(Redis\): 40 ms \(healthy\u00a0≤\u00a0200\u00a0ms\)/);
  });
});

describe('a short series', () => {
  it('GIVEN six datapoints at 100 columns WHEN drawn THEN sparkline, numbers and scale share one line', () => {
    const out = card(runbook, 'check-bedrock', { 'bedrock-latency-haiku': { status: 'ok', value: 0, datapoints: series(0, 0, 0, 0, 0, 0) } });
    expect(out).toMatch(/\n {4}\S{6} 0 → 0 → {2}scale 0–1,500 ms\n/);
  });
});
