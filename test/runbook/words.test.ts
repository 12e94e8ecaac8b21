// Words on screen: what an engineer reads at 3 a.m. carries no authoring vocabulary — no
// "extension", no "the seed" — in the runbooks' texts, nor on the cards a drill draws, even
// where the walk passes nodes and edges the authors added.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/core/config.js';
import { loadAll } from '../../src/runbook/catalog.js';
import type { Runbook } from '../../src/runbook/schema.js';
import { makeIo } from '../helpers/io.js';

const all = await loadAll(await loadConfig());
const INTERNAL = /\bextension\b|\bseed\b/i;

/** Every string of a runbook that reaches the screen, with where it is. */
function screenTexts(rb: Runbook): [string, string][] {
  const out: [string, string][] = [[`${rb.id}.title`, rb.title], [`${rb.id}.summary`, rb.summary]];
  for (const [id, p] of Object.entries(rb.probes)) if (p.label) out.push([`probes.${id}.label`, p.label]);
  for (const d of rb.drills) out.push([`drills.${d.name}.description`, d.description]);
  for (const [id, n] of Object.entries(rb.nodes)) {
    if (n.note) out.push([`${id}.note`, n.note]);
    if (n.type === 'step') out.push([`${id}.text`, n.text]);
    if (n.type === 'decision') out.push([`${id}.question`, n.question], ...n.branches.map((b): [string, string] => [`${id}.branch`, b.label]));
    if (n.type === 'outcome') {
      out.push([`${id}.title`, n.title], [`${id}.explanation`, n.explanation]);
      for (const t of n.resolution) for (const s of t.steps) out.push([`${id}.resolution`, s.text]);
      for (const p of n.prevention) out.push([`${id}.prevention`, `${p.measure} ${p.implementation ?? ''}`]);
    }
  }
  return out;
}

describe('words on screen', () => {
  it.each(all.map((l) => [l.runbook.id, l.runbook] as const))('%s: no authoring words in any text the walk shows', (_id, rb) => {
    expect(screenTexts(rb).filter(([, text]) => INTERNAL.test(text))).toEqual([]);
  });

  it('a drill through added nodes draws no "(extension)" tag on its cards', async () => {
    const t = makeIo({ env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'mangaops-words-')) } });
    // traffic-spike ends at a node the authors added, past a question they added.
    expect(await main(['drill', 'first-token', '--case', 'traffic-spike', '--auto'], t.io)).toBe(0);
    const screen = t.out() + t.err();
    expect(screen).toContain('Traffic spike');
    expect(screen).not.toMatch(INTERNAL);
  });
});
