// Posting the pre-diagnosis to a chat webhook with Node's fetch: a deadline on each attempt,
// one retry on a 5xx or a network failure (a 4xx will not change on retry), and the URL —
// which is the secret, for a Slack incoming webhook — never in a message: errors name the
// host only.
import { MangaopsError } from '../core/errors.js';
import { maskUrl, withoutUrl } from '../core/mask.js';

export interface PostOptions {
  /** Per attempt (default 5 s). */
  timeoutMs?: number;
  /** Before the retry (default 0.25 s). */
  retryDelayMs?: number;
  fetch?: typeof fetch;
}

export interface Posted {
  attempts: number;
  status: number;
}

type Attempt = { ok: true; status: number } | { ok: false; retry: boolean; why: string };

async function attempt(url: string, body: string, timeoutMs: number, doFetch: typeof fetch): Promise<Attempt> {
  try {
    const res = await doFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(timeoutMs) });
    const text = (await res.text().catch(() => '')).slice(0, 200).trim();
    if (res.ok) return { ok: true, status: res.status };
    return { ok: false, retry: res.status >= 500, why: `HTTP ${res.status}${text ? ` (${text})` : ''}` };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const timedOut = err?.name === 'TimeoutError' || err?.name === 'AbortError';
    const why = timedOut ? `no answer within ${timeoutMs / 1000} s` : `${err?.message ?? String(e)}${err?.cause?.code ? ` (${err.cause.code})` : ''}`;
    return { ok: false, retry: true, why };
  }
}

/** POST the JSON payload; resolves on a 2xx, else a one-line error that names the host only. */
export async function postWebhook(url: string, payload: unknown, options: PostOptions = {}): Promise<Posted> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const body = JSON.stringify(payload);
  let last = await attempt(url, body, timeoutMs, doFetch);
  let attempts = 1;
  if (!last.ok && last.retry) {
    await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 250));
    last = await attempt(url, body, timeoutMs, doFetch);
    attempts = 2;
  }
  if (last.ok) return { attempts, status: last.status };
  const tries = attempts === 2 ? ' (tried twice)' : '';
  throw new MangaopsError(withoutUrl(`chat webhook ${maskUrl(url)} refused the message: ${last.why}${tries}`, url), 1, 'check notify.webhook or MANGAOPS_WEBHOOK_URL (the URL is not shown: it is a secret)');
}
