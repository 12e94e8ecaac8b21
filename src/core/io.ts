// What a command may touch of the outside world, passed in so tests can capture it. It lives
// in core because the walk and the runner ask questions through `prompter` as much as the CLI
// does; nothing below the CLI imports @inquirer/prompts (the real prompter is in ui/).

export interface Out {
  write(text: string): void;
}

export interface Choice<T extends string = string> {
  value: T;
  name: string;
  description?: string;
}

/**
 * The narrow prompt port: the real one wraps @inquirer/prompts (ui/inquirer-prompter.ts),
 * tests script answers and fail on any question they did not expect.
 */
export interface Prompter {
  /** Pick one of several; `defaultValue` is what Enter picks. */
  choose<T extends string>(request: { id: string; message: string; choices: Choice<T>[]; defaultValue?: T }): Promise<T>;
  /** Yes / no; `defaultValue` is what Enter gives (mutations default to false). */
  confirm(request: { id: string; message: string; defaultValue: boolean }): Promise<boolean>;
  /** Free text. */
  input(request: { id: string; message: string; defaultValue?: string }): Promise<string>;
}

/** The signals that end a run the way Ctrl-C does (exit 130, 143, 129). */
export type InterruptSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
/** What ended a run early: a signal, or the reader closing our output (`| head`). */
export type Interruption = InterruptSignal | 'output closed';

const WORDS: Record<Interruption, string> = { SIGINT: 'Ctrl-C', SIGTERM: 'SIGTERM', SIGHUP: 'SIGHUP', 'output closed': 'output closed' };

/** What the journal says of an interruption: "interrupted (Ctrl-C)", "interrupted (SIGTERM)". */
export function interruptedBy(why: Interruption = 'SIGINT'): string {
  return `interrupted (${WORDS[why]})`;
}

export interface Io {
  /** The report — cards, decisions, plans, results — so it pipes and saves; with --json, only the result object. */
  stdout: Out;
  /** Prompts, progress, messages and errors. */
  stderr: Out;
  /** Whether a human is at a terminal (stdin and stderr are TTYs). */
  interactive: boolean;
  /** Colour on stderr (false under NO_COLOR, --no-color, or when stderr is no TTY). */
  color: boolean;
  /** Colour on stdout, which follows stdout's own TTY (default: as `color`). */
  stdoutColor?: boolean;
  /** Terminal width for layout; 80 when unknown. */
  columns: number;
  env: NodeJS.ProcessEnv;
  prompter: Prompter;
  /** Milliseconds since epoch; injected so journal and score are testable. */
  now(): number;
  /**
   * Wait `ms` on the same clock as `now` (a fix's verify, the recovery watch between polls).
   * Optional: a timer by default; tests pass one that moves their fake clock.
   */
  sleep?(ms: number): Promise<void>;
  /**
   * Run `handler` on Ctrl-C, SIGTERM or SIGHUP outside a prompt (a prompt reports Ctrl-C as an
   * error instead), or when the output is closed under us, innermost first, each awaited for
   * a few seconds at most, then end the process; `why` says which. Returns the function that
   * removes it. Optional: tests have no signals.
   */
  onInterrupt?(handler: (why?: Interruption) => void | Promise<void>): () => void;
  /** All of stdin, for `--event -`; undefined when stdin is a terminal (nothing is piped). */
  readStdin?(): Promise<string | undefined>;
}
