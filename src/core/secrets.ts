// Secrets never leave in clear: a URL's password (redis://:TOKEN@host, valid or not) is masked
// wherever text is shown or journaled, and environment values whose names look secret are shown
// as a mask with a short hash, so an engineer can still tell the old value from the new one.
import { createHash } from 'node:crypto';

// scheme://user:password@ — the password runs to the last @ of the word, so a password with an
// unencoded @ is masked whole; quotes and whitespace end a word (the URL inside a message).
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s"'<>`/@:]*):([^\s"'<>`]*)@(?=[^\s"'<>`@]*(?:[\s"'<>`]|$))/gi;

export const MASK = '****';

/** Every URL password in the text replaced by ****. */
export function maskPasswords(text: string): string {
  return text.replace(URL_PASSWORD, (_m, scheme: string, user: string, password: string) => `${scheme}${user}${password ? `:${MASK}` : ':'}@`);
}

/** The same, through every string of a JSON-like value (a journal record). */
export function maskPasswordsDeep<T>(value: T): T {
  if (typeof value === 'string') return maskPasswords(value) as T;
  if (Array.isArray(value)) return value.map(maskPasswordsDeep) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskPasswordsDeep(v)])) as T;
  }
  return value;
}

/** Environment names treated as secret unless the config says otherwise. */
export const DEFAULT_SECRET_NAMES = ['*PASSWORD*', '*SECRET*', '*TOKEN*', '*KEY*'];

/** Whether an environment name matches one of the globs (`*` any run of characters, case-insensitive). */
export function looksSecret(name: string, globs: readonly string[] = DEFAULT_SECRET_NAMES): boolean {
  return globs.some((g) => new RegExp(`^${g.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i').test(name));
}

/**
 * A secret value as shown and journaled: the mask and the first 8 hex digits of its SHA-256,
 * enough to see that a value changed, too few to read it back.
 */
export function maskSecret(value: string): string {
  return `${MASK} (sha256 ${createHash('sha256').update(value).digest('hex').slice(0, 8)})`;
}
