// Secrets never leave in a message, a chat post or a test case: account ids, URL passwords,
// tokens and webhook URLs are masked on the way out. Pure string work, no I/O.
import { maskPasswords } from './secrets.js';

const ACCOUNT = /(?<![\dA-Za-z])\d{12}(?![\dA-Za-z])/g;
const TOKENS: RegExp[] = [
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bxox[abprs]-[0-9A-Za-z-]{10,}\b/g, // Slack tokens
  /\bgh[pousr]_[0-9A-Za-z]{20,}\b/g, // GitHub tokens
  /\beyJ[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]{10,}\b/g, // JWTs
];
/** key=value and "key": "value" pairs whose key says secret. */
const SECRET_PAIR = /\b((?:[a-z_-]*(?:token|secret|password|passwd|api[_-]?key|auth))["']?\s*[:=]\s*["']?)([^\s"'&,;)\]}]+)/gi;
const BEARER = /\b(Bearer\s+)[^\s"']+/gi;

/** An http(s) URL as a message may name it: scheme and host only, e.g. https://hooks.slack.com/… */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(a URL that does not parse)';
  }
}

/** Webhook-style URLs (a secret in the path) anywhere in a text, as maskUrl shows them. */
const WEBHOOK_URL = /\bhttps:\/\/hooks\.slack\.com\/[^\s"')]+|\bhttps:\/\/[^\s"'/]+\/(?:services|webhooks?|hooks)\/[^\s"')]+/gi;

/**
 * The text with 12-digit account ids, URL passwords, tokens, secret-named values and webhook
 * URLs replaced by a marker saying what was there.
 */
export function maskSecrets(text: string): string {
  let out = text.replace(WEBHOOK_URL, (u) => maskUrl(u));
  // user:password@ in any URL, an @ in the password included: the password goes, the user stays.
  out = maskPasswords(out, '***');
  for (const t of TOKENS) out = out.replace(t, '<token>');
  out = out.replace(BEARER, '$1<token>');
  out = out.replace(SECRET_PAIR, '$1<secret>');
  return out.replace(ACCOUNT, '<account-id>');
}

/** One URL's own text removed from a message (an error that quotes the webhook it failed on). */
export function withoutUrl(text: string, url: string): string {
  return url ? text.split(url).join(maskUrl(url)) : text;
}
