// The real Io: the process's streams and a prompter over @inquirer/prompts, loaded lazily.
import type { InterruptSignal, Io } from '../core/io.js';
import { InquirerPrompter } from '../ui/inquirer-prompter.js';

// Ctrl-C, SIGTERM (a supervisor, `kill`) and SIGHUP (the SSH session dropped) end a run alike:
// every registered handler runs, the innermost first (a fix being applied journals how far it
// got, then the walk or act journals its end), each given HANDLER_MS at most, and the process
// ends as a shell expects (130, 143, 129). A second signal while that happens ends it at once.
const EXIT_CODES: Record<InterruptSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const SIGNALS = Object.keys(EXIT_CODES) as InterruptSignal[];
/** Long enough for a call in flight to answer (the runner waits 2 s for it), short enough to end. */
const HANDLER_MS = 4000;

type Handler = (signal?: InterruptSignal) => void | Promise<void>;
const handlers: Handler[] = [];
let ending: Promise<number> | undefined;

async function runHandlers(signal: InterruptSignal): Promise<number> {
  for (const handler of [...handlers].reverse()) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([handler(signal), new Promise((resolve) => (timer = setTimeout(resolve, HANDLER_MS)))]);
    } catch {
      // One handler's failure must not keep the others from journaling.
    } finally {
      clearTimeout(timer);
    }
  }
  return EXIT_CODES[signal];
}

function onSignal(signal: InterruptSignal) {
  if (ending) process.exit(EXIT_CODES[signal]);
  ending = runHandlers(signal);
  void ending.then((code) => process.exit(code));
}

const listeners = new Map(SIGNALS.map((s) => [s, () => onSignal(s)]));

function onInterrupt(handler: Handler): () => void {
  if (handlers.length === 0) for (const [s, l] of listeners) process.on(s, l);
  handlers.push(handler);
  return () => {
    const i = handlers.indexOf(handler);
    if (i >= 0) handlers.splice(i, 1);
    if (handlers.length === 0) for (const [s, l] of listeners) process.removeListener(s, l);
  };
}

/** Set while a signal's handlers run: main() waits for them instead of returning its own code. */
export function endingBySignal(): Promise<number> | undefined {
  return ending;
}

export function processIo(options: { color: boolean }): Io {
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return {
    stdout: { write: (s) => void process.stdout.write(s) },
    stderr: { write: (s) => void process.stderr.write(s) },
    interactive,
    color: options.color && !noColor && Boolean(process.stderr.isTTY),
    columns: process.stderr.columns || 80,
    env: process.env,
    prompter: new InquirerPrompter(),
    now: () => Date.now(),
    onInterrupt,
  };
}
