// The interactive walk with a scripted prompter: every question the engineer sees is
// scripted, and any other question fails the test.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drill } from '../../src/commands/drill.js';
import { readJournal, listJournals } from '../../src/journal/journal.js';
import { renderMarkdown } from '../../src/journal/render.js';
import { makeIo } from '../helpers/io.js';
import { InterruptingPrompter, ScriptedPrompter } from '../helpers/scripted-prompter.js';
import { writeFileSync } from 'node:fs';
import type { Choice } from '../../src/core/io.js';
import { resume } from '../../src/commands/resume.js';

const env = () => ({ XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'mangaops-walk-')) });

describe('interactive drill', () => {
  it('GIVEN Enter at every card WHEN the evidence is followed THEN the expected diagnosis is reached and nothing is overruled', async () => {
    const t = makeIo({
      interactive: true,
      env: env(),
      script: {
        'which-intents': '\n',
        'check-bedrock': '\n',
        'check-pool': '\n',
        'choose:cold-connections#0.0': true,
        'choose:cold-connections#1.0': '\n',
        'choose:cold-connections#2.0': '\n',
      },
    });
    const code = await drill({ scenario: 'first-token', case: 'cold-connections' }, t.io);
    expect(code).toBe(0);
    expect(t.prompter.asked.map((q) => [q.id, q.answer])).toEqual([
      ['which-intents', 'All intents'],
      ['check-bedrock', 'Yes'],
      ['check-pool', 'No - pings failing'],
      ['choose:cold-connections#0.0', true],
      ['choose:cold-connections#1.0', false],
      ['choose:cold-connections#2.0', false],
    ]);
    // Enter takes what the evidence picked, offered as the default; a fix defaults to No.
    expect(t.prompter.asked.slice(0, 3).every((q) => q.defaultValue === q.answer)).toBe(true);
    expect(t.prompter.asked.slice(3).every((q) => q.defaultValue === false)).toBe(true);
    expect(t.out()).toContain('■ Root Cause A confirmed: Cold connections to Bedrock');
    expect(t.out()).toContain('▶ ecs.exec');
    expect(t.out()).toContain('Drill: planned only, nothing was changed.');
    expect(t.out()).toContain('✓ reached the expected diagnosis');
    expect(t.out()).toContain('fixes chosen: 1 of 3 offered');
  });

  it('GIVEN an override WHEN the engineer picks another branch THEN the journal records it and the score says it led astray', async () => {
    const e = env();
    const t = makeIo({
      interactive: true,
      env: e,
      script: { 'which-intents': '\n', 'check-bedrock': '\n', 'check-pool': 'Yes - pings OK', 'check-throttle': '\n', 'choose:*': '\n' },
    });
    const code = await drill({ scenario: 'first-token', case: 'cold-connections' }, t.io);
    expect(code).toBe(1);
    expect(t.out()).toContain('overruled: "Yes - pings OK" instead of "No - pings failing"');
    // Lines wrap at 80 columns: read the screen as running text.
    expect(t.out().replace(/\s+/g, ' ')).toContain('at check-pool: chose "Yes - pings OK", the evidence said "No - pings failing"');
    const [journal] = listJournals(e);
    const records = readJournal(journal!.file);
    const override = records.find((r) => r.type === 'node' && r.node === 'check-pool');
    expect(override).toMatchObject({ answer: 'Yes - pings OK', by: 'override', suggested: 'No - pings failing' });
    expect(records.at(-1)).toMatchObject({ type: 'end', status: 'resolved', score: { correct: false, overrides: 1 } });
  });

  it('GIVEN a probe with no data WHEN the walk reaches its node THEN the human is asked, with no default', async () => {
    const t = makeIo({
      interactive: true,
      env: env(),
      script: { 'which-intents': '\n', 'check-bedrock': '\n', 'check-pool': 'No - pings failing', 'choose:*': '\n' },
    });
    const code = await drill({ scenario: 'first-token', case: 'cold-connections-no-ping-metric' }, t.io);
    expect(code).toBe(0);
    const asked = t.prompter.asked.find((q) => q.id === 'check-pool')!;
    expect(asked.message).toBe('Connection pool health pings succeeding?');
    expect(asked.defaultValue).toBeUndefined();
    expect(t.out()).toContain('→ your call');
  });

  it('GIVEN Ctrl-C at a prompt WHEN the walk is interrupted THEN the journal ends "aborted" and resume finishes it', async () => {
    const e = env();
    const prompter = new InterruptingPrompter({ 'which-intents': '\n', 'check-bedrock': '\n' }, 'check-pool');
    const t = makeIo({ interactive: true, env: e, prompter });
    expect(await drill({ scenario: 'first-token', case: 'cold-connections' }, t.io)).toBe(130);
    const incident = listJournals(e)[0]!.incident;
    expect(t.err()).toContain(`mangaops resume ${incident}`);
    expect(readJournal(listJournals(e)[0]!.file).at(-1)).toMatchObject({ type: 'end', status: 'aborted' });

    const r = makeIo({ interactive: true, env: e, script: { 'check-pool': '\n', 'choose:cold-connections#0.0': '\n', 'choose:cold-connections#1.0': '\n', 'choose:cold-connections#2.0': '\n' } });
    expect(await resume({ incident }, r.io)).toBe(0);
    // Only the unanswered question is asked again.
    expect(r.prompter.asked.map((q) => q.id)).toEqual(['check-pool', 'choose:cold-connections#0.0', 'choose:cold-connections#1.0', 'choose:cold-connections#2.0']);
    const records = readJournal(listJournals(e)[0]!.file);
    expect(records.filter((x) => x.type === 'node' && x.node === 'which-intents')).toHaveLength(1);
    expect(records.at(-1)).toMatchObject({ type: 'end', status: 'resolved', outcome: 'cold-connections' });
  });

  it("GIVEN a human question in a drill --auto THEN the case's own answer plays the human, and --answer overrides it", async () => {
    const e = env();
    const t = makeIo({ env: e });
    expect(await drill({ scenario: 'first-token', case: 'cold-connections-no-ping-metric', auto: true }, t.io)).toBe(0);
    // The journal says who answered: the case, not an engineer.
    const markdown = renderMarkdown(readJournal(listJournals(e)[0]!.file));
    expect(markdown).toContain('Connection pool health pings succeeding? → "No - pings failing" — answered by the drill case');
    const other = makeIo({ env: env() });
    const code = await drill({ scenario: 'first-token', case: 'cold-connections-no-ping-metric', auto: true, answer: ['check-pool=Yes - pings OK'] }, other.io);
    expect(code).toBe(1);
    expect(other.out()).toContain('■ Bedrock service degradation');
  });

  it('GIVEN an --answer for a node the runbook does not have THEN a usage error names the closest, before any evidence', async () => {
    const t = makeIo({ env: env() });
    await expect(drill({ scenario: 'first-token', case: 'cold-connections', auto: true, answer: ['check-pol=Yes'] }, t.io)).rejects.toMatchObject({
      exitCode: 2,
      message: "--answer check-pol=…: first-token has no question 'check-pol' (did you mean 'check-pool'?)",
    });
    expect(t.err()).not.toContain('gathering');
  });

  it('GIVEN an --answer that is not a branch THEN a usage error names the choices', async () => {
    const t = makeIo({ env: env() });
    await expect(drill({ scenario: 'first-token', case: 'cold-connections-no-ping-metric', auto: true, answer: ['check-pool=maybe'] }, t.io)).rejects.toMatchObject({
      exitCode: 2,
      hint: 'choose one of: "Yes - pings OK", "No - pings failing"',
    });
  });

  it('GIVEN Ctrl-C outside a prompt (a fix running) THEN the journal ends "aborted" with the resume command', async () => {
    const e = env();
    let interrupt: (() => void) | undefined;
    // The signal lands while the engineer is between questions; the handler journals the end.
    class SignalPrompter extends ScriptedPrompter {
      override async choose<T extends string>(request: { id: string; message: string; choices: Choice<T>[]; defaultValue?: T }): Promise<T> {
        if (request.id === 'check-pool') interrupt?.();
        return super.choose(request);
      }
    }
    const prompter = new SignalPrompter({ 'which-intents': '\n', 'check-bedrock': '\n', 'check-pool': '\n', 'choose:*': '\n' });
    const t = makeIo({ interactive: true, env: e, prompter, onInterrupt: (h) => ((interrupt = h), () => (interrupt = undefined)) });
    await drill({ scenario: 'first-token', case: 'cold-connections' }, t.io);
    const { incident, file } = listJournals(e)[0]!;
    const records = readJournal(file);
    expect(records.find((r) => r.type === 'end')).toMatchObject({ status: 'aborted', message: 'interrupted (Ctrl-C)' });
    expect(t.err()).toContain(`mangaops resume ${incident}`);
    // The listener is gone once the walk is over.
    expect(interrupt).toBeUndefined();
  });

  it('GIVEN the runbook changed since the incident started THEN resume refuses and says why', async () => {
    const e = env();
    const prompter = new InterruptingPrompter({ 'which-intents': '\n' }, 'check-bedrock');
    const t = makeIo({ interactive: true, env: e, prompter });
    await drill({ scenario: 'first-token', case: 'cold-connections' }, t.io);
    const { incident, file } = listJournals(e)[0]!;
    // Rewrite the start record as if the walk had begun on another version of the runbook.
    const lines = readJournal(file).map((r) => (r.type === 'start' ? { ...r, runbookHash: '0'.repeat(64) } : r));
    writeFileSync(file, lines.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const r = makeIo({ interactive: true, env: e });
    await expect(resume({ incident }, r.io)).rejects.toThrow(/runbook first-token changed since incident .* started \(sha256 000000000000 → [0-9a-f]{12}\)/);
  });
});
