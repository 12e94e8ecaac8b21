// wrap-ansi's word wrap (`{ hard: false, trim: true }`) of a line of narrow text, plain or
// coloured the way chalk colours it (level 1: each style one `ESC[<n>m` code), done here: nearly
// every line mangaops wraps is such a line (coloured at a terminal), and loading wrap-ansi and
// string-width costs 20 ms (an Intl.Segmenter each and string-width's Unicode-property regexes),
// a quarter of `mangaops list`. Where a column is a character, the result is wrap-ansi's, byte
// for byte — styles closed at the end of a row and opened again at the start of the next, in
// its order — as test/ui/wrap.test.ts checks on thousands of plain and coloured lines. Any other
// escape, or text that is not narrow: undefined, and the caller asks wrap-ansi.

/**
 * Characters one column wide whatever the terminal: ASCII, Latin, punctuation, arrows,
 * operators (≤ ≥ ≠), box drawing, the sparkline's blocks, ○ ■, ✓ ✗ and the spinner's braille.
 * A string of only these is measured by its length: string-width's grapheme and East Asian
 * tables cost ~20 ms on the first call, a quarter of `mangaops list`. Anything else (a wide
 * character, an emoji, a combining mark) goes to string-width. test/ui/wrap.test.ts checks
 * every character of this set against string-width.
 */
export const NARROW = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u024f\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2200-\u22ff\u2500-\u25fc\u25ff\u2713\u2717\u2800-\u28ff]*$/;

const SGR = /\x1b\[(\d+)m/g;
const ANY_ESCAPE = /[\x1b\x9b]/;

/** Modifiers and the code that closes them (ansi-styles' table, for the codes chalk writes). */
const MODIFIER_CLOSE: ReadonlyMap<number, number> = new Map([
  [1, 22],
  [2, 22],
  [3, 23],
  [4, 24],
  [7, 27],
  [8, 28],
  [9, 29],
  [53, 55],
]);
const CLOSES = new Set([22, 23, 24, 27, 28, 29, 55]);
const FOREGROUND = (c: number) => (c >= 30 && c <= 37) || (c >= 90 && c <= 97);
const BACKGROUND = (c: number) => (c >= 40 && c <= 47) || (c >= 100 && c <= 107);

interface Style {
  family: string;
  open: number;
  close: number;
}

interface Segment {
  text: string;
  escape: boolean;
}

/** The line as plain runs and SGR codes; undefined if it holds any other escape. */
function segmentsOf(line: string): Segment[] | undefined {
  const out: Segment[] = [];
  let at = 0;
  for (const m of line.matchAll(SGR)) {
    if (!known(Number(m[1]))) return undefined;
    if (m.index > at) out.push({ text: line.slice(at, m.index), escape: false });
    out.push({ text: m[0], escape: true });
    at = m.index + m[0].length;
  }
  if (at < line.length) out.push({ text: line.slice(at), escape: false });
  return out.some((s) => !s.escape && ANY_ESCAPE.test(s.text)) ? undefined : out;
}

function known(code: number): boolean {
  return code === 0 || code === 39 || code === 49 || FOREGROUND(code) || BACKGROUND(code) || MODIFIER_CLOSE.has(code) || CLOSES.has(code);
}

const plainOf = (text: string) => text.replace(SGR, '');

function applyReset(code: number, active: Style[]): boolean {
  const remove = (family: string) => {
    const i = active.findIndex((s) => s.family === family);
    if (i !== -1) active.splice(i, 1);
  };
  if (code === 0) active.length = 0;
  else if (code === 39) remove('foreground');
  else if (code === 49) remove('background');
  else if (CLOSES.has(code)) {
    for (let i = active.length - 1; i >= 0; i--) if (active[i]!.family.startsWith('modifier-') && active[i]!.close === code) active.splice(i, 1);
  } else return false;
  return true;
}

function apply(code: number, active: Style[]): void {
  if (applyReset(code, active)) return;
  const style = FOREGROUND(code)
    ? { family: 'foreground', open: code, close: 39 }
    : BACKGROUND(code)
      ? { family: 'background', open: code, close: 49 }
      : { family: `modifier-${code}`, open: code, close: MODIFIER_CLOSE.get(code)! };
  const i = active.findIndex((s) => s.family === style.family);
  if (i !== -1) active.splice(i, 1);
  active.push(style);
}

const sgr = (code: number) => `\x1b[${code}m`;

/** wrap-ansi's last step: each row break closes the styles open there and opens them again after. */
function restoreStyles(text: string): string {
  const active: Style[] = [];
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; ) {
    if (text[i] === '\x1b') {
      const m = /^\x1b\[(\d+)m/.exec(text.slice(i, i + 8))!;
      apply(Number(m[1]), active);
      i += m[0].length;
      continue;
    }
    if (text[i] !== '\n') {
      i++;
      continue;
    }
    out += text.slice(copied, i);
    if (i > copied) out += [...active].reverse().map((s) => sgr(s.close)).join('');
    out += '\n';
    copied = ++i;
    if (i < text.length && text[i] !== '\n') {
      // Codes that open the next row and close a style: that style is not opened again.
      const opening = [...active];
      for (let j = i; text[j] === '\x1b'; ) {
        const m = /^\x1b\[(\d+)m/.exec(text.slice(j, j + 8))!;
        applyReset(Number(m[1]), opening);
        j += m[0].length;
      }
      out += opening.map((s) => sgr(s.open)).join('');
    }
  }
  return out + text.slice(copied);
}

function trimSpacesRight(row: string): string {
  if (!row.includes(' ')) return row;
  const segments = segmentsOf(row)!;
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i]!;
    if (s.escape) continue;
    let end = s.text.length;
    while (end > 0 && s.text[end - 1] === ' ') end--;
    s.text = s.text.slice(0, end);
    if (end > 0) break;
  }
  return segments.map((s) => s.text).join('');
}

/** The line wrapped as wrap-ansi wraps it, or undefined where this cannot say (see above). */
export function wrapNarrow(line: string, columns: number): string | undefined {
  const parsed = segmentsOf(line);
  if (!parsed || !NARROW.test(plainOf(line))) return undefined;
  const segments = parsed.map((s) => (s.escape ? s : { ...s, text: s.text.normalize() }));
  const text = segments.map((s) => s.text).join('');
  if (text.trim() === '') return '';
  // Words as wrap-ansi splits them: at each space of the plain text, codes kept with the word they are in.
  let word = { value: '', width: 0 };
  const words = [word];
  for (const s of segments) {
    if (s.escape) {
      word.value += s.text;
      continue;
    }
    const parts = s.text.split(' ');
    word.value += parts[0];
    word.width += parts[0]!.length;
    for (const part of parts.slice(1)) words.push((word = { value: part, width: part.length }));
  }
  const rows = [''];
  let length = 0;
  let trimmed = -1;
  let first = true;
  for (const w of words) {
    const last = rows.length - 1;
    if (trimmed !== last) {
      const row = rows[last]!.trimStart();
      if (row.length !== rows[last]!.length) [rows[last], length] = [row, plainOf(row).length];
      if (row.length > 0) trimmed = last;
    }
    if (first) first = false;
    else if (length > 0) {
      rows[rows.length - 1] += ' ';
      length++;
    }
    if (length + w.width > columns && length > 0 && w.width > 0) {
      rows.push('');
      length = 0;
    }
    rows[rows.length - 1] += w.value;
    length += w.width;
  }
  return restoreStyles(rows.map(trimSpacesRight).join('\n'));
}
