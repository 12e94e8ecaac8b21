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

export interface Io {
  /** Results. With --json, only the result object goes here. */
  stdout: Out;
  /** Progress, cards, messages. */
  stderr: Out;
  /** Whether a human is at a terminal (stdin and stderr are TTYs). */
  interactive: boolean;
  /** Colour on stderr/stdout (false under NO_COLOR, --no-color, or no TTY). */
  color: boolean;
  /** Terminal width for layout; 80 when unknown. */
  columns: number;
  env: NodeJS.ProcessEnv;
  prompter: Prompter;
  /** Milliseconds since epoch; injected so journal and score are testable. */
  now(): number;
  /**
   * Run `handler` on Ctrl-C, SIGTERM or SIGHUP outside a prompt (a prompt reports Ctrl-C as an
   * error instead), innermost first, each awaited for a few seconds at most, then end the
   * process; returns the function that removes it. Optional: tests have no signals.
   */
  onInterrupt?(handler: (signal?: InterruptSignal) => void | Promise<void>): () => void;
}
