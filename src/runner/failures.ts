// An apply that failed either was refused — the service said no (a condition failed, invalid
// input, access denied) and nothing changed — or ended without a trustworthy answer — a
// timeout, a reset connection, a 5xx, an unreadable reply, a retry after any of those — and may
// have happened. Only the first may be journaled as "not changed"; the second is re-read.
import { PartialApplyError } from '../capabilities/action.js';
import { DeadlineExceeded } from '../core/deadline.js';
import { MangaopsError } from '../core/errors.js';

export type ApplyFailure = 'rejected' | 'ambiguous';

interface ErrorLike {
  name?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** Names of the service saying "I failed" (the write may be half done), not "no". */
const SERVER_SIDE = /^(ServerException|InternalServerError|InternalServerException|InternalFailure|InternalError|ServiceUnavailable|ServiceUnavailableException|ServiceException)$/;
/** What the client libraries throw themselves: no answer from the service at all. */
const OUR_OWN = new Set(['Error', 'TypeError', 'SyntaxError', 'RangeError', 'TimeoutError', 'AbortError', 'MaxRetriesPerRequestError', 'LostReply']);

function classifyServiceError(error: unknown): ApplyFailure {
  const e = (error ?? {}) as ErrorLike;
  // The SDK retried: an earlier attempt may have landed even if the last one was refused.
  if ((e.$metadata?.attempts ?? 1) > 1) return 'ambiguous';
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 400 && status < 500 ? 'rejected' : 'ambiguous';
  if (e.$fault) return e.$fault === 'client' ? 'rejected' : 'ambiguous';
  const name = e.name ?? 'Error';
  // Redis answered with an error reply (WRONGTYPE, CROSSSLOT, NOAUTH, READONLY): refused.
  if (name === 'ReplyError') return 'rejected';
  if (SERVER_SIDE.test(name) || OUR_OWN.has(name)) return 'ambiguous';
  return 'rejected';
}

export function classifyApplyFailure(error: unknown): ApplyFailure {
  if (error instanceof DeadlineExceeded) return 'ambiguous';
  if (error instanceof PartialApplyError || error instanceof MangaopsError) {
    // Our own words: a refusal stated after the fact, unless they wrap what the service did.
    return error.cause === undefined ? 'rejected' : classifyApplyFailure(error.cause);
  }
  return classifyServiceError(error);
}
