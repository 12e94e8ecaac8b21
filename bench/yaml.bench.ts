// `npm run bench yaml`: reading a runbook grows linearly with its size. websocket-drop.yaml with
// 5k, 20k and 50k metric probes added: `mangaops validate FILE` end to end (built CLI, a cold
// cache: YAML, schema, lint), the YAML reader alone (js-yaml with positions, in this process),
// and the `yaml` package's parseDocument with uniqueKeys — the former reader, whose duplicate-key
// check compares each key with every earlier one — in a child process stopped after 90 s.
// Wall time and CPU time (user + system; GNU time for the children): on a shared machine the
// CPU time is the figure that load from elsewhere does not inflate. Figures, not assertions.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseYaml } from '../src/core/yaml.js';

const root = join(import.meta.dirname, '..');
const SIZES = [5_000, 20_000, 50_000];
const FORMER_LIMIT_MS = 90_000;

/** websocket-drop.yaml with `n` more metric probes (each used by no node: lint says so, once per probe). */
function runbookWith(n: number): string {
  const base = readFileSync(join(root, 'runbooks', 'websocket-drop.yaml'), 'utf8');
  const probes: string[] = [];
  for (let i = 0; i < n; i++) {
    probes.push(`  bench-${i}:\n    kind: metric\n    label: Bench probe ${i}\n    namespace: MangaAssist/Bench\n    metric: m${i}\n    dimensions: { Service: "s${i}" }\n    stat: Sum\n    period: 60\n    window: 1h\n    reduce: latest\n`);
  }
  return base.replace('probes:\n', `probes:\n${probes.join('')}`);
}

function child(argv: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ ms: number; stderr: string; timedOut: boolean }> {
  const t0 = performance.now();
  const c = spawn(argv[0]!, argv.slice(1), { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let timedOut = false;
  const timer = setTimeout(() => ((timedOut = true), c.kill('SIGKILL')), timeoutMs);
  return new Promise((resolve) => c.on('close', () => (clearTimeout(timer), resolve({ ms: performance.now() - t0, stderr, timedOut }))));
}

const FORMER = `const { parseDocument } = await import('yaml'); const text = (await import('node:fs')).readFileSync(process.argv[1], 'utf8'); parseDocument(text, { uniqueKeys: true }).toJS();`;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mangaops-bench-yaml-'));
  const time = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', '%M %U %S'] : [];
  /** Peak memory and CPU seconds from GNU time's last line, when it ran. */
  const measured = (stderr: string) => {
    if (!time.length) return { peak: '—', cpu: '—' };
    const [kb, user, system] = stderr.trim().split('\n').pop()!.split(' ').map(Number);
    return { peak: `${Math.round(kb! / 1024)} MB`, cpu: `${(user! + system!).toFixed(2)} s` };
  };
  const env = { PATH: process.env.PATH ?? '', HOME: dir, XDG_STATE_HOME: join(dir, 'state'), NO_COLOR: '1' };
  const rows: string[][] = [];
  try {
    for (const n of SIZES) {
      const file = join(dir, `probes-${n}.yaml`);
      const text = runbookWith(n);
      writeFileSync(file, text);
      const validate = await child([...time, process.execPath, join(root, 'bin', 'mangaops.cjs'), 'validate', file], { ...env, XDG_CACHE_HOME: mkdtempSync(join(dir, 'cache-')) }, 120_000);
      const { peak, cpu } = measured(validate.stderr);
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await parseYaml(file, text);
      const c1 = process.cpuUsage(c0);
      const reader = performance.now() - t0;
      const former = await child([...time, process.execPath, '--input-type=module', '-e', FORMER, file], env, FORMER_LIMIT_MS);
      rows.push([
        `${n / 1000}k`,
        `${(text.length / 1024 / 1024).toFixed(1)} MB`,
        `${(validate.ms / 1000).toFixed(2)} s / ${cpu}`,
        peak,
        `${(reader / 1000).toFixed(2)} s / ${((c1.user + c1.system) / 1e6).toFixed(2)} s`,
        former.timedOut ? `> ${FORMER_LIMIT_MS / 1000} s` : `${(former.ms / 1000).toFixed(2)} s / ${measured(former.stderr).cpu}`,
      ]);
    }
    const head = ['probes', 'file', 'mangaops validate FILE (wall / CPU)', 'its peak memory', 'YAML reader, js-yaml + positions (wall / CPU)', 'former: yaml parseDocument, uniqueKeys (wall / CPU)'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    console.log(line(head));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const r of rows) console.log(line(r));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
