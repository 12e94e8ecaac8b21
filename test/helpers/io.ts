// A captured Io for command tests: stdout and stderr as strings, no TTY unless asked, a
// prompter that fails on any question the test did not script, and — unless the test gives an
// environment of its own — journals in a throwaway folder, never the user's state folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../../src/core/io.js';
import { ScriptedPrompter, type Script } from './scripted-prompter.js';

export interface TestIo {
  io: Io;
  out(): string;
  err(): string;
  prompter: ScriptedPrompter;
}

export function makeIo(overrides: Partial<Io> & { script?: Script } = {}): TestIo {
  let out = '';
  let err = '';
  const { script, ...rest } = overrides;
  const prompter = (rest.prompter as ScriptedPrompter | undefined) ?? new ScriptedPrompter(script ?? {});
  let clock = 1_800_000_000_000;
  const io: Io = {
    stdout: { write: (s) => void (out += s) },
    stderr: { write: (s) => void (err += s) },
    interactive: false,
    color: false,
    columns: 80,
    env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'mangaops-state-')) },
    now: () => (clock += 10),
    ...rest,
    prompter,
  };
  return { io, out: () => out, err: () => err, prompter };
}
