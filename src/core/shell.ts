// Text for plans: shell-quoted arguments for the pasteable commands, and counts a human reads.
import { groupThousands } from './number.js';

/** One shell word: bare when safe, else single-quoted ('\'' for a quote inside). */
export function sh(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** 1234567 → "1,234,567". */
export function count(n: number): string {
  return groupThousands(n);
}

/** "1 key", "3 keys". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}
