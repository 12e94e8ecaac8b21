// Every drill of every shipped runbook, rendered at 60, 80 and 100 columns: no line of the
// report is wider than the terminal, except commands meant to be pasted (wrapping them would
// break them), and colour codes take no room.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/core/config.js';
import { loadAll } from '../../src/runbook/catalog.js';
import { width } from '../../src/ui/wrap.js';
import { makeIo } from '../helpers/io.js';

// The drills' journals go to a folder of this run's own.
const state = mkdtempSync(join(tmpdir(), 'mangaops-layout-'));
const runbooks = await loadAll(await loadConfig({ env: {} }));
const cases = runbooks.flatMap(({ runbook }) => runbook.drills.map((d) => [runbook.id, d.name] as const));
// Commands to paste (a plan's by-hand lines and their continuations) are never broken.
const pasteable = /^\s+(\.|\+ |aws |redis-cli |curl |jq |mangaops |--|-[a-zA-Z] |https?:\/\/|\| |'|\}|"|[A-Za-z_]+=)/;

// Colour once (at 80): escape codes must take no room at any width alike.
describe.each([
  [60, false],
  [80, true],
  [100, false],
])('at %i columns (colour: %s)', (columns, color) => {
  it.each(cases)('%s --case %s fits', async (id, name) => {
    const t = makeIo({ columns, color, stdoutColor: color, env: { XDG_STATE_HOME: state } });
    await main(['drill', id, '--case', name, '--auto'], t.io);
    const wide = t
      .out()
      .split('\n')
      .filter((l) => width(l) > columns && !pasteable.test(l.replace(/\x1b\[[0-9;]*m/g, '')));
    expect(wide).toEqual([]);
  });
});
