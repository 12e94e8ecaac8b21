// Colour that can be switched off per Io (NO_COLOR, --no-color, no TTY): a chalk instance
// per level rather than the global one, so tests render both ways in one process.
import { Chalk, type ChalkInstance } from 'chalk';

export function style(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}
