// The three text guards under everything shown: a URL's password masked (valid or malformed,
// in a sentence or inside a JSON record), a remote string printed without its control
// characters, and a shell word that pastes back to exactly its bytes — over 600 fuzzed words.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { printable } from '../../src/core/printable.js';
import { looksSecret, maskPasswords, maskPasswordsDeep, maskSecret } from '../../src/core/secrets.js';
import { sh } from '../../src/core/shell.js';
import { mulberry32 } from '../helpers/random.js';

describe('maskPasswords', () => {
  it.each([
    ['not a Redis URL: redis://:secretpw@127.0.0.1:99999', 'not a Redis URL: redis://:****@127.0.0.1:99999'],
    ['rediss://user:p@ss@cache.example:6379/2 refused', 'rediss://user:****@cache.example:6379/2 refused'],
    ['"url":"redis://:tok%2Fen@h:1","x":"a@b"', '"url":"redis://:****@h:1","x":"a@b"'],
    ['redis://cache.example:6379 and ops@example.com', 'redis://cache.example:6379 and ops@example.com'],
  ])('%s', (text, masked) => {
    expect(maskPasswords(text)).toBe(masked);
  });

  it('goes through every string of a record, and leaves the rest as it is', () => {
    expect(maskPasswordsDeep({ a: ['redis://:pw@h'], n: 3, b: { c: 'x redis://u:pw@h' } })).toEqual({ a: ['redis://:****@h'], n: 3, b: { c: 'x redis://u:****@h' } });
  });

  it('GIVEN a record with a password deep in it THEN the record given is not changed; what holds none is the same object, not a copy', () => {
    const evidence = { p95: { status: 'ok', value: 3, datapoints: [{ v: 1 }, { v: 2 }] } };
    const record = { type: 'evidence', evidence, note: { url: 'rediss://:secret@cache:6379' } };
    const masked = maskPasswordsDeep(record);
    expect(masked.note.url).toBe('rediss://:****@cache:6379');
    expect(record.note.url).toBe('rediss://:secret@cache:6379');
    expect(masked.evidence).toBe(evidence);
    expect(maskPasswordsDeep(evidence)).toBe(evidence);
  });
});

describe('secret environment names', () => {
  it('match *PASSWORD*, *SECRET*, *TOKEN*, *KEY* by default, any case; a mask tells two values apart', () => {
    expect(['DB_PASSWORD', 'api_token', 'CLIENT_SECRET', 'STRIPE_KEY'].every((n) => looksSecret(n))).toBe(true);
    expect(['BEDROCK_POOL_SIZE', 'REGION'].some((n) => looksSecret(n))).toBe(false);
    expect(looksSecret('PIN', ['PIN'])).toBe(true);
    expect(maskSecret('a')).toMatch(/^\*\*\*\* \(sha256 [0-9a-f]{8}\)$/);
    expect(maskSecret('a')).not.toBe(maskSecret('b'));
  });
});

describe('printable', () => {
  it('escapes control characters, bidi overrides and backslashes; shows bytes that are not UTF-8 as \\xNN', () => {
    expect(printable('k:\x1b[2J\n\t\u202e\\')).toBe('k:\\x1b[2J\\n\\t\\u{202e}\\\\');
    expect(printable(Buffer.from([0x6b, 0x3a, 0xff, 0x0a]))).toBe('k:\\xff\\x0a');
    expect(printable(Buffer.from('präzise'))).toBe('präzise');
  });
});

describe('sh', () => {
  it('quotes 600 fuzzed words so that bash reads back exactly their bytes, never with a raw control character', () => {
    const rand = mulberry32(606);
    const alphabet = [..." '\"\\$`!*?[]{}();|&<>~#\n\r\t\x1b\x7f\x01é漢-_./=:,@%+", 'a', 'Z', '0'];
    const words = Array.from({ length: 600 }, () => Array.from({ length: 1 + Math.floor(rand() * 12) }, () => alphabet[Math.floor(rand() * alphabet.length)]!).join(''));
    for (const w of words) expect(sh(w)).not.toMatch(/[\x00-\x1f\x7f]/);
    const out = execFileSync('bash', ['-c', `printf '%s\\0' ${words.map(sh).join(' ')}`]);
    expect(out.toString('utf8').split('\0').slice(0, -1)).toEqual(words);
  });
});
