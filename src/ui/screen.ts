// Where each kind of output goes: the report (what the walk found and did) on stdout, so
// `| less` and `> file` keep it; prompts, progress and passing messages on stderr. With --json
// stdout holds the result object alone, and the report moves to stderr. Each stream is
// coloured by its own TTY; NO_COLOR and --no-color switch both off.
import type { Io, Out } from '../core/io.js';
import { style } from './style.js';

export interface Screen {
  report: Out;
  /** Colour on the report's stream. */
  color: boolean;
  progress: Out;
  progressColor: boolean;
  columns: number;
  /** A human at a terminal: progress may redraw one line. */
  interactive: boolean;
}

export function screenOf(io: Pick<Io, 'stdout' | 'stderr' | 'color' | 'stdoutColor' | 'columns' | 'interactive'>, json = false): Screen {
  const stdoutColor = io.stdoutColor ?? io.color;
  return {
    report: json ? io.stderr : io.stdout,
    color: json ? io.color : stdoutColor,
    progress: io.stderr,
    progressColor: io.color,
    columns: io.columns,
    interactive: io.interactive,
  };
}

/** Chalk for the report and for progress. */
export function paints(screen: Screen) {
  return { c: style(screen.color), p: style(screen.progressColor) };
}
