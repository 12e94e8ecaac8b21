// The real Io: the process's streams and a prompter over @inquirer/prompts, loaded lazily.
import { isatty } from 'node:tty';
import type { Interruption, InterruptSignal, Io } from '../core/io.js';
import { InquirerPrompter } from '../ui/inquirer-prompter.js';

// Ctrl-C, SIGTERM (a supervisor, `kill`) and SIGHUP (the SSH session dropped) end a run alike:
// every registered handler runs, the innermost first (a fix being applied journals how far it
// got, then the walk or act journals its end), each given HANDLER_MS at most, and the process
// ends as a shell expects (130, 143, 129). A second signal while that happens ends it at once.
// A reader that closes the pipe early (`| head`) ends a walk the same way — the journal is
// closed, not left open — and the process exits quietly with its own code.
const EXIT_CODES: Record<InterruptSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const SIGNALS = Object.keys(EXIT_CODES) as InterruptSignal[];
/** Long enough for a call in flight to answer (the runner waits 2 s for it), short enough to end. */
const HANDLER_MS = 4000;

type Handler = (why?: Interruption) => void | Promise<void>;
const handlers: Handler[] = [];
let ending: Promise<number> | undefined;

async function runHandlers(why: Interruption): Promise<void> {
  for (const handler of [...handlers].reverse()) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([handler(why), new Promise((resolve) => (timer = setTimeout(resolve, HANDLER_MS)))]);
    } catch {
      // One handler's failure must not keep the others from journaling.
    } finally {
      clearTimeout(timer);
    }
  }
}

function end(why: Interruption, code: number) {
  if (ending) return process.exit(code);
  ending = runHandlers(why).then(() => code);
  void ending.then((c) => process.exit(c));
}

const listeners = new Map(SIGNALS.map((s) => [s, () => end(s, EXIT_CODES[s])]));

function onInterrupt(handler: Handler): () => void {
  if (handlers.length === 0) for (const [s, l] of listeners) process.on(s, l);
  handlers.push(handler);
  return () => {
    const i = handlers.indexOf(handler);
    if (i >= 0) handlers.splice(i, 1);
    if (handlers.length === 0) for (const [s, l] of listeners) process.removeListener(s, l);
  };
}

/** Set while interruption handlers run: main() waits for them instead of returning its own code. */
export function endingBySignal(): Promise<number> | undefined {
  return ending;
}

let watchingPipes = false;
function watchPipes() {
  if (watchingPipes) return;
  watchingPipes = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') return end('output closed', typeof process.exitCode === 'number' ? process.exitCode : 0);
      // A terminal that went away (SIGHUP) fails writes with EIO: the journal, not the screen,
      // is what must be finished then, and the signal's handlers are doing that.
      if (error.code === 'EIO') return;
      throw error;
    });
  }
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
  // isatty(0), not process.stdin.isTTY: the same answer without opening stdin as a stream (2 ms
  // of every command that never reads it).
  const interactive = isatty(0) && Boolean(process.stderr.isTTY);
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
