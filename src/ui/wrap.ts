// Text wrapped for a terminal of a given width, measured as it shows: wrap-ansi counts
// columns with string-width, so colour codes take no room and wide characters take two.
// Narrow text — nearly all of what mangaops prints, coloured or not — is measured and wrapped
// here (wrap-narrow.ts).
import { stringWidth, wrapAnsi } from './wide.js';
import { NARROW, wrapNarrow } from './wrap-narrow.js';

export { NARROW };

const SGR = /\x1b\[[0-9;]*m/g;

/** Columns a string takes on screen (colour codes excluded). */
export function width(text: string): number {
  const plain = text.includes('\x1b') ? text.replace(SGR, '') : text;
  return NARROW.test(plain) ? plain.length : stringWidth(text);
}

function wrapLine(text: string, columns: number): string {
  return wrapNarrow(text, columns) ?? wrapAnsi(text, columns, { hard: false, trim: true });
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
