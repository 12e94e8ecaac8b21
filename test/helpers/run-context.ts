// A RunContext for driving the action runner in tests: a captured Io with a scripted
// prompter, the journal (in a temporary folder) and the terminal subscribed to the runner's
// events as in the CLI, the config the runbooks use, a fake clock whose sleeps advance it (so
// a ten-minute deadline passes in no time), and the ports given.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ports } from '../../src/capabilities/ports.js';
import type { ActionContext } from '../../src/capabilities/action.js';
import type { Config } from '../../src/core/config.js';
import { Events, type RunMode } from '../../src/events/events.js';
import { Journal, readJournal } from '../../src/journal/journal.js';
import type { StepRecord } from '../../src/journal/records.js';
import { journalWriter } from '../../src/journal/writer.js';
import type { RunContext } from '../../src/runner/runner.js';
import { terminalRenderer } from '../../src/ui/renderer.js';
import { screenOf } from '../../src/ui/screen.js';
import { makeIo, type TestIo } from './io.js';
import type { Script } from './scripted-prompter.js';

export const testConfig: Config = {
  region: 'ap-northeast-1',
  ecs: { cluster: 'mangaassist-prod', service: 'orchestrator', container: 'orchestrator', scaleCapFactor: 2 },
  aoss: { collection: 'manga-products', index: 'manga-products' },
  bedrock: { sonnetQuotaCode: 'L-F4DDD3EB' },
  redis: { url: 'redis://127.0.0.1:6379', prefix: 'precompute:' },
};

export interface TestRun {
  ctx: RunContext;
  t: TestIo;
  file: string;
  steps(): StepRecord[];
  /** Milliseconds slept, in order. */
  sleeps: number[];
}

export function runContext(options: {
  ports: Ports;
  mode?: RunMode;
  yes?: boolean;
  force?: boolean;
  interactive?: boolean;
  script?: Script;
  deadlineMs?: number;
  color?: boolean;
}): TestRun {
  const dir = mkdtempSync(join(tmpdir(), 'mangaops-run-'));
  const file = join(dir, 'incident.jsonl');
  let clock = Date.UTC(2026, 10, 27, 11, 15);
  const sleeps: number[] = [];
  const t = makeIo({ interactive: options.interactive ?? true, color: options.color ?? false, script: options.script, env: { XDG_STATE_HOME: dir }, now: () => clock });
  const journal = Journal.create({ incident: '20261127-111500-test-0001', file, env: {}, now: () => clock });
  let step = 0;
  const ctx: RunContext = {
    io: t.io,
    events: new Events(journalWriter(journal), terminalRenderer(screenOf(t.io))),
    incident: journal.incident,
    mode: options.mode ?? 'live',
    yes: options.yes ?? false,
    force: options.force ?? false,
    nextStep: () => ++step,
    ports: options.ports,
    config: testConfig,
    deadlineMs: options.deadlineMs,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
  };
  return { ctx, t, file, sleeps, steps: () => readJournal(file).filter((r): r is StepRecord => r.type === 'step') };
}

export interface FakeActionContext extends ActionContext {
  lines: string[];
  sleeps: number[];
  /** Milliseconds the fake clock has advanced. */
  elapsed(): number;
}

/** An ActionContext for calling plan/apply/verify directly: a fake clock that sleeps advance. */
export function fakeActionContext(ports: Ports, options: { deadlineMs?: number; force?: boolean; config?: Config } = {}): FakeActionContext {
  const start = Date.UTC(2026, 10, 27, 11, 15);
  let clock = start;
  const lines: string[] = [];
  const sleeps: number[] = [];
  return {
    ports,
    force: options.force ?? false,
    config: options.config ?? testConfig,
    deadlineMs: options.deadlineMs ?? 600_000,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    progress: (m) => lines.push(m),
    lines,
    sleeps,
    elapsed: () => clock - start,
  };
}
