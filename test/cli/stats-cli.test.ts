// regress and gate through the CLI: argv → the config's budgets and the runbooks' probes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { makeIo } from '../helpers/io.js';
import { benchmarkRun, sampleDir } from '../helpers/samples.js';

const env = { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'mangaops-stats-')) };

describe('regress and gate from the command line', () => {
  const files = sampleDir();
  const before = files.write('before.txt', benchmarkRun(1, 200, 1180, 2410));
  const after = files.write('after.txt', benchmarkRun(2, 200, 1620, 3210));
  const same = files.write('same.txt', benchmarkRun(3, 200, 1180, 2410));
  const slower = files.write('slower.txt', benchmarkRun(4, 200, 1180 * 1.2, 2410 * 1.2));

  it("regress --json reports the seed's regression as significant SEV-2, exit 1", async () => {
    const t = makeIo({ env });
    expect(await main(['regress', '--before', before, '--after', after, '--json'], t.io)).toBe(1);
    expect(JSON.parse(t.out())).toMatchObject({ alternative: 'greater', significant: true, severity: 'SEV-2' });
  });

  it("gate reads the intent's budget from the config: a candidate over 3000 ms p95 fails", async () => {
    const t = makeIo({ env });
    expect(await main(['gate', '--baseline', before, '--candidate', after], t.io)).toBe(1);
    expect(t.out() + t.err()).toMatch(/3[ ,]?000/);
  });

  it('gate passes an unchanged candidate and fails a 20 % slower one', async () => {
    const ok = makeIo({ env });
    expect(await main(['gate', '--baseline', before, '--candidate', same], ok.io)).toBe(0);
    const bad = makeIo({ env });
    expect(await main(['gate', '--baseline', before, '--candidate', slower], bad.io)).toBe(1);
  });

  it('regress --metric names the known probes when the id is unknown, exit 2', async () => {
    const t = makeIo({ env });
    expect(await main(['regress', '--metric', 'nope', '--before-window', '-3h..-1h', '--after-window', '-1h..now'], t.io)).toBe(2);
    expect(t.err()).toContain('first-token:ftl-haiku');
  });
});
