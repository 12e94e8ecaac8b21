// The real Io: the process's streams and a prompter over @inquirer/prompts, loaded lazily.
import type { Io } from './io.js';
import { InquirerPrompter } from '../ui/inquirer-prompter.js';

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
    // After the handler has journaled, the process ends as a shell expects of Ctrl-C (130).
    onInterrupt(handler) {
      const onSignal = () => {
        handler();
        process.exit(130);
      };
      process.once('SIGINT', onSignal);
      return () => void process.removeListener('SIGINT', onSignal);
    },
  };
}
