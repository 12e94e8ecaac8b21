// The case made of a journal, record by record: evidence as a drill gives it, secrets masked,
// overrides and unfinished incidents refused with the reason.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { caseFromIncident, simulatedOf } from '../../src/journal/to-case.js';
import type { JournalRecord } from '../../src/journal/records.js';
import { findRunbook } from '../../src/runbook/catalog.js';
import { Probe } from '../../src/runbook/schema.js';

const { runbook } = await findRunbook('websocket-drop', await loadConfig({ env: {} }));
const metric = Probe.parse({ kind: 'metric', namespace: 'A', metric: 'm', stat: 'Sum', reduce: 'sum' });

describe('GIVEN recorded evidence', () => {
  it('THEN a series that sums back to its value is kept as the series, else the value', () => {
    expect(simulatedOf(metric, { status: 'ok', value: 6, datapoints: [{ v: 1 }, { v: 2 }, { v: 3 }] })).toEqual([1, 2, 3]);
    expect(simulatedOf(metric, { status: 'ok', value: 7, datapoints: [{ v: 1 }, { v: 2 }, { v: 3 }] })).toBe(7);
  });

  it('THEN account ids, URL passwords and tokens are masked in values and reasons', () => {
    expect(simulatedOf(metric, { status: 'error', reason: 'AccessDenied: arn:aws:iam::123456789012:role/oncall is not authorized' })).toEqual({ error: 'AccessDenied: arn:aws:iam::<account-id>:role/oncall is not authorized' });
    expect(simulatedOf(metric, { status: 'nodata', reason: 'cannot connect to rediss://default:hunter2@cache.example:6379 (token=abc123)' })).toEqual({ nodata: 'cannot connect to rediss://default:***@cache.example:6379 (token=<secret>)' });
    expect(simulatedOf(metric, { status: 'ok', value: 'xoxb-1234567890-abcdefghij' })).toBe('<token>');
  });
});

const start = (extra: Partial<JournalRecord> = {}) => ({ type: 'start', at: '2026-03-04T11:16:00.000Z', incident: 'i-1', mode: 'diagnose', runbook: 'websocket-drop', runbookFile: 'runbooks/websocket-drop.yaml', runbookHash: 'f'.repeat(64), who: 'alice', host: 'laptop', source: 'AWS ap-northeast-1', options: {}, ...extra }) as JournalRecord;
const evidence = { type: 'evidence', at: '2026-03-04T11:16:00.000Z', incident: 'i-1', evidence: {}, ms: 5 } as JournalRecord;
const node = (n: string, extra: Record<string, unknown> = {}) => ({ type: 'node', at: '2026-03-04T11:16:00.000Z', incident: 'i-1', node: n, nodeType: 'decision', text: n, ...extra }) as JournalRecord;

describe('GIVEN an incident the engineer overruled, or one that stopped short', () => {
  it('THEN an override is refused: the runbook would not walk that path on the evidence', () => {
    const records = [start(), evidence, node('alarm', { nodeType: 'step' }), node('client-reports', { answer: 'Yes', by: 'override', suggested: 'No' }), node('corporate-proxy', { nodeType: 'outcome' })];
    expect(() => caseFromIncident(records, runbook)).toThrow(/at client-reports the engineer overruled the evidence \("Yes" over "No"\)/);
  });

  it('THEN an incident with no diagnosis is refused, saying how to finish it', () => {
    expect(() => caseFromIncident([start(), evidence, node('alarm', { nodeType: 'step' })], runbook)).toThrow(/reached no diagnosis/);
  });
});
