// A failed call as what happened, in one line a person can act on: "HTTP 500 from DynamoDB",
// "throttled by CloudWatch (ThrottlingException)", "connection to DynamoDB reset
// (ECONNRESET)", "no answer from DynamoDB TransactWriteItems within 30s" — never the SDK's
// "Deserialization error" for an HTML error page, never a bare "did not answer in time".
import { callOf, DeadlineExceeded } from '../core/deadline.js';
import { printable } from '../core/printable.js';
import { maskPasswords } from '../core/secrets.js';

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const NETWORK: Record<string, (who: string) => string> = {
  ECONNRESET: (who) => `connection to ${who} reset (ECONNRESET)`,
  EPIPE: (who) => `connection to ${who} broken (EPIPE)`,
  ECONNREFUSED: (who) => `${who} refused the connection (ECONNREFUSED)`,
  ECONNABORTED: (who) => `connection to ${who} aborted (ECONNABORTED)`,
  ETIMEDOUT: (who) => `connection to ${who} timed out (ETIMEDOUT)`,
  EHOSTUNREACH: (who) => `${who} unreachable (EHOSTUNREACH)`,
  ENETUNREACH: (who) => `${who} unreachable (ENETUNREACH)`,
  ENOTFOUND: (who) => `cannot resolve ${who}'s endpoint (ENOTFOUND)`,
  EAI_AGAIN: (who) => `cannot resolve ${who}'s endpoint (EAI_AGAIN)`,
};

/** An SDK error name worth showing: the service's own (InternalServerError), not a parser's. */
function serviceName(name: string | undefined): string | undefined {
  return name && !['Error', 'SyntaxError', 'TypeError', 'TimeoutError', 'AbortError'].includes(name) ? name : undefined;
}

/** The first line of the message, printable, without passwords, at most 200 characters. */
export function firstLine(error: unknown): string {
  const e = error as ErrorLike | undefined;
  const line = printable(maskPasswords(String(e?.message ?? error ?? '').split('\n')[0]!.trim()));
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** What happened, named after the call when it is known (`waitingFor` remembers it). */
export function failureReason(error: unknown): string {
  if (error instanceof DeadlineExceeded) return error.message;
  const e = (error ?? {}) as ErrorLike;
  const call = callOf(error);
  const who = call?.split(' ')[0] ?? 'the service';
  const name = serviceName(e.name);
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return `HTTP ${status} from ${who}${name ? ` (${name})` : ''}${call ? ` on ${call.split(' ')[1] ?? call}` : ''}`;
  if (name && /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/.test(name)) return `throttled by ${who} (${name})`;
  const code = e.code ?? /\b(E[A-Z_]{3,})\b/.exec(String(e.message))?.[1];
  if (code && NETWORK[code]) return NETWORK[code]!(who);
  if (/socket hang up|Connection is closed|closed before the reply/i.test(String(e.message))) return `connection to ${who} closed before the reply`;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer from ${call ?? who} in time`;
  if (status !== undefined && !name) return `HTTP ${status} from ${who}: ${firstLine(error)}`;
  return name ? `${name}: ${firstLine(error)}` : firstLine(error);
}
