// What a command may touch of the outside world, passed in so tests can capture it.
// Commands never import @inquirer/prompts: they ask through `prompter` (src/ui/prompter.ts).
import type { Prompter } from '../ui/prompter.js';

export interface Out {
  write(text: string): void;
}

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
   * Run `handler` on Ctrl-C outside a prompt (a prompt reports it as an error instead),
   * then end the process; returns the function that removes it. Optional: tests have no signals.
   */
  onInterrupt?(handler: () => void): () => void;
}
