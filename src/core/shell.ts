// Text for plans: shell-quoted arguments for the pasteable commands, and counts a human reads.
import { groupThousands } from './number.js';

// Control characters (a key holding ESC[2J) must not reach the terminal raw, even quoted: such
// a word is written in bash's $'…' form, escapes and all, which pastes back to the same bytes.
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

function ansiC(word: string): string {
  const bytes = Buffer.from(word, 'utf8');
  let out = '';
  for (const b of bytes) out += b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return `$'${out}'`;
}

/** One shell word: bare when safe, else single-quoted ('\'' for a quote inside); $'…' when it holds control characters. */
export function sh(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  if (CONTROL.test(word)) return ansiC(word);
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** 1234567 → "1,234,567". */
export function count(n: number): string {
  return groupThousands(n);
}

/** "1 key", "3 keys". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}
