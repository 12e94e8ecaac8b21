// One whole interactive drill through a real pseudo-terminal, keyboard only: Enter through
// the evidence, answer a human question, overrule one branch; the screen says what happened.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir, runCli } from '../helpers/cli.js';
import { KEY, Terminal } from '../helpers/pty.js';

const FOLLOW = 'Follow the evidence?';

describe('an interactive drill in a terminal', () => {
  it.each([
    ['without colour', { NO_COLOR: '1' }],
    ['with colour', { FORCE_COLOR: '1' }],
  ])('can be finished with the keyboard alone at 80 columns, %s', async (_name, colour) => {
    const state = stateDir();
    const t = new Terminal(['drill', 'first-token', '--case', 'cold-connections-no-ping-metric'], { XDG_STATE_HOME: state, ...colour });
    // Which intents are affected? — the cursor starts on the evidence's pick; Enter takes it.
    await t.waitFor('❯ All intents  ← evidence');
    t.type(KEY.enter);
    await t.waitFor('❯ Yes  ← evidence'); // Bedrock InvocationLatency p95 > 1500ms? — Enter
    t.type(KEY.enter);
    await t.waitFor('? Connection pool health pings succeeding?', 2); // no data: the human answers
    // No evidence, no default: the cursor rests on a line that picks nothing, so Enter alone
    // cannot answer; the engineer moves to an answer on purpose.
    await t.waitFor('❯ (move to an answer with ↑↓, then Enter)');
    expect(t.screen).toContain('→ your call');
    t.type(KEY.enter);
    await t.waitFor('❯ (move to an answer with ↑↓, then Enter)', 2);
    t.type(KEY.down, KEY.enter); // "Yes - pings OK"
    // ThrottlingException count > 0? — the evidence says No; overrule to Yes.
    await t.waitFor('❯ No  ← evidence');
    t.type(KEY.up, KEY.enter);
    // Each fix is planned (nothing runs) and the drill asks whether you would apply it: Enter = No.
    await t.waitFor('Would you apply this now?');
    expect(t.screen).toContain('Drill: planned only, nothing was changed.');
    for (let n = 1; !t.screen.includes('Drill score'); n++) {
      t.type(KEY.enter);
      await Promise.race([t.waitFor('Would you apply this now?', n + 1, 5000).catch(() => undefined), t.waitFor('Drill score', 1, 5000).catch(() => undefined)]);
    }
    await t.waitFor('Drill score');
    const code = await t.exited;
    const screen = t.screen;
    expect(screen).toContain('overruled: "Yes" instead of "No" (journaled)');
    // Every value says where it stands with a mark, not colour alone.
    expect(screen).toMatch(/✗ Bedrock InvocationLatency p95, Haiku: 1,800 ms \(healthy\s≤\s1,500\sms\)/);
    expect(screen).toMatch(/\? Bedrock connection-pool health pings failing: no data/);
    expect(screen).toContain('■ Bedrock throttling — request quota exceeded');
    expect(screen).toContain('✗ reached "Bedrock throttling — request quota exceeded"; the case expected');
    expect(screen).toContain('overrides: 1');
    expect(screen).toMatch(/fixes chosen: 0 of \d+ offered/);
    expect(code).toBe(1);
    // Readable at 80 columns: nothing we print runs past the edge — except a command to
    // paste (aws …, its --option lines), which must stay whole to paste.
    const pasteable = /^\s+(aws |redis-cli |curl |jq |--)/;
    const wide = screen.split('\n').filter((l) => [...l].length > 80 && !pasteable.test(l));
    expect(wide).toEqual([]);
    // Colour only when allowed: NO_COLOR leaves no colour codes at all.
    if ('NO_COLOR' in colour) expect(t.output).not.toMatch(/\x1b\[3\dm/);
    else expect(t.output).toMatch(/\x1b\[32m/);

    // The journal of that drill reads as a timeline.
    const [file] = readdirSync(join(state, 'mangaops', 'incidents'));
    const incident = file!.replace('.jsonl', '');
    const md = runCli(['journal', 'show', incident, '--format', 'markdown'], { XDG_STATE_HOME: state }).stdout;
    expect(md).toContain(`# Incident ${incident}`);
    expect(md).toContain('| Bedrock ThrottlingException count > 0? → "Yes" — overruled by the engineer (evidence said "No")');
    expect(md).toContain('Connection pool health pings succeeding? → "Yes - pings OK" — answered by the engineer');
  });

  it('killed mid-walk leaves valid JSONL that resume continues', async () => {
    const state = stateDir();
    const t = new Terminal(['drill', 'first-token', '--case', 'cold-connections'], { XDG_STATE_HOME: state, NO_COLOR: '1' });
    await t.waitFor(FOLLOW);
    t.type(KEY.enter);
    await t.waitFor(FOLLOW, 2);
    // The process dies without a chance to clean up.
    t.child.kill('SIGKILL');
    await t.exited;
    const dir = join(state, 'mangaops', 'incidents');
    const [file] = readdirSync(dir);
    const lines = readFileSync(join(dir, file!), 'utf8').trim().split('\n');
    const records = lines.map((l) => JSON.parse(l) as { type: string; node?: string });
    expect(records.map((r) => r.type).slice(0, 2)).toEqual(['start', 'evidence']);
    expect(records.some((r) => r.type === 'node' && r.node === 'which-intents')).toBe(true);
    expect(records.some((r) => r.type === 'end')).toBe(false);

    const r = runCli(['resume', file!.replace('.jsonl', ''), '--auto', '--json'], { XDG_STATE_HOME: state });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: { id: 'cold-connections' }, status: 'resolved' });
  });
});
