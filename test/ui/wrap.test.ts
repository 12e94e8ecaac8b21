// The fast measure of narrow text agrees with string-width, character by character, and the
// fast wrap of narrow text with wrap-ansi, line by line; wrapping keeps colour codes out of the count.
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { NARROW, width, wrap } from '../../src/ui/wrap.js';
import { wrapNarrow } from '../../src/ui/wrap-narrow.js';
import { mulberry32 } from '../helpers/random.js';

describe('width', () => {
  it('GIVEN every character the fast path takes as one column THEN string-width says one column too', () => {
    const wrong: string[] = [];
    for (let cp = 0x20; cp <= 0x2fff; cp++) {
      const ch = String.fromCodePoint(cp);
      if (NARROW.test(ch) && stringWidth(ch) !== 1) wrong.push(`U+${cp.toString(16)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('GIVEN colour codes, wide characters and emoji THEN they are measured as they show', () => {
    expect(width('\x1b[31m✗\x1b[39m 72 %')).toBe(6);
    expect(width('漫画 ✅')).toBe(7);
    expect(width('e\u0301')).toBe(1);
  });
});

describe('wrap', () => {
  it('GIVEN a line that fits THEN it is unchanged; GIVEN one that does not THEN it breaks at a word under its hang', () => {
    expect(wrap('✗ pings failing: 72 %', 40, '  ')).toBe('  ✗ pings failing: 72 %');
    expect(wrap('note: one two three four five six', 20, '  ', '    ')).toBe('  note: one two\n    three four five\n    six');
  });
});

describe('wrapNarrow, plain', () => {
  const pieces = ['a', 'bb', 'note:', '2,500', 'ms', '(healthy', '≤', '1,000', 'ms)', '→', '✗', '▁▂▃', 'über', 'x'.repeat(25), 'y'.repeat(70), '', ' ', '\u00a0', 'café', '—', '·'];

  it('GIVEN 5,000 lines of narrow text (runs of spaces, words longer than the line, no-break spaces) THEN it wraps each exactly as wrap-ansi does', () => {
    const next = mulberry32(12);
    const differ: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const words = Array.from({ length: 1 + Math.floor(next() * 30) }, () => pieces[Math.floor(next() * pieces.length)]!);
      const line = words.join(next() < 0.2 ? '  ' : ' ');
      const columns = 10 + Math.floor(next() * 90);
      expect(NARROW.test(line)).toBe(true);
      if (wrapNarrow(line, columns) !== wrapAnsi(line, columns, { hard: false, trim: true })) differ.push(`${columns}: ${JSON.stringify(line)}`);
    }
    expect(differ).toEqual([]);
  });

  it('GIVEN text that is not narrow (a wide character, a colour code) THEN wrap still measures it as it shows', () => {
    expect(wrap('漫画 漫画 漫画 漫画 漫画 漫画', 12, '')).toBe('漫画 漫画\n漫画 漫画\n漫画 漫画');
    expect(wrap('\x1b[31mred words\x1b[39m and more words here', 12, '')).toBe('\x1b[31mred words\x1b[39m\nand more\nwords here');
  });
});

describe('wrapNarrow, coloured', () => {
  const c = new Chalk({ level: 1 });
  const styles = [c.red, c.green, c.cyan, c.gray, c.bold, c.dim, c.italic, c.underline, c.inverse, c.strikethrough, c.bgRed, c.bold.red, c.dim.cyan, c.red.bgBlue, c.bold.underline.yellow];
  const pieces = ['a', 'bb', '✗', 'First-token', 'latency', '2,400 ms', '(healthy ≤ 2,000 ms)', '▁▂▃▆', '→', 'x'.repeat(30), '', ' ', 'café', '·'];

  it('GIVEN 5,000 lines coloured by chalk (nested styles, styles across spaces, runs of spaces, long words) THEN it wraps each exactly as wrap-ansi does', () => {
    const next = mulberry32(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
    const differ: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const parts = Array.from({ length: 1 + Math.floor(next() * 12) }, () => {
        const words = Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(pieces)).join(next() < 0.2 ? '  ' : ' ');
        if (next() < 0.5) return words;
        const inner = next() < 0.3 ? `${words} ${pick(styles)(pick(pieces))} ${pick(pieces)}` : words;
        return pick(styles)(inner);
      });
      const line = (next() < 0.1 ? ' ' : '') + parts.join(next() < 0.2 ? '  ' : ' ') + (next() < 0.1 ? ' ' : '');
      const columns = 10 + Math.floor(next() * 70);
      const ours = wrapNarrow(line, columns);
      expect(ours, JSON.stringify(line)).toBeDefined();
      if (ours !== wrapAnsi(line, columns, { hard: false, trim: true })) differ.push(`${columns}: ${JSON.stringify(line)}`);
    }
    expect(differ.slice(0, 5)).toEqual([]);
  });

  it('GIVEN an escape chalk does not write (a hyperlink, a 256-colour code) or a wide character THEN it leaves the line to wrap-ansi', () => {
    expect(wrapNarrow('\x1b]8;;https://example.com\x07link\x1b]8;;\x07 and more text here', 10)).toBeUndefined();
    expect(wrapNarrow('\x1b[38;5;202mamber\x1b[39m text that wraps', 10)).toBeUndefined();
    expect(wrapNarrow(`${c.red('漫画')} text that wraps`, 10)).toBeUndefined();
  });
});
