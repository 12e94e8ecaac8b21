// The real Io: the process's streams and a prompter over @inquirer/prompts, loaded lazily.
import type { Io } from '../core/io.js';
import { InquirerPrompter } from '../ui/inquirer-prompter.js';

type Handler = (why?: string) => void;

// Ctrl-C runs every registered handler, the innermost first (a fix being applied journals
// what it had done, then the walk journals its end), and the process ends as a shell
// expects of Ctrl-C (130). A reader that closes the pipe early (`| head`) ends the walk the
// same way — the journal is closed, not left open — and the process exits quietly.
const handlers: Handler[] = [];

function runHandlers(why: string) {
  for (const handler of [...handlers].reverse()) {
    try {
      handler(why);
    } catch {
      // One handler's failure must not keep the others from journaling.
    }
  }
}

function onSignal() {
  runHandlers('Ctrl-C');
  process.exit(130);
}

let watchingPipes = false;
function watchPipes() {
  if (watchingPipes) return;
  watchingPipes = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      runHandlers('output closed');
      process.exit(process.exitCode ?? 0);
    });
  }
}

function onInterrupt(handler: Handler): () => void {
  if (handlers.length === 0) process.on('SIGINT', onSignal);
  handlers.push(handler);
  return () => {
    const i = handlers.indexOf(handler);
    if (i >= 0) handlers.splice(i, 1);
    if (handlers.length === 0) process.removeListener('SIGINT', onSignal);
  };
}

function columnsOf(text: string | undefined): number | undefined {
  const n = Number(text);
  return Number.isInteger(n) && n >= 20 && n <= 1000 ? n : undefined;
}

/** A pipe that never closes must not hold the command: what came within the deadline is refused, not waited on. */
const STDIN_DEADLINE_MS = 60_000;

async function readStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`stdin did not close within ${STDIN_DEADLINE_MS / 1000} s`)), STDIN_DEADLINE_MS);
  });
  try {
    await Promise.race([
      (async () => {
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      })(),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function processIo(options: { color: boolean }): Io {
  watchPipes();
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const colour = (tty: boolean | undefined) => options.color && !noColor && Boolean(tty);
  return {
    stdout: { write: (s) => void process.stdout.write(s) },
    stderr: { write: (s) => void process.stderr.write(s) },
    interactive,
    color: colour(process.stderr.isTTY),
    stdoutColor: colour(process.stdout.isTTY),
    // The report may be piped (`| less`): lay it out for the terminal the user looks at;
    // with none (CI, cron), COLUMNS as the shell convention has it.
    columns: process.stdout.columns || process.stderr.columns || columnsOf(process.env.COLUMNS) || 80,
    env: process.env,
    prompter: new InquirerPrompter(),
    now: () => Date.now(),
    onInterrupt,
    readStdin,
  };
}
