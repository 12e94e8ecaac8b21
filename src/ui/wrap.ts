// Text wrapped for a terminal of a given width, measured as it shows: wrap-ansi counts
// columns with string-width, so colour codes take no room and wide characters take two.
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

const SGR = /\x1b\[[0-9;]*m/g;
/**
 * Characters one column wide whatever the terminal: ASCII, Latin, punctuation, arrows,
 * operators (≤ ≥ ≠), box drawing, the sparkline's blocks, ○ ■, ✓ ✗ and the spinner's braille.
 * A string of only these is measured by its length: string-width's grapheme and East Asian
 * tables cost ~20 ms on the first call, a quarter of `mangaops list`. Anything else (a wide
 * character, an emoji, a combining mark) goes to string-width. test/ui/wrap.test.ts checks
 * every character of this set against string-width.
 */
export const NARROW = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u024f\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2200-\u22ff\u2500-\u25fc\u25ff\u2713\u2717\u2800-\u28ff]*$/;

/** Columns a string takes on screen (colour codes excluded). */
export function width(text: string): number {
  const plain = text.includes('\x1b') ? text.replace(SGR, '') : text;
  return NARROW.test(plain) ? plain.length : stringWidth(text);
}

function wrapParagraph(text: string, columns: number, indent: string, hang: string): string[] {
  // The first line has `indent` before it and the others `hang`: wrap the first line to its
  // own room, then the rest to theirs (wrap-ansi closes and reopens styles at each break).
  const room = (prefix: string) => Math.max(10, columns - width(prefix));
  if (width(text) <= room(indent)) return [indent + text];
  const [first = '', ...more] = wrapAnsi(text, room(indent), { hard: false, trim: true }).split('\n');
  const rest = more.length ? wrapAnsi(more.join(' '), room(hang), { hard: false, trim: true }).split('\n') : [];
  return [indent + first, ...rest.map((l) => hang + l)];
}

/** Word-wrap to `width` columns; `hang` indents the continuation lines (default: `indent`). */
export function wrap(text: string, columns: number, indent: string, hang: string = indent): string {
  const out: string[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    const words = para.replace(/\s*\n\s*/g, ' ').trim();
    if (!words) continue;
    out.push(...wrapParagraph(words, columns, out.length === 0 ? indent : hang, hang));
  }
  return out.join('\n');
}

/** Each line wrapped under its own leading spaces (a block of lines that each keep their indent). */
export function wrapLines(text: string, columns: number, extra = '  '): string {
  return text
    .split('\n')
    .map((line) => {
      const lead = /^(\s*)/.exec(line.replace(/\x1b\[[0-9;]*m/g, ''))![1]!;
      // The indent may sit inside a colour code: keep the codes, drop the spaces.
      const content = line.replace(/^((?:\x1b\[[0-9;]*m)*)\s+/, '$1').trimEnd();
      return content ? wrap(content, columns, lead, lead + extra) : line;
    })
    .join('\n');
}
