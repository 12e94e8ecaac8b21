// Strings that come from elsewhere — a Redis key, a service's error message, a value read from a
// task definition — shown without letting them drive the terminal: control characters,
// bidirectional overrides and bytes that are not UTF-8 are written as escapes. A key holding
// ESC[2J must show as `\x1b[2J`, not clear the screen.

// C0 and C1 controls, DEL, line/paragraph separators and the bidi embedding/isolate marks.
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\\]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

function escapeChar(c: string): string {
  const code = c.codePointAt(0)!;
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as text: UTF-8 when they are valid UTF-8, else each byte outside printable ASCII as \xNN. */
function bytesText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes).replace(UNSAFE, escapeChar);
  } catch {
    return [...bytes].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : b === 0x5c ? '\\\\' : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
  }
}

/** A remote string safe to print on one line; a backslash is doubled so every escape reads back one way. */
export function printable(text: string | Uint8Array): string {
  return typeof text === 'string' ? text.replace(UNSAFE, escapeChar) : bytesText(text);
}
