// The real Io: the process's streams and a prompter over @inquirer/prompts, loaded lazily.
import type { Io } from '../core/io.js';
import { InquirerPrompter } from '../ui/inquirer-prompter.js';

// Ctrl-C runs every registered handler, the innermost first (a fix being applied journals
// what it had done, then the walk journals its end), and the process ends as a shell
// expects of Ctrl-C (130).
const handlers: (() => void)[] = [];
function onSignal() {
  for (const handler of [...handlers].reverse()) {
    try {
      handler();
    } catch {
      // One handler's failure must not keep the others from journaling.
    }
  }
  process.exit(130);
}

function onInterrupt(handler: () => void): () => void {
  if (handlers.length === 0) process.on('SIGINT', onSignal);
  handlers.push(handler);
  return () => {
    const i = handlers.indexOf(handler);
    if (i >= 0) handlers.splice(i, 1);
    if (handlers.length === 0) process.removeListener('SIGINT', onSignal);
  };
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
