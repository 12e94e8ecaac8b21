// What every live probe module gets: the clients, the moment the walk is evaluated as of,
// deadlines, and one way to turn a failure into a card's one-line reason.
import type { Aws } from '../../aws/clients.js';
import { classifyError, errorLine, errorName, isCredentialsError } from '../../aws/clients.js';
import type { Evidence } from '../../engine/evidence.js';
import { durationMs } from './at.js';

export interface LiveContext {
  aws: Aws;
  /** Every window ends here: now, or --at. */
  at: Date;
  /** The wall clock when the gather started (CloudWatch's retention rules count from it). */
  now: Date;
  /** A signal that aborts after `ms`, or sooner when the whole gather is abandoned. */
  signal(ms: number): AbortSignal;
  /** The product ids in the cached recommendations matching a Redis pattern (live only). */
  cachedProducts?(pattern: string, signal?: AbortSignal): Promise<import('./cached-products.js').CachedProducts>;
}

/** More than this before now, --at is a replay: state read "now" is not the state "then". */
const REPLAY_SLACK_MS = 5 * 60_000;

export function isReplay(ctx: Pick<LiveContext, 'at' | 'now'>): boolean {
  return ctx.now.getTime() - ctx.at.getTime() > REPLAY_SLACK_MS;
}

export function windowStart(ctx: Pick<LiveContext, 'at'>, window: string): Date {
  return new Date(ctx.at.getTime() - durationMs(window));
}

/** "in the last 10m", or "in the 10m before 2026-03-04T11:15:00Z" for a replay. */
export function windowText(ctx: Pick<LiveContext, 'at' | 'now'>, window: string): string {
  return isReplay(ctx) ? `in the ${window} before ${fmtTime(ctx.at)}` : `in the last ${window}`;
}

/** Raised through a probe's promise so the gather stops once, not once per probe. */
export class CredentialsFailure extends Error {
  constructor(override readonly cause: unknown) {
    super(errorLine(cause));
    this.name = 'CredentialsFailure';
  }
}

/**
 * A failed call as evidence: a timeout is no data, anything else an error with a one-line
 * reason naming the call. Credential failures are rethrown: they stop the whole gather.
 */
export function failure(error: unknown, call: string): Evidence {
  if (error instanceof CredentialsFailure) throw error;
  if (isCredentialsError(error)) throw new CredentialsFailure(error);
  const kind = classifyError(error);
  switch (kind) {
    case 'timeout':
      return { status: 'nodata', reason: `${call} did not answer in time` };
    case 'denied':
      return { status: 'error', reason: `${call} denied: ${errorLine(error)} (mangaops iam-policy lists what a walk needs)` };
    case 'not found':
      return { status: 'error', reason: `${call}: not found (${errorLine(error)})` };
    case 'throttled':
      return { status: 'error', reason: `${call} throttled, still after retries: ${errorLine(error)}` };
    default:
      return { status: 'error', reason: `${call} failed: ${errorName(error)}: ${errorLine(error)}` };
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Split a list into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Evidence promises keyed by probe id: what each live module hands the gather. */
export type Pending = Map<string, Promise<Evidence>>;

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

export function fmtTime(t: Date | number | undefined): string {
  if (t === undefined) return '?';
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
