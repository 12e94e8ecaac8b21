// Text wrapped for a terminal of a given width, measured as it shows: wrap-ansi counts
// columns with string-width, so colour codes take no room and wide characters take two.
// Narrow text — nearly all of what mangaops prints, coloured or not — is measured and wrapped
// here (wrap-styled.ts for coloured lines).
import { stringWidth, wrapAnsi } from './wide.js';
import { wrapStyledNarrow } from './wrap-styled.js';

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

/**
 * wrap-ansi's word wrap (`{ hard: false, trim: true }`) of one line of narrow text without
 * colour codes, where a column is a character: the same lines (test/ui/wrap.test.ts compares the
 * two on thousands of lines), without loading string-width to measure each word. Words are
 * separated by single spaces; a word longer than the line keeps a line of its own.
 */
export function wrapNarrow(line: string, columns: number): string {
  const text = line.normalize();
  if (text.trim() === '') return '';
  const rows = [''];
  let length = 0;
  let trimmed = -1;
  let first = true;
  for (const word of text.split(' ')) {
    const last = rows.length - 1;
    if (trimmed !== last) {
      const row = rows[last]!.trimStart();
      if (row.length !== rows[last]!.length) [rows[last], length] = [row, row.length];
      if (row.length > 0) trimmed = last;
    }
    if (first) first = false;
    else if (length > 0) {
      rows[rows.length - 1] += ' ';
      length++;
    }
    if (length + word.length > columns && length > 0 && word.length > 0) {
      rows.push('');
      length = 0;
    }
    rows[rows.length - 1] += word;
    length += word.length;
  }
  return rows.map(trimSpacesRight).join('\n');
}

function trimSpacesRight(row: string): string {
  let end = row.length;
  while (end > 0 && row[end - 1] === ' ') end--;
  return row.slice(0, end);
}

function wrapLine(text: string, columns: number): string {
  if (NARROW.test(text)) return wrapNarrow(text, columns);
  return wrapStyledNarrow(text, columns, NARROW) ?? wrapAnsi(text, columns, { hard: false, trim: true });
}

function wrapParagraph(text: string, columns: number, indent: string, hang: string): string[] {
  // The first line has `indent` before it and the others `hang`: wrap the first line to its
  // own room, then the rest to theirs (wrap-ansi closes and reopens styles at each break).
  const room = (prefix: string) => Math.max(10, columns - width(prefix));
  if (width(text) <= room(indent)) return [indent + text];
  const [first = '', ...more] = wrapLine(text, room(indent)).split('\n');
  const rest = more.length ? wrapLine(more.join(' '), room(hang)).split('\n') : [];
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
