// Secrets never leave in clear: a URL's password (redis://:TOKEN@host, valid or not) is masked
// wherever text is shown or journaled, and environment values whose names look secret are shown
// as a mask with a short hash, so an engineer can still tell the old value from the new one.
import { createHash } from 'node:crypto';

// scheme://user:password@ — the password runs to the last @ of the word, so a password with an
// unencoded @ is masked whole; quotes and whitespace end a word (the URL inside a message).
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s"'<>`/@:]*):([^\s"'<>`]*)@(?=[^\s"'<>`@]*(?:[\s"'<>`]|$))/gi;

export const MASK = '****';

/** Every URL password in the text replaced by the mask (****). */
export function maskPasswords(text: string, mask = MASK): string {
  return text.replace(URL_PASSWORD, (_m, scheme: string, user: string, password: string) => `${scheme}${user}${password ? `:${mask}` : ':'}@`);
}

/**
 * The same, through every string of a JSON-like value (a journal record). What holds no URL
 * password is returned as it is, not copied: a record is mostly numbers (an evidence record
 * carries every probe's datapoints), and each walk writes one per node.
 */
export function maskPasswordsDeep<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('://') ? maskPasswords(value) : value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = maskPasswordsDeep(value[i] as unknown);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return (out ?? value) as T;
  }
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const masked = maskPasswordsDeep(v);
      if (masked !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = masked;
    }
    return (out ?? value) as T;
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
