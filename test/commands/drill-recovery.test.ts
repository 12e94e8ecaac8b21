// Drills whose world reacts: a fix confirmed in a drill moves the case's simulated metrics over
// simulated minutes, the recovery watch follows them on the simulated clock, and the score
// says how long the symptom took to recover and which fixes did not help. The runner still
// stops every fix after its plan.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { drill } from '../../src/commands/drill.js';
import { listJournals, readJournal } from '../../src/journal/journal.js';
import { renderText } from '../../src/journal/render.js';
import { makeIo } from '../helpers/io.js';

const env = () => ({ XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'mangaops-drill-rec-')) });
const flat = (s: string) => s.replace(/\s+/g, ' ');

interface Result {
  status: string;
  recovery: { status: string; after: number; step: number; action: string; simulated: boolean; probes: { probe: string; atFix: number; last: number }[]; undone?: { step: number; status: string } } | null;
  steps: { action?: string; status: string; recovery?: { status: string } }[];
  drill: { score: { correct: boolean; timeToRecoveryS: number | null; wrongFixes: { step: number; action: string; status: string }[] } };
}

describe('drill --auto --apply: the world reacts to the fixes', () => {
  it('GIVEN cold-connections WHEN every fix is confirmed THEN the warm-up brings first-token p95 under 2000 in 2 simulated minutes; nothing is applied', async () => {
    const e = env();
    // The two minutes pass on the drill's clock: a real sleep would fail the walk.
    const t = makeIo({ env: e, sleep: async () => Promise.reject(new Error('a real sleep in a drill')) });
    expect(await main(['drill', 'first-token', '--case', 'cold-connections', '--auto', '--apply', '--json'], t.io), t.err()).toBe(0);
    const result = JSON.parse(t.out()) as Result;
    expect(result.recovery).toMatchObject({ status: 'recovered', after: 120, step: 1, action: 'ecs.exec', simulated: true, probes: [{ probe: 'first-token-p95', atFix: 2500 }] });
    expect(result.recovery!.probes[0]!.last).toBeLessThan(2000);
    expect(result.steps.filter((s) => s.action).map((s) => [s.action, s.status, s.recovery?.status])).toEqual([
      ['ecs.exec', 'confirmed', 'recovered'],
      // Recovered already: the later fixes are confirmed, not watched.
      ['ecs.set-env', 'confirmed', undefined],
      ['ecs.scale', 'confirmed', undefined],
    ]);
    expect(result.drill.score).toMatchObject({ correct: true, timeToRecoveryS: 120, wrongFixes: [] });
    const report = flat(t.err());
    expect(report).toContain('watching recovery after step 1 ecs.exec: First-token latency p95 (all models) < 2,000 ms, every 1 min for up to 15 min on the simulated clock');
    expect(report).toMatch(/✓ recovered 2 min after ecs\.exec: ✓ First-token latency p95 \(all models\) 2,500 → 1,\d{3} ms \(healthy < 2,000 ms\) [▁-█]+/);
    expect(report).toContain('recovery not watched: the symptom recovered after step 1');
    expect(report).toContain('time to recovery: 2 min after the first fix (simulated)');
    expect(report).toContain('wrong fixes applied: 0');
    // The journal: planned and confirmed into the world, never applied; the watch from its first poll to its end.
    const [journal] = listJournals(e);
    const records = readJournal(journal!.file);
    expect(records.filter((r) => r.type === 'step').map((r) => r.status)).not.toContain('applied');
    expect(records.filter((r) => r.type === 'recovery')).toMatchObject([
      { step: 1, action: 'ecs.exec', outcome: 'cold-connections', status: 'watching', within: 900, interval: 60, simulated: true, probes: [{ probe: 'first-token-p95', op: '<', value: 2000, atFix: 2500 }] },
      { step: 1, status: 'recovered', after: 120, polls: 4, simulated: true },
    ]);
    expect(renderText(records)).toContain('recovered 120 s after step 1 ecs.exec: first-token-p95 2500 → ');
  });

  it('GIVEN --answer sending cold connections to "Bedrock degradation" WHEN its fix is confirmed THEN the watch says it did not recover, offers the undo, and the score counts a wrong fix', async () => {
    const t = makeIo({ env: env() });
    const code = await main(['drill', 'first-token', '--case', 'cold-connections', '--auto', '--apply', '--json', '--answer', 'check-pool=Yes - pings OK'], t.io);
    expect(code).toBe(1);
    const result = JSON.parse(t.out()) as Result;
    expect(result.recovery).toMatchObject({ status: 'not-recovered', after: 900, action: 'dynamodb.set-config', probes: [{ atFix: 2500, last: 2350 }] });
    expect(result.drill.score).toMatchObject({ correct: false, timeToRecoveryS: null, wrongFixes: [{ step: 2, action: 'dynamodb.set-config', status: 'not-recovered' }] });
    const report = flat(t.err());
    expect(report).toContain('✗ not recovered within 15 min of dynamodb.set-config: ✗ First-token latency p95 (all models) 2,500 → 2,350 ms (healthy ≤ 2,000 ms)');
    expect(report).toContain('the recorded undo: set complexity_threshold_for_sonnet back to 0.3');
    expect(report).toContain('no further fix at this outcome: escalate with the evidence above');
    expect(report).toContain('✗ not recovered wrong fixes applied: 1 (step 2 dynamodb.set-config: did not recover)');
  });

  it('GIVEN --auto without --apply THEN fixes are planned only and nothing is watched; GIVEN --no-watch THEN confirmed but not watched', async () => {
    const plain = makeIo({ env: env() });
    expect(await main(['drill', 'first-token', '--case', 'ecs-overload', '--auto', '--json'], plain.io)).toBe(0);
    const planned = JSON.parse(plain.out()) as Result;
    expect(planned.recovery).toBeNull();
    expect(planned.steps.filter((s) => s.action).map((s) => s.status)).toEqual(['planned']);
    expect(plain.err()).not.toContain('watching recovery');

    const off = makeIo({ env: env() });
    expect(await main(['drill', 'first-token', '--case', 'ecs-overload', '--auto', '--apply', '--no-watch', '--json'], off.io)).toBe(0);
    const unwatched = JSON.parse(off.out()) as Result;
    expect(unwatched.recovery).toBeNull();
    expect(unwatched.steps.filter((s) => s.action).map((s) => s.status)).toEqual(['confirmed']);
    expect(off.err()).toContain('recovery not watched (--no-watch)');
  });

  it('GIVEN --watch-interval 5m THEN the simulated clock polls every 5 minutes and the recovery is seen at 5', async () => {
    const t = makeIo({ env: env() });
    expect(await main(['drill', 'first-token', '--case', 'ecs-overload', '--auto', '--apply', '--watch-interval', '5m', '--json'], t.io)).toBe(0);
    expect((JSON.parse(t.out()) as Result).recovery).toMatchObject({ status: 'recovered', after: 300 });
  });
});

describe('an interactive drill', () => {
  it('GIVEN the engineer overrules to a wrong outcome and applies its fix THEN the watch says it did not help and offers to undo it in the world', async () => {
    const e = env();
    const t = makeIo({
      interactive: true,
      env: e,
      script: { 'which-intents': '\n', 'check-bedrock': '\n', 'check-pool': 'Yes - pings OK', 'check-throttle': '\n', 'choose:bedrock-degradation#0.1': true, 'undo:2': true },
    });
    expect(await drill({ scenario: 'first-token', case: 'cold-connections' }, t.io)).toBe(1);
    expect(t.prompter.asked.slice(-2).map((q) => [q.id, q.message, q.defaultValue, q.answer])).toEqual([
      ['choose:bedrock-degradation#0.1', "Would you apply this now? (drill: only the drill's world changes)", false, true],
      ['undo:2', "Undo step 2 in the drill's world? (nothing real is touched)", false, true],
    ]);
    const out = flat(t.out());
    expect(out).toContain('✗ not recovered within 15 min of dynamodb.set-config');
    expect(out).toContain('the recorded undo, offered now: set complexity_threshold_for_sonnet back to 0.3');
    expect(out).toContain("✓ step 2 undone in the drill's world (step 3)");
    expect(out).toContain('wrong fixes applied: 1 (step 2 dynamodb.set-config: did not recover)');
    const records = readJournal(listJournals(e)[0]!.file);
    expect(records.filter((r) => r.type === 'step' && r.step === 3)).toMatchObject([
      { status: 'planned', action: 'dynamodb.set-config', params: { value: 0.3 } },
      { status: 'confirmed', text: 'undo step 2: set complexity_threshold_for_sonnet back to 0.3', detail: { drill: "undone in the drill's world only", undoOf: 2 } },
    ]);
  });
});
