// The fast measure of narrow text agrees with string-width, character by character; wrapping
// keeps colour codes out of the count.
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { NARROW, width, wrap } from '../../src/ui/wrap.js';

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
