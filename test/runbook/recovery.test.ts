// What "recovered" means at an outcome: its own recovery: conditions, or the alarm's probe back
// on the healthy side of the one threshold the alarm step states — and nothing guessed beyond.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { findRunbook } from '../../src/runbook/catalog.js';
import { alarmCondition, recoveryOf } from '../../src/runbook/recovery.js';
import type { Runbook } from '../../src/runbook/schema.js';

const config = await loadConfig();
const firstToken = (await findRunbook('first-token', config)).runbook;

describe('recovery conditions', () => {
  it("GIVEN cold-connections' own recovery: THEN first-token p95 < 2000 within 15 min", () => {
    expect(recoveryOf(firstToken, 'cold-connections')).toEqual({ ok: true, value: { conditions: [{ probe: 'first-token-p95', op: '<', value: 2000 }], withinMs: 900_000, from: 'outcome' } });
  });

  it("GIVEN an outcome with none THEN the alarm's probe back on the healthy side of the alarm step's threshold", () => {
    expect(firstToken.nodes.alarm).toMatchObject({ type: 'step', text: 'CloudWatch Alarm first_token_p95 > 2000ms for 10 min' });
    expect(recoveryOf(firstToken, 'ecs-overload')).toEqual({ ok: true, value: { conditions: [{ probe: 'first-token-p95', op: '<=', value: 2000 }], withinMs: 900_000, from: 'alarm' } });
  });

  it("GIVEN websocket-drop's hourly alarm metric THEN the default probe with the outcome's own 2 h window", async () => {
    const ws = (await findRunbook('websocket-drop', config)).runbook;
    expect(recoveryOf(ws, 'corporate-proxy')).toEqual({ ok: true, value: { conditions: [{ probe: 'stream-cancellations', op: '<=', value: 50 }], withinMs: 7_200_000, from: 'alarm' } });
  });

  it("GIVEN a probe's own healthy: THEN it wins over the text; GIVEN two thresholds or none in the text THEN it says why it cannot tell", () => {
    const rb = (text: string, healthy?: string): Runbook =>
      ({ ...firstToken, nodes: { ...firstToken.nodes, alarm: { ...firstToken.nodes.alarm!, text } as Runbook['nodes'][string] }, probes: { ...firstToken.probes, 'first-token-p95': { ...firstToken.probes['first-token-p95']!, healthy } } }) as Runbook;
    expect(alarmCondition(rb('p95 > 2,500 ms', '< 1800'))).toEqual({ ok: true, value: { probe: 'first-token-p95', op: '<', value: 1800 } });
    expect(alarmCondition(rb('p95 > 2,500 ms'))).toEqual({ ok: true, value: { probe: 'first-token-p95', op: '<=', value: 2500 } });
    expect(alarmCondition(rb('p95 > 2000 or p50 > 900'))).toEqual({ ok: false, why: "the alarm step's text states 2 thresholds and its probe 'first-token-p95' declares no healthy side" });
    expect(alarmCondition(rb('latency is high'))).toMatchObject({ ok: false });
  });
});
