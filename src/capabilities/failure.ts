// A failed read as a card's one-line reason: a timeout is no data, anything else an error
// naming the call. Credential failures are different: they fail every probe alike, so they
// are raised once through the gather, which stops with the fix-it line.
import type { Evidence } from '../core/evidence.js';
import { classifyError, errorLine, isCredentialsError, serviceError } from './aws.js';
import { failureReason } from './reasons.js';
import type { Pending } from './probe-kind.js';

/** Raised through a probe's promise so the gather stops once, not once per probe. */
export class CredentialsFailure extends Error {
  constructor(override readonly cause: unknown) {
    super(errorLine(cause));
    this.name = 'CredentialsFailure';
  }
}

const NETWORK: Record<string, string> = {
  ENOTFOUND: 'DNS lookup failed',
  EAI_AGAIN: 'DNS lookup failed',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/**
 * "cannot reach AWS (monitoring.ap-northeast-1.amazonaws.com: DNS lookup failed)" for an
 * error that never reached AWS: the same words for every probe behind the same endpoint, so
 * the screen can say it once.
 */
export function unreachable(error: unknown): string | undefined {
  const e = error as { code?: string; hostname?: string; address?: string; port?: number; message?: string } | undefined;
  const code = e?.code ?? /\b(E[A-Z_]+)\b/.exec(e?.message ?? '')?.[1];
  const what = code ? NETWORK[code] : undefined;
  if (!what) return undefined;
  const host = e?.hostname ?? (e?.address ? `${e.address}${e.port ? `:${e.port}` : ''}` : /(?:ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\s+(\S+)/.exec(e?.message ?? '')?.[1]);
  return `cannot reach AWS (${host ? `${host}: ` : ''}${what})`;
}

export function failure(thrown: unknown, call: string): Evidence {
  if (thrown instanceof CredentialsFailure) throw thrown;
  // A port may explain an error in its own words; the card classifies what the service said.
  const error = serviceError(thrown);
  const offline = unreachable(error);
  if (offline) return { status: 'error', reason: offline };
  if (isCredentialsError(error)) throw new CredentialsFailure(error);
  const kind = classifyError(error);
  switch (kind) {
    case 'timeout':
      return { status: 'nodata', reason: `no answer from ${call} before the probe's deadline` };
    case 'denied':
      return { status: 'error', reason: `${call} denied: ${errorLine(error)} (mangaops iam-policy lists what a walk needs)` };
    case 'not found':
      return { status: 'error', reason: `${call}: not found (${errorLine(error)})` };
    case 'throttled':
      return { status: 'error', reason: `${call}: ${failureReason(error)}, still after retries` };
    default:
      return { status: 'error', reason: `${call} failed: ${failureReason(error)}` };
  }
}

/** The same evidence (or failure) for every probe that shares one call. */
export function shared(ids: string[], work: Promise<Map<string, Evidence>>, call: string): Pending {
  const settled = work.then(
    (m) => m,
    (error: unknown) => {
      const e = failure(error, call);
      return new Map(ids.map((id) => [id, e]));
    },
  );
  return new Map(ids.map((id) => [id, settled.then((m) => m.get(id) ?? { status: 'error', reason: `${call}: no result for ${id}` })]));
}
